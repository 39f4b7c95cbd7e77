package typemap

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is a reason the plan must fail.
type Problem struct {
	// Object is schema.table.column (source names), or the override's label.
	Object string `json:"object"`
	// Class is the value class found ("3 NaN values"), empty for
	// configuration problems.
	Class   string `json:"class,omitempty"`
	Message string `json:"message"`
	// Fix is the HCL that resolves the problem, empty when none exists.
	Fix string `json:"fix,omitempty"`
}

func (p Problem) String() string {
	s := p.Object + ": "
	if p.Class != "" {
		s += p.Class + ": "
	}
	s += p.Message
	if p.Fix != "" {
		s += "\n  fix with:\n    " + strings.ReplaceAll(p.Fix, "\n", "\n    ")
	}
	return s
}

// Error lists every problem of a mapping, sorted by object.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d column(s) or names cannot be mapped to Snowflake without losing data:\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Object != ps[j].Object {
			return ps[i].Object < ps[j].Object
		}
		return ps[i].Message < ps[j].Message
	})
}

// hclString quotes s as an HCL string literal.
func hclString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`, "${", "$${", "%{", "%%{")
	return `"` + r.Replace(s) + `"`
}

// columnFix is the table/column block that sets typ (and allow_lossy).
func columnFix(source, schema, table, column, typ string, lossy bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "table %s {\n  column %s {\n", hclString(source+"."+schema+"."+table), hclString(column))
	if typ != "" {
		fmt.Fprintf(&b, "    type = %s\n", hclString(typ))
	}
	if lossy {
		b.WriteString("    allow_lossy = true\n")
	}
	b.WriteString("  }\n}")
	return b.String()
}

func typeFix(label, typ string) string {
	return fmt.Sprintf("type_override %s {\n  type = %s\n  allow_lossy = true\n}", hclString(label), hclString(typ))
}

func lossClasses(ls []Loss) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = l.Class
	}
	return strings.Join(parts, ", ")
}

func lossText(ls []Loss) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.String()
	}
	return out
}
