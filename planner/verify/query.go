package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/state"
)

// Column names one column compared outside the fingerprint.
type Column struct {
	Name string // source column name
	Mode string // typemap.CheckAggregate or typemap.CheckCount
}

// Columns are the table's columns compared by aggregates, in the order
// the queries return them.
func Columns(t *typemap.Table) []Column {
	var out []Column
	for _, d := range t.Columns {
		if d.Check.Mode == typemap.CheckAggregate || d.Check.Mode == typemap.CheckCount {
			out = append(out, Column{Name: d.Column, Mode: d.Check.Mode})
		}
	}
	return out
}

// Width is the number of values the queries return for a table whose
// aggregate columns are cols.
func Width(cols []Column) int {
	n := 2
	for _, c := range cols {
		if c.Mode == typemap.CheckAggregate {
			n += 6
		} else {
			n++
		}
	}
	return n
}

// MappingChanged says how the table's columns as created (the state's
// record obj) differ from the mapping now, "" when they do not or when
// the state does not record them. Checks made from a changed mapping do
// not apply to what was loaded.
func MappingChanged(obj *state.Object, t *typemap.Table) string {
	if obj == nil || len(obj.Columns) == 0 {
		return ""
	}
	var was, now []string
	for _, c := range obj.Columns {
		was = append(was, c.Name+" "+c.Type)
	}
	for _, d := range t.Columns {
		now = append(now, d.Target+" "+d.Type.String())
	}
	if slices.Equal(was, now) {
		return ""
	}
	return fmt.Sprintf("created as %s, mapped now as %s", strings.Join(was, ", "), strings.Join(now, ", "))
}

// PostgresQuery is the one-row query over the source table; where (the
// spec's where clause, "" for none) restricts it like the extraction. It
// assumes the extraction session (typemap.ExtractSession). Every value is
// returned as text (or NULL).
func PostgresQuery(t *typemap.Table, where string) string {
	list := []string{"count(*)::text", "coalesce(sum(" + t.FingerprintPG() + "), 0)::text"}
	for _, d := range t.Columns {
		switch d.Check.Mode {
		case typemap.CheckCount:
			list = append(list, fmt.Sprintf("count(%s)::text", d.Check.PG))
		case typemap.CheckAggregate:
			// The value as loaded: the extraction's text read as a double.
			// For real columns that is the shortest text of the float4
			// (1.1), not its exact widening (1.100000023841858), and
			// Snowflake holds the former.
			v := "(" + d.Extract + ")::float8"
			finite := fmt.Sprintf("CASE WHEN %[1]s NOT IN ('NaN', 'Infinity', '-Infinity') THEN %[1]s END", v)
			list = append(list,
				fmt.Sprintf("count(%s)::text", v),
				fmt.Sprintf("count(CASE WHEN %s = 'NaN' THEN 1 END)::text", v),
				fmt.Sprintf("min(CASE WHEN %[1]s <> 'NaN' THEN %[1]s END)::text", v),
				fmt.Sprintf("max(CASE WHEN %[1]s <> 'NaN' THEN %[1]s END)::text", v),
				fmt.Sprintf("sum(%s)::text", finite),
				fmt.Sprintf("sum(abs(%s))::text", finite))
		}
	}
	q := "SELECT " + strings.Join(list, ", ") + " FROM " + pgFrom(t)
	if where != "" {
		q += " WHERE (" + where + ")"
	}
	return q
}

// SnowflakeQuery is the counterpart of PostgresQuery over database db.
// NUMBER results are printed with TO_VARCHAR (sums exceed int64); FLOAT
// results are returned as doubles, which the driver hands over exactly.
func SnowflakeQuery(db string, t *typemap.Table) string {
	list := []string{"TO_VARCHAR(COUNT(*))", "TO_VARCHAR(COALESCE(SUM(" + t.FingerprintSF() + "), 0))"}
	for _, d := range t.Columns {
		switch d.Check.Mode {
		case typemap.CheckCount:
			list = append(list, fmt.Sprintf("TO_VARCHAR(COUNT(%s))", d.Check.SF))
		case typemap.CheckAggregate:
			v := d.Check.SF
			nan := fmt.Sprintf("%s = 'NaN'::FLOAT", v)
			finite := fmt.Sprintf("IFF(%[1]s = 'NaN'::FLOAT OR %[1]s = 'inf'::FLOAT OR %[1]s = '-inf'::FLOAT, NULL, %[1]s)", v)
			list = append(list,
				fmt.Sprintf("TO_VARCHAR(COUNT(%s))", v),
				fmt.Sprintf("TO_VARCHAR(COUNT(IFF(%s, 1, NULL)))", nan),
				fmt.Sprintf("MIN(IFF(%s, NULL, %s))", nan, v),
				fmt.Sprintf("MAX(IFF(%s, NULL, %s))", nan, v),
				fmt.Sprintf("SUM(%s)", finite),
				fmt.Sprintf("SUM(ABS(%s))", finite))
		}
	}
	return "SELECT " + strings.Join(list, ", ") + " FROM " + ident.Qualified(db, t.Schema, t.Target)
}

// HashColumns are the source names of the columns in the fingerprint, in
// the order ColumnPostgresQuery and ColumnSnowflakeQuery return them.
func HashColumns(t *typemap.Table) []string {
	var out []string
	for _, d := range t.Columns {
		if d.Check.Mode == typemap.CheckHash {
			out = append(out, d.Column)
		}
	}
	return out
}

// ColumnPostgresQuery computes one fingerprint per hash column (the same
// formula as the row fingerprint over that column alone). verify runs it
// only when a table's fingerprints differ, to name the columns that do.
func ColumnPostgresQuery(t *typemap.Table, where string) string {
	var list []string
	for _, d := range t.Columns {
		if d.Check.Mode != typemap.CheckHash {
			continue
		}
		v := "(" + d.Check.PG + ")"
		elem := fmt.Sprintf("CASE WHEN %[1]s IS NULL THEN 'N' ELSE 'V' || length(%[1]s) || ':' || %[1]s END", v)
		list = append(list, fmt.Sprintf("coalesce(sum(('x' || substr(md5(%s), 1, 15))::bit(60)::bigint), 0)::text", elem))
	}
	q := "SELECT " + strings.Join(list, ", ") + " FROM " + pgFrom(t)
	if where != "" {
		q += " WHERE (" + where + ")"
	}
	return q
}

// ColumnSnowflakeQuery is the counterpart of ColumnPostgresQuery.
func ColumnSnowflakeQuery(db string, t *typemap.Table) string {
	var list []string
	for _, d := range t.Columns {
		if d.Check.Mode != typemap.CheckHash {
			continue
		}
		v := "(" + d.Check.SF + ")"
		elem := fmt.Sprintf("IFF(%[1]s IS NULL, 'N', 'V' || LENGTH(%[1]s) || ':' || %[1]s)", v)
		list = append(list, fmt.Sprintf("TO_VARCHAR(COALESCE(SUM(TO_NUMBER(SUBSTR(MD5(%s), 1, 15), 'XXXXXXXXXXXXXXX')), 0))", elem))
	}
	return "SELECT " + strings.Join(list, ", ") + " FROM " + ident.Qualified(db, t.Schema, t.Target)
}

func pgFrom(t *typemap.Table) string {
	from := typemap.PGIdent(t.SourceName.Schema) + "." + typemap.PGIdent(t.SourceName.Name)
	if t.Only {
		from = "ONLY " + from
	}
	return from
}
