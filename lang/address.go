package lang

import (
	"fmt"
	"strings"
)

// TableAddress names one source table: "<source>.<schema>.<table>".
type TableAddress struct {
	Source string `json:"source"`
	Schema string `json:"schema"`
	Table  string `json:"table"`
}

// String renders the address, double-quoting parts that contain '.', '"'
// or '*'-like characters so ParseTableAddress reads it back unchanged.
func (a TableAddress) String() string {
	return quotePart(a.Source) + "." + quotePart(a.Schema) + "." + quotePart(a.Table)
}

func quotePart(s string) string {
	if s != "" && !strings.ContainsAny(s, `."*?[]\ `) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// ParseTableAddress parses "source.schema.table". Parts are case-sensitive
// PostgreSQL names; a part containing '.' is written in double quotes with
// "" for a literal quote (app.public."odd.name"). Globs are not allowed.
func ParseTableAddress(s string) (TableAddress, error) {
	var parts []string
	var cur strings.Builder
	quoted := false // current part was quoted
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && cur.Len() == 0 && !quoted:
			end := -1
			var b strings.Builder
			for j := i + 1; j < len(s); j++ {
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						b.WriteByte('"')
						j++
						continue
					}
					end = j
					break
				}
				b.WriteByte(s[j])
			}
			if end < 0 {
				return TableAddress{}, fmt.Errorf("unterminated quoted name in %q", s)
			}
			cur.WriteString(b.String())
			quoted = true
			i = end
			if i+1 < len(s) && s[i+1] != '.' {
				return TableAddress{}, fmt.Errorf("unexpected text after quoted name in %q", s)
			}
		case c == '.':
			parts = append(parts, cur.String())
			cur.Reset()
			quoted = false
		default:
			if quoted {
				return TableAddress{}, fmt.Errorf("unexpected text after quoted name in %q", s)
			}
			if strings.IndexByte(`*?[]`, c) >= 0 {
				return TableAddress{}, fmt.Errorf("%q contains a glob character; a table block names exactly one table (use include_tables/exclude_tables for patterns)", s)
			}
			if c == '"' {
				return TableAddress{}, fmt.Errorf("misplaced double quote in %q", s)
			}
			cur.WriteByte(c)
		}
	}
	parts = append(parts, cur.String())
	if len(parts) != 3 {
		return TableAddress{}, fmt.Errorf("%q must have three parts, source.schema.table (e.g. \"app.public.orders\")", s)
	}
	for i, p := range parts {
		if p == "" {
			return TableAddress{}, fmt.Errorf("%q has an empty %s name", s, []string{"source", "schema", "table"}[i])
		}
	}
	return TableAddress{Source: parts[0], Schema: parts[1], Table: parts[2]}, nil
}
