package render

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// TextOptions controls the terminal rendering.
type TextOptions struct {
	// Color adds ANSI colours (the command sets it unless -no-color or
	// the output is not a terminal).
	Color bool
	// MaxChunks is how many chunk lines a load shows (default 8); the
	// rest are counted, the JSON form has them all.
	MaxChunks int
}

// Text writes p the Terraform way: legend, drift, one block per change
// (no-ops are counted, not shown), warnings, and the summary line last.
func Text(w io.Writer, p *plan.Plan, o TextOptions) error {
	if o.MaxChunks <= 0 {
		o.MaxChunks = 8
	}
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, c: painter(o.Color), o: o}
	t.render(p)
	return bw.Flush()
}

type textWriter struct {
	w *bufio.Writer
	c painter
	o TextOptions
}

func (t *textWriter) line(indent int, format string, args ...any) {
	t.w.WriteString(strings.Repeat(" ", indent))
	fmt.Fprintf(t.w, format, args...)
	t.w.WriteByte('\n')
}

func (t *textWriter) render(p *plan.Plan) {
	s := plan.Summarize(p)
	if len(p.Drift) > 0 {
		t.line(0, "%s", t.c.paint(ansiBold, "Objects changed in Snowflake outside pgsnow (drift):"))
		t.line(0, "")
		for _, d := range p.Drift {
			t.line(2, "%s %s", t.c.paint(ansiYellow, "!"), t.c.paint(ansiBold, d.Address))
			for _, r := range d.Reasons {
				t.line(6, "%s", r.Message)
			}
			t.columns(d.Before, d.After, "columns (state -> Snowflake now):")
			t.line(0, "")
		}
		if p.Mode == plan.ModeRefreshOnly {
			t.line(0, "This is a refresh-only plan: applying it records these changes in the state and changes nothing in Snowflake.")
			t.line(0, "")
		}
	}
	if len(p.Targets) > 0 {
		t.line(0, "%s %s", t.c.paint(ansiYellow, "!"), "Limited to -target "+strings.Join(p.Targets, ", ")+" and what they depend on; the rest of the spec is not compared.")
		t.line(0, "")
	}
	if s.HasChanges() {
		var parts []string
		for _, l := range legend(p) {
			parts = append(parts, t.c.paint(actionColor(actionOf(l[0])), l[0])+" "+l[1])
		}
		t.line(0, "Symbols: %s", strings.Join(parts, ", "))
		t.line(0, "")
		t.line(0, "pgsnow will perform the following actions:")
		t.line(0, "")
	}
	noop := 0
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Action == plan.NoOp {
			noop++
			continue
		}
		t.change(p, c)
	}
	if noop > 0 && s.HasChanges() {
		t.line(0, "(%d unchanged %s not shown)", noop, plural(noop, "object or load", "objects and loads"))
		t.line(0, "")
	}
	if len(p.Warnings) > 0 {
		t.line(0, "%s", t.c.paint(ansiBold+ansiYellow, "Warnings:"))
		t.line(0, "")
		for _, wn := range p.Warnings {
			at := ""
			if wn.Address != "" {
				at = " at " + wn.Address
			}
			t.line(2, "%s %s%s: %s", t.c.paint(ansiYellow, "!"), wn.Code, at, wn.Message)
		}
		t.line(0, "")
	}
	t.line(0, "%s", t.c.paint(ansiBold, s.String()))
}

func actionOf(sym string) plan.Action {
	for _, a := range []plan.Action{plan.Create, plan.Update, plan.Replace, plan.Delete, plan.Load, plan.Reload} {
		if symbol(a) == sym {
			return a
		}
	}
	return plan.NoOp
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (t *textWriter) change(p *plan.Plan, c *plan.Change) {
	t.line(2, "%s", t.c.paint(ansiBold, fmt.Sprintf("# %s %s", c.Address, verb(c.Action))))
	for _, r := range c.Reasons {
		t.line(2, "#   %s", r.Message)
	}
	t.line(2, "%s %s", t.c.paint(actionColor(c.Action), symbol(c.Action)), c.Address)
	switch {
	case c.Load != nil:
		t.load(c)
	case c.Action == plan.Update || c.Action == plan.Replace:
		t.columns(c.Before, c.After, "columns:")
		t.statements("will run:", c.DDL)
		if c.Before != nil && c.After != nil && c.Before.Definition != c.After.Definition {
			t.line(6, "definition (- before, + after):")
			for _, l := range lineDiff(c.Before.Definition, c.After.Definition) {
				t.diffLine(8, l)
			}
		}
	default:
		t.statements("", c.DDL)
	}
	t.line(0, "")
}

func (t *textWriter) diffLine(indent int, l diffLine) {
	s := string(l.op) + " " + l.text
	switch l.op {
	case '-':
		s = t.c.paint(ansiRed, s)
	case '+':
		s = t.c.paint(ansiGreen, s)
	}
	t.line(indent, "%s", s)
}

func (t *textWriter) statements(title string, ddl []string) {
	if len(ddl) == 0 {
		return
	}
	ind := 6
	if title != "" {
		t.line(6, "%s", title)
		ind = 8
	}
	for _, st := range ddl {
		for _, l := range strings.Split(st, "\n") {
			t.line(ind, "%s", l)
		}
	}
}

func (t *textWriter) columns(before, after *plan.Attributes, title string) {
	if before == nil || after == nil {
		return
	}
	cc := compareColumns(before.Columns, after.Columns)
	if !changedColumns(cc) {
		return
	}
	width := 0
	for _, x := range cc {
		width = max(width, len(x.name))
	}
	t.line(6, "%s", title)
	for _, x := range cc {
		var s string
		switch x.op {
		case ' ':
			s = fmt.Sprintf("  %-*s  %s", width, x.name, x.after)
		case '+':
			s = t.c.paint(ansiGreen, fmt.Sprintf("+ %-*s  %s", width, x.name, x.after))
		case '-':
			s = t.c.paint(ansiRed, fmt.Sprintf("- %-*s  %s", width, x.name, x.before))
		case '~':
			s = t.c.paint(ansiYellow, fmt.Sprintf("~ %-*s  %s -> %s", width, x.name, x.before, x.after))
		}
		t.line(8, "%s", s)
	}
}

func (t *textWriter) load(c *plan.Change) {
	l := c.Load
	comp := ""
	if l.Compression != "" {
		comp = ", " + l.Compression
	}
	t.line(6, "into %s as %s%s: ~%s rows, ~%s in %d %s", l.Target, l.Format, comp,
		plan.Count(l.EstimatedRows), plan.Bytes(l.EstimatedBytes), len(l.Chunks), plural(len(l.Chunks), "chunk", "chunks"))
	for _, m := range l.Columns {
		if m.Lossy {
			t.line(6, "%s column %s %s -> %s %s: lossy override", t.c.paint(ansiYellow, "!"), m.Source, m.SourceType, m.Target, m.TargetType)
		}
	}
	t.statements("first:", c.DDL)
	for i, ch := range l.Chunks {
		if i == t.o.MaxChunks {
			t.line(6, "… %d more chunks", len(l.Chunks)-i)
			break
		}
		t.line(6, "chunk %d: %s  ~%s rows  ~%s", ch.Index, chunkRange(ch), plan.Count(ch.EstimatedRows), plan.Bytes(ch.EstimatedBytes))
	}
}

// chunkRange shows a chunk as by [from, to), with open ends as "start"/"end".
func chunkRange(ch plan.Chunk) string {
	if ch.By == "full" {
		return "whole table"
	}
	from, to := ch.From, ch.To
	if from == "" {
		from = "start"
	}
	if to == "" {
		to = "end"
	}
	return fmt.Sprintf("%s [%s, %s)", ch.By, from, to)
}
