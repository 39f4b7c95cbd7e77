package state

import (
	"fmt"
	"regexp"
	"strings"
)

// Addresses name records in the state, like Terraform resource addresses:
//
//	snowflake_database.ANALYTICS
//	snowflake_schema.ANALYTICS.APP
//	snowflake_table.ANALYTICS.APP.ORDERS
//	load.app.public.orders            (source.schema.table)
//
// A part that is not a plain identifier is double-quoted, with quotes
// doubled as in SQL: snowflake_table.ANALYTICS.APP."Order Lines".

// partsOf is the number of name parts each kind's address has.
var partsOf = map[Kind]int{
	KindDatabase: 1, KindSchema: 2, KindTable: 3, KindView: 3,
	KindSequence: 3, KindStage: 3, KindFileFormat: 3, KindLoad: 3,
}

var plainPart = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*$`)

// ObjectAddress is the address of a Snowflake object.
func ObjectAddress(kind Kind, parts ...string) string {
	return join(kind, parts)
}

// LoadAddress is the address of the load of source table schema.table.
func LoadAddress(source, schema, table string) string {
	return join(KindLoad, []string{source, schema, table})
}

func join(kind Kind, parts []string) string {
	var b strings.Builder
	b.WriteString(string(kind))
	for _, p := range parts {
		b.WriteByte('.')
		if plainPart.MatchString(p) {
			b.WriteString(p)
		} else {
			b.WriteString(`"` + strings.ReplaceAll(p, `"`, `""`) + `"`)
		}
	}
	return b.String()
}

// ParseAddress splits an address into its kind and name parts, checking
// the kind and the number of parts.
func ParseAddress(addr string) (Kind, []string, error) {
	kindStr, rest, ok := strings.Cut(addr, ".")
	kind := Kind(kindStr)
	want, known := partsOf[kind]
	if !known {
		return "", nil, fmt.Errorf("invalid address %q: unknown kind %q (want one of snowflake_database, snowflake_schema, snowflake_table, snowflake_view, snowflake_sequence, snowflake_stage, snowflake_file_format, load)", addr, kindStr)
	}
	if !ok {
		return "", nil, fmt.Errorf("invalid address %q: no name after the kind", addr)
	}
	var parts []string
	for {
		var p string
		if strings.HasPrefix(rest, `"`) {
			i := 1
			var b strings.Builder
			for {
				j := strings.IndexByte(rest[i:], '"')
				if j < 0 {
					return "", nil, fmt.Errorf("invalid address %q: unterminated quoted name", addr)
				}
				b.WriteString(rest[i : i+j])
				i += j + 1
				if strings.HasPrefix(rest[i:], `"`) {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			p, rest = b.String(), rest[i:]
			if rest != "" && rest[0] != '.' {
				return "", nil, fmt.Errorf("invalid address %q: unexpected text after a quoted name", addr)
			}
		} else {
			end := strings.IndexByte(rest, '.')
			if end < 0 {
				end = len(rest)
			}
			p, rest = rest[:end], rest[end:]
			if !plainPart.MatchString(p) {
				return "", nil, fmt.Errorf("invalid address %q: name part %q must be a plain identifier or double-quoted", addr, p)
			}
		}
		parts = append(parts, p)
		if rest == "" {
			break
		}
		rest = rest[1:] // the '.'
	}
	if len(parts) != want {
		return "", nil, fmt.Errorf("invalid address %q: a %s address has %d name parts, not %d", addr, kind, want, len(parts))
	}
	return kind, parts, nil
}
