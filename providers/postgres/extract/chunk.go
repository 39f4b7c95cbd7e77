package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// Column is one output column: Name is the target column name (Parquet
// field names equal it exactly), Expr the SQL extraction expression from
// the type mapping, evaluated against the source table's columns.
type Column struct {
	Name string
	Expr string
}

// Table is one source table to extract.
type Table struct {
	Schema, Name string
	Columns      []Column
	// Where is the spec's row filter, ANDed (in parentheses, followed by
	// a newline so a trailing -- comment cannot swallow the parenthesis)
	// with the chunk's range. Empty means all rows.
	Where string
	// ParquetText names the columns (Column.Name) a Parquet file carries
	// as PostgreSQL's text whatever their type: the type mapping keeps a
	// native value only where Snowflake reads it back unchanged.
	ParquetText []string
}

func (t Table) validate() error {
	if t.Schema == "" || t.Name == "" {
		return fmt.Errorf("extract: table needs a schema and a name")
	}
	if len(t.Columns) == 0 {
		return fmt.Errorf("extract: %s has no columns to extract", quoteIdent(t.Schema, t.Name))
	}
	for i, c := range t.Columns {
		if strings.TrimSpace(c.Expr) == "" {
			return fmt.Errorf("extract: %s column %d (%q) has an empty expression", quoteIdent(t.Schema, t.Name), i+1, c.Name)
		}
	}
	return nil
}

// Chunk is one unit of extraction (and of loading: one file). Chunks of a
// table are numbered from 1 in a deterministic order.
type Chunk struct {
	Schema, Table string
	Num           int
	// ID identifies the chunk's range for the state manifest, e.g.
	// "ctid:public.orders:0-4096", "ctid:public.orders:4096-" (open end),
	// "pk:id:1000-2000", "keyset:9f2c…" or "all:public.orders".
	ID string
	// From is the relation scanned, e.g. `ONLY "public"."orders"` or a
	// leaf partition.
	From string
	// Range is the SQL predicate selecting the chunk's rows; empty means
	// every row of From.
	Range string
}

// FileName is the deterministic name of the chunk's file:
// {schema}_{table}_chunk_{num:04d}{ext}. Characters outside
// [A-Za-z0-9_$-] become '_' and, when any was replaced, a short hash of
// the exact names is appended so distinct tables never share a name.
func (c Chunk) FileName(o Options) string {
	return fmt.Sprintf("%s_chunk_%04d%s", fileStem(c.Schema, c.Table), c.Num, o.Ext())
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9_$-]`)

func fileStem(schema, table string) string {
	s, t := unsafeFileChars.ReplaceAllString(schema, "_"), unsafeFileChars.ReplaceAllString(table, "_")
	stem := s + "_" + t
	if s != schema || t != table {
		h := sha256.Sum256([]byte(schema + "\x00" + table))
		stem += "-" + hex.EncodeToString(h[:4])
	}
	return stem
}

// query is the SELECT a chunk runs.
func (c Chunk) query(t Table) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, col := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(col.Expr)
	}
	b.WriteString(" FROM ")
	b.WriteString(c.From)
	switch {
	case c.Range != "" && t.Where != "":
		fmt.Fprintf(&b, " WHERE %s AND (%s\n)", c.Range, t.Where)
	case c.Range != "":
		b.WriteString(" WHERE " + c.Range)
	case t.Where != "":
		fmt.Fprintf(&b, " WHERE (%s\n)", t.Where)
	}
	return b.String()
}
