package planner

import (
	"strings"

	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// qualifier rewrites the type mapping's schema-qualified names
// ("SCHEMA"."NAME") into database-qualified ones ("DB"."SCHEMA"."NAME"),
// so that every statement of the plan says where it acts and runs the
// same in any session, whatever its current database (a database created
// by the plan is current only on the connection that created it).
//
// Only names of objects the plan itself creates are rewritten, only
// outside string literals (comments keep their text), except the stage's
// FORMAT_NAME literal, which names the file format.
type qualifier struct {
	r *strings.Replacer
}

func newQualifier(db string, m *typemap.Model, so typemap.ScriptOptions) *qualifier {
	so = so.WithDefaults()
	var pairs []string
	add := func(schema, name string) {
		pairs = append(pairs, ident.Qualified(schema, name), ident.Qualified(db, schema, name))
	}
	add(so.InternalSchema, so.FileFormat)
	add(so.InternalSchema, so.Stage)
	for _, s := range m.Schemas {
		for _, t := range s.Tables {
			add(t.Schema, t.Target)
		}
		for _, v := range s.Views {
			add(v.Schema, v.Target)
		}
		for _, q := range s.Sequences {
			add(q.Schema, q.Target)
		}
	}
	return &qualifier{r: strings.NewReplacer(pairs...)}
}

// statement qualifies one statement of kind (a ddl.Statement kind).
func (q *qualifier) statement(db, kind, schema, sql string) string {
	if kind == "SCHEMA" {
		pre := "CREATE SCHEMA IF NOT EXISTS " + ident.Quote(schema)
		if strings.HasPrefix(sql, pre) {
			return "CREATE SCHEMA IF NOT EXISTS " + ident.Qualified(db, schema) + sql[len(pre):]
		}
		return sql
	}
	var b strings.Builder
	for sql != "" {
		code, lit, rest := splitLiteral(sql)
		b.WriteString(q.r.Replace(code))
		if kind == "STAGE" && strings.HasPrefix(code[max(len(code)-len("FORMAT_NAME = "), 0):], "FORMAT_NAME = ") {
			lit = q.r.Replace(lit) // the literal names the file format
		}
		b.WriteString(lit)
		sql = rest
	}
	return b.String()
}

// splitLiteral returns the text before the first single-quoted string
// literal (double-quoted identifiers may contain quotes and are code),
// the literal itself (Snowflake escapes: ” and backslash), and the rest.
func splitLiteral(s string) (code, lit, rest string) {
	inIdent := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			inIdent = !inIdent // "" inside an identifier toggles twice
		case s[i] == '\'' && !inIdent:
			j := i + 1
			for j < len(s) {
				if s[j] == '\\' {
					j += 2
					continue
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(s))
			return s[:i], s[i:end], s[end:]
		}
	}
	return s, "", ""
}
