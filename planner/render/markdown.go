package render

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// MarkdownOptions controls the pull-request rendering.
type MarkdownOptions struct {
	// MaxChunks is how many chunk rows a table's details list (default 50).
	MaxChunks int
}

// Markdown writes p for a pull-request comment (GitHub flavour): the
// summary first, warnings and drift as alerts, a table of the changes,
// then one collapsible <details> per table with its columns, types,
// chunks and SQL.
func Markdown(w io.Writer, p *plan.Plan, o MarkdownOptions) error {
	if o.MaxChunks <= 0 {
		o.MaxChunks = 50
	}
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw, o: o}
	m.render(p)
	return bw.Flush()
}

type mdWriter struct {
	w *bufio.Writer
	o MarkdownOptions
}

func (m *mdWriter) f(format string, args ...any) { fmt.Fprintf(m.w, format, args...) }

// code is an inline code span that survives backticks and table pipes.
func code(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// cell escapes text for a table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func (m *mdWriter) render(p *plan.Plan) {
	s := plan.Summarize(p)
	m.f("### pgsnow plan\n\n**%s**\n\n", s.String())
	state := "no state yet"
	if p.State.Lineage != "" {
		state = fmt.Sprintf("state serial %d (lineage %s)", p.State.Serial, code(p.State.Lineage))
	}
	where := p.Target.Account
	if where == "" {
		where = p.Target.Host
	}
	m.f("Target %s on %s as %s · %s · pgsnow %s · %s\n\n", code(p.Target.Database), code(where), code(p.Target.User),
		state, p.PgsnowVersion, p.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"))
	if len(p.Targets) > 0 {
		var ts []string
		for _, t := range p.Targets {
			ts = append(ts, code(t))
		}
		m.f("> [!NOTE]\n> Limited to `-target` %s and what they depend on; the rest of the spec is not compared.\n\n", strings.Join(ts, ", "))
	}
	if len(p.Warnings) > 0 {
		m.f("> [!WARNING]\n")
		for i, wn := range p.Warnings {
			if i > 0 {
				m.f(">\n")
			}
			at := ""
			if wn.Address != "" {
				at = " " + code(wn.Address)
			}
			m.f("> **%s**%s: %s\n", wn.Code, at, wn.Message)
		}
		m.f("\n")
	}
	if len(p.Drift) > 0 {
		m.f("> [!CAUTION]\n> **Changed in Snowflake outside pgsnow:**\n")
		for _, d := range p.Drift {
			var why []string
			for _, r := range d.Reasons {
				why = append(why, r.Message)
			}
			m.f("> - %s: %s\n", code(d.Address), strings.Join(why, "; "))
		}
		if p.Mode == plan.ModeRefreshOnly {
			m.f(">\n> This is a refresh-only plan: applying it records these changes in the state and changes nothing in Snowflake.\n")
		}
		m.f("\n")
	}
	if !s.HasChanges() {
		return
	}
	var gone []string
	for _, c := range p.Changes {
		if c.Action == plan.Delete || c.Action == plan.Replace {
			gone = append(gone, code(c.Address)+" ("+string(c.Action)+")")
		}
	}
	if len(gone) > 0 {
		m.f("> [!CAUTION]\n> **Drops %d %s** (their data in Snowflake goes with them): %s\n\n", len(gone), plural(len(gone), "object", "objects"), strings.Join(gone, ", "))
	}
	m.f("| | Action | Address | Why |\n|:-:|---|---|---|\n")
	noop := 0
	for _, c := range p.Changes {
		if c.Action == plan.NoOp {
			noop++
			continue
		}
		var why []string
		for _, r := range c.Reasons {
			why = append(why, r.Message)
		}
		m.f("| %s | %s | %s | %s |\n", code(symbol(c.Action)), c.Action, code(c.Address), cell(strings.Join(why, "; ")))
	}
	m.f("\n")
	if noop > 0 {
		m.f("_%d unchanged %s not listed._\n\n", noop, plural(noop, "object or load", "objects and loads"))
	}
	m.tables(p)
}

// tables writes one <details> per table that has a change or a load.
func (m *mdWriter) tables(p *plan.Plan) {
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.Kind != plan.KindTable {
			continue
		}
		ld := p.LoadOf(c.Address)
		if c.Action == plan.NoOp && (ld == nil || ld.Action == plan.NoOp) {
			continue
		}
		m.table(c, ld)
	}
}

func (m *mdWriter) table(t, ld *plan.Change) {
	var what []string
	if t.Action != plan.NoOp {
		what = append(what, "table "+string(t.Action))
	}
	title := html.EscapeString(displayName(t.Address))
	if ld != nil {
		title = "<code>" + html.EscapeString(ld.Load.Source.String()) + "</code> → <code>" + title + "</code>"
		if ld.Action != plan.NoOp {
			l := ld.Load
			what = append(what, fmt.Sprintf("data %s ~%s rows, ~%s in %d %s", ld.Action,
				plan.Count(l.EstimatedRows), plan.Bytes(l.EstimatedBytes), len(l.Chunks), plural(len(l.Chunks), "chunk", "chunks")))
		}
	} else {
		title = "<code>" + title + "</code>"
	}
	m.f("<details>\n<summary>%s %s: %s</summary>\n\n", html.EscapeString(symbol(t.Action)), title, html.EscapeString(strings.Join(what, ", ")))
	if ld != nil && len(ld.Load.Columns) > 0 {
		m.f("| Source column | Source type | Snowflake column | Snowflake type | Why |\n|---|---|---|---|---|\n")
		for _, c := range ld.Load.Columns {
			note := cell(c.Rationale)
			if c.Lossy {
				note = "⚠️ **lossy:** " + note
			} else if c.Override {
				note = "override: " + note
			}
			m.f("| %s | %s | %s | %s | %s |\n", code(c.Source), cell(c.SourceType), code(c.Target), code(c.TargetType), note)
		}
		m.f("\n")
	} else if a := cmpAttrs(t); a != nil && len(a.Columns) > 0 {
		m.f("| Column | Type |\n|---|---|\n")
		for _, c := range a.Columns {
			m.f("| %s | %s |\n", code(c.Name), code(colText(c)))
		}
		m.f("\n")
	}
	if t.Before != nil && t.After != nil && t.Before.Definition != t.After.Definition {
		m.fenced("Definition change", "diff", strings.TrimSuffix(DDLDiff(t.Before.Definition, t.After.Definition), "\n"))
	}
	var stmts []string
	stmts = append(stmts, t.DDL...)
	if ld != nil {
		stmts = append(stmts, ld.DDL...)
	}
	if len(stmts) > 0 {
		m.fenced("SQL", "sql", strings.Join(stmts, "\n"))
	}
	if ld != nil && ld.Action != plan.NoOp && len(ld.Load.Chunks) > 0 {
		l := ld.Load
		m.f("Load as %s", l.Format)
		if l.Compression != "" {
			m.f(" (%s)", l.Compression)
		}
		m.f(":\n\n| Chunk | Range | ~Rows | ~Bytes |\n|--:|---|--:|--:|\n")
		for i, ch := range l.Chunks {
			if i == m.o.MaxChunks {
				m.f("| … | %d more chunks | | |\n", len(l.Chunks)-i)
				break
			}
			m.f("| %d | %s | %s | %s |\n", ch.Index, code(chunkRange(ch)), plan.Count(ch.EstimatedRows), plan.Bytes(ch.EstimatedBytes))
		}
		m.f("\n")
	}
	m.f("</details>\n\n")
}

// cmpAttrs is the shape to list for a table: as it will be, or as it was
// for a table being destroyed.
func cmpAttrs(t *plan.Change) *plan.Attributes {
	if t.After != nil {
		return t.After
	}
	return t.Before
}

// fenced writes a titled code block whose fence is longer than any run
// of backticks in body.
func (m *mdWriter) fenced(title, lang, body string) {
	fence := "```"
	for strings.Contains(body, fence) {
		fence += "`"
	}
	m.f("%s:\n\n%s%s\n%s\n%s\n\n", title, fence, lang, body, fence)
}

// displayName is an address without its kind: ANALYTICS.APP."Order Lines".
func displayName(addr string) string {
	_, rest, _ := strings.Cut(addr, ".")
	return rest
}
