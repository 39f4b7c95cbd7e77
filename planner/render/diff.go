package render

import (
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffLine is one line of a line diff: op is ' ', '-' or '+'.
type diffLine struct {
	op   byte
	text string
}

// lineDiff compares two statements line by line (go-diff's line mode:
// lines are hashed to runes, diffed, and expanded again).
func lineDiff(before, after string) []diffLine {
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(ensureNL(before), ensureNL(after))
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out []diffLine
	for _, d := range diffs {
		op := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, l := range strings.SplitAfter(d.Text, "\n") {
			if l != "" {
				out = append(out, diffLine{op, strings.TrimSuffix(l, "\n")})
			}
		}
	}
	return out
}

func ensureNL(s string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		return s + "\n"
	}
	return s
}

// DDLDiff returns a diff of two statements, one line per source line
// prefixed "  ", "- " or "+ ", or "" when they are equal.
func DDLDiff(before, after string) string {
	if before == after {
		return ""
	}
	var b strings.Builder
	for _, l := range lineDiff(before, after) {
		b.WriteByte(l.op)
		b.WriteByte(' ')
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return b.String()
}
