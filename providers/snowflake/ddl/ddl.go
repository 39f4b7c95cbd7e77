package ddl

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// Script is a set of objects to create.
type Script struct {
	// Session parameters set first (ALTER SESSION SET name = value).
	Session     []Option
	Schemas     []Schema
	FileFormats []FileFormat
	Stages      []Stage
	Sequences   []Sequence
	Tables      []Table
	Views       []View // in dependency order
}

// Option is a NAME = value pair; Value is already Snowflake syntax.
type Option struct{ Name, Value string }

type Schema struct {
	Name    string
	Comment string
}

type FileFormat struct {
	Schema, Name string
	Options      []Option
	Comment      string
}

type Stage struct {
	Schema, Name string
	// FileFormat is the qualified file format the stage defaults to.
	FormatSchema, FormatName string
	// Encryption is the ENCRYPTION TYPE; "" or SNOWFLAKE_FULL (Snowflake's
	// default) adds no clause.
	Encryption string
	Comment    string
}

type Sequence struct {
	Schema, Name     string
	Start, Increment int64
	Comment          string
}

type Table struct {
	Schema, Name string
	Columns      []Column
	Constraints  []Constraint
	Comment      string
}

type Column struct {
	Name    string
	Type    string // rendered Snowflake type, e.g. NUMBER(10,0)
	NotNull bool
	Default string // Snowflake expression, "" for none
	Comment string
}

// Constraint kinds.
const (
	PrimaryKey = "PRIMARY KEY"
	Unique     = "UNIQUE"
	ForeignKey = "FOREIGN KEY"
)

// Constraint is informational in Snowflake (not enforced); created NORELY.
type Constraint struct {
	Name       string
	Kind       string
	Columns    []string
	RefSchema  string
	RefTable   string
	RefColumns []string
}

type View struct {
	Schema, Name string
	Query        string
	Comment      string
}

// Statement is one DDL statement with what it creates.
type Statement struct {
	Kind   string // SESSION, SCHEMA, FILE FORMAT, STAGE, SEQUENCE, TABLE, CONSTRAINT, VIEW
	Schema string
	Name   string
	SQL    string
}

// String is a Snowflake string literal. Backslash is an escape character
// in Snowflake literals, so it is doubled along with single quotes.
func String(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func comment(c string) string {
	if c == "" {
		return ""
	}
	return " COMMENT = " + String(c)
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = ident.Quote(n)
	}
	return strings.Join(q, ", ")
}

// Statements returns every statement in dependency order: session,
// schemas, file formats, stages, sequences, tables (referenced before
// referencing; foreign keys inside a cycle added afterwards by ALTER
// TABLE), views.
func (s Script) Statements() []Statement {
	var out []Statement
	for _, o := range s.Session {
		out = append(out, Statement{Kind: "SESSION", Name: o.Name, SQL: fmt.Sprintf("ALTER SESSION SET %s = %s", o.Name, o.Value)})
	}
	for _, sc := range s.Schemas {
		out = append(out, Statement{"SCHEMA", sc.Name, sc.Name, "CREATE SCHEMA IF NOT EXISTS " + ident.Quote(sc.Name) + comment(sc.Comment)})
	}
	for _, f := range s.FileFormats {
		var b strings.Builder
		fmt.Fprintf(&b, "CREATE FILE FORMAT IF NOT EXISTS %s", ident.Qualified(f.Schema, f.Name))
		for _, o := range f.Options {
			fmt.Fprintf(&b, "\n  %s = %s", o.Name, o.Value)
		}
		if f.Comment != "" {
			b.WriteString("\n " + comment(f.Comment))
		}
		out = append(out, Statement{"FILE FORMAT", f.Schema, f.Name, b.String()})
	}
	for _, st := range s.Stages {
		enc := ""
		if st.Encryption != "" && st.Encryption != "SNOWFLAKE_FULL" {
			enc = " ENCRYPTION = (TYPE = " + String(st.Encryption) + ")"
		}
		sql := fmt.Sprintf("CREATE STAGE IF NOT EXISTS %s FILE_FORMAT = (FORMAT_NAME = %s)%s%s",
			ident.Qualified(st.Schema, st.Name), String(ident.Qualified(st.FormatSchema, st.FormatName)), enc, comment(st.Comment))
		out = append(out, Statement{"STAGE", st.Schema, st.Name, sql})
	}
	for _, q := range s.Sequences {
		sql := fmt.Sprintf("CREATE SEQUENCE IF NOT EXISTS %s START = %d INCREMENT = %d%s",
			ident.Qualified(q.Schema, q.Name), q.Start, q.Increment, comment(q.Comment))
		out = append(out, Statement{"SEQUENCE", q.Schema, q.Name, sql})
	}
	order, deferred := tableOrder(s.Tables)
	for _, i := range order {
		t := s.Tables[i]
		out = append(out, Statement{"TABLE", t.Schema, t.Name, createTable(t, deferred[i])})
	}
	for _, i := range order {
		t := s.Tables[i]
		for _, c := range t.Constraints {
			if deferred[i][c.Name] {
				sql := fmt.Sprintf("ALTER TABLE %s ADD %s", ident.Qualified(t.Schema, t.Name), constraint(c))
				out = append(out, Statement{"CONSTRAINT", t.Schema, c.Name, sql})
			}
		}
	}
	for _, v := range s.Views {
		sql := fmt.Sprintf("CREATE VIEW IF NOT EXISTS %s%s AS\n%s", ident.Qualified(v.Schema, v.Name), comment(v.Comment), v.Query)
		out = append(out, Statement{"VIEW", v.Schema, v.Name, sql})
	}
	return out
}

// Render is the whole script, statements separated by ";" and a blank
// line, runnable as is.
func (s Script) Render() string {
	var b strings.Builder
	b.WriteString("-- Generated by pgsnow. Objects in dependency order; identifiers are quoted.\n\n")
	for _, st := range s.Statements() {
		b.WriteString(st.SQL)
		b.WriteString(";\n\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func createTable(t Table, deferred map[string]bool) string {
	var lines []string
	for _, c := range t.Columns {
		l := "  " + ident.Quote(c.Name) + " " + c.Type
		if c.NotNull {
			l += " NOT NULL"
		}
		if c.Default != "" {
			l += " DEFAULT " + c.Default
		}
		if c.Comment != "" {
			l += " COMMENT " + String(c.Comment)
		}
		lines = append(lines, l)
	}
	for _, c := range t.Constraints {
		if !deferred[c.Name] {
			lines = append(lines, "  "+constraint(c))
		}
	}
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (\n%s\n)%s", ident.Qualified(t.Schema, t.Name), strings.Join(lines, ",\n"), comment(t.Comment))
}

func constraint(c Constraint) string {
	s := fmt.Sprintf("CONSTRAINT %s %s (%s)", ident.Quote(c.Name), c.Kind, quoteList(c.Columns))
	if c.Kind == ForeignKey {
		s += fmt.Sprintf(" REFERENCES %s (%s)", ident.Qualified(c.RefSchema, c.RefTable), quoteList(c.RefColumns))
	}
	return s
}

// tableOrder sorts tables so that referenced tables come first, keeping
// the given order otherwise. Foreign keys that close a cycle are deferred
// to ALTER TABLE (deferred[i] holds their names).
func tableOrder(ts []Table) ([]int, []map[string]bool) {
	index := map[[2]string]int{}
	for i, t := range ts {
		index[[2]string{t.Schema, t.Name}] = i
	}
	deferred := make([]map[string]bool, len(ts))
	for i := range deferred {
		deferred[i] = map[string]bool{}
	}
	done := make([]bool, len(ts))
	var order []int
	for len(order) < len(ts) {
		progressed := false
		for i, t := range ts {
			if done[i] || !ready(t, i, index, done, deferred[i]) {
				continue
			}
			done[i], progressed = true, true
			order = append(order, i)
			break // restart so earlier tables keep priority
		}
		if progressed {
			continue
		}
		// Cycle: defer the pending foreign keys of the first waiting table.
		for i, t := range ts {
			if done[i] {
				continue
			}
			for _, c := range t.Constraints {
				if j, ok := index[[2]string{c.RefSchema, c.RefTable}]; c.Kind == ForeignKey && ok && j != i && !done[j] {
					deferred[i][c.Name] = true
				}
			}
			break
		}
	}
	return order, deferred
}

func ready(t Table, i int, index map[[2]string]int, done []bool, deferred map[string]bool) bool {
	for _, c := range t.Constraints {
		if c.Kind != ForeignKey || deferred[c.Name] {
			continue
		}
		if j, ok := index[[2]string{c.RefSchema, c.RefTable}]; ok && j != i && !done[j] {
			return false
		}
	}
	return true
}
