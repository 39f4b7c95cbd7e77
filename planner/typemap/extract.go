package typemap

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/lang/sftype"
)

// ExtractSession are the settings the extraction session must apply before
// COPY; every expression below assumes them.
var ExtractSession = []Setting{
	{"TimeZone", "UTC"},
	{"DateStyle", "ISO, YMD"},
	{"IntervalStyle", "iso_8601"},
	{"extra_float_digits", "3"},
	{"bytea_output", "hex"},
	{"client_encoding", "UTF8"},
}

// LoadSession are the Snowflake session parameters pgsnow's own session
// sets: TIMESTAMP_TZ values arrive without an offset and take the
// session's (UTC); quoted identifiers must keep their case.
var LoadSession = []Setting{
	{"TIMEZONE", "UTC"},
	{"QUOTED_IDENTIFIERS_IGNORE_CASE", "FALSE"},
}

// Setting is one session parameter.
type Setting struct{ Name, Value string }

// Formats written by extraction and declared in the file format.
const (
	pgTimestampFormat = "YYYY-MM-DD HH24:MI:SS.US"
	pgTimeFormat      = "HH24:MI:SS.US"
	sfDateFormat      = "YYYY-MM-DD"
	sfTimeFormat      = "HH24:MI:SS.FF6"
	sfTimestampFormat = "YYYY-MM-DD HH24:MI:SS.FF6"
)

// PGIdent quotes a PostgreSQL identifier.
func PGIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func pgLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// extractExpr is the COPY select-list expression for a column of source s
// loaded into tgt.
func extractExpr(s source, col string, tgt sftype.Type) string {
	c := PGIdent(col)
	switch tgt.Name {
	case "VARCHAR":
		if s.class == cBytea {
			return fmt.Sprintf("encode(%s, 'hex')", c)
		}
		// COPY prints every value with its output function: the exact text
		// (char(n) padded, timestamptz in the session's UTC, interval ISO 8601).
		return c
	case "NUMBER":
		if s.class == cMoney {
			return c + "::numeric"
		}
		return c
	case "FLOAT":
		if s.class == cFloat4 || s.class == cFloat8 {
			// Snowflake spells the specials inf/-inf/NaN; PostgreSQL Infinity.
			return fmt.Sprintf("CASE WHEN %[1]s = 'Infinity' THEN 'inf' WHEN %[1]s = '-Infinity' THEN '-inf' ELSE %[1]s::text END", c)
		}
		if s.class == cMoney {
			return c + "::numeric"
		}
		return c
	case "BINARY":
		return fmt.Sprintf("encode(%s, 'hex')", c)
	case "DATE":
		if s.class == cDate {
			return c // ISO YYYY-MM-DD; infinity and BC keep their spelling so the load fails loudly
		}
		return c + "::date"
	case "TIME":
		if s.class == cTimeTZ {
			c += "::time"
		}
		return fmt.Sprintf("to_char(%s, '%s')", c, pgTimeFormat)
	case "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "TIMESTAMP_LTZ":
		typ := "timestamp"
		if s.class == cTimestampTZ {
			typ = "timestamptz"
		}
		if s.class == cDate {
			c += "::timestamp"
		}
		// to_char prints BC years without a marker: values outside 1..9999
		// and infinities keep PostgreSQL's own text so the load rejects them.
		return fmt.Sprintf("CASE WHEN %[1]s >= '0001-01-01'::%[2]s AND %[1]s < '10000-01-01'::%[2]s THEN to_char(%[1]s, '%[3]s') ELSE %[1]s::text END", c, typ, pgTimestampFormat)
	case "VARIANT", "OBJECT", "ARRAY":
		switch s.class {
		case cArray:
			return fmt.Sprintf("array_to_json(%s)", c)
		case cComposite:
			return fmt.Sprintf("to_jsonb(%s)", c)
		case cHstore:
			return fmt.Sprintf("%s.hstore_to_json(%s)", PGIdent(s.t.Schema), c)
		}
		return c
	case "GEOMETRY", "GEOGRAPHY":
		return fmt.Sprintf("encode(%s.ST_AsEWKB(%s), 'hex')", PGIdent(s.t.Schema), c)
	}
	return c
}

// FileFormatOptions is the Snowflake CSV file format that loads the
// extraction exactly (FIDELITY.md "CSV that round-trips"), in a fixed
// order. compression is ZSTD, GZIP or NONE.
func FileFormatOptions(compression string) []Setting {
	return []Setting{
		{"TYPE", "CSV"},
		{"FIELD_DELIMITER", "','"},
		{"RECORD_DELIMITER", `'\n'`},
		{"SKIP_HEADER", "0"},
		{"FIELD_OPTIONALLY_ENCLOSED_BY", `'"'`},
		{"ESCAPE", "NONE"},
		{"ESCAPE_UNENCLOSED_FIELD", "NONE"},
		{"NULL_IF", "()"},
		{"EMPTY_FIELD_AS_NULL", "TRUE"},
		{"ERROR_ON_COLUMN_COUNT_MISMATCH", "TRUE"},
		{"SKIP_BLANK_LINES", "FALSE"},
		{"BINARY_FORMAT", "HEX"},
		{"ENCODING", "'UTF8'"},
		{"REPLACE_INVALID_CHARACTERS", "FALSE"},
		{"TRIM_SPACE", "FALSE"},
		{"DATE_FORMAT", "'" + sfDateFormat + "'"},
		{"TIME_FORMAT", "'" + sfTimeFormat + "'"},
		{"TIMESTAMP_FORMAT", "'" + sfTimestampFormat + "'"},
		{"COMPRESSION", compression},
	}
}

// SelectList is the COPY select list for the table. A one-column table
// gets a trailing empty field: its NULL would otherwise be written as a
// blank line, which Snowflake rejects (or skips). See CopyOptions.
func (t *Table) SelectList() string {
	parts := make([]string, 0, len(t.Columns)+1)
	for _, d := range t.Columns {
		parts = append(parts, d.Extract)
	}
	if t.PadsRecords() {
		parts = append(parts, "NULL")
	}
	return strings.Join(parts, ", ")
}

// PadsRecords is true when every record carries a trailing empty field
// (one-column tables); the load must then use ERROR_ON_COLUMN_COUNT_MISMATCH
// = FALSE, under which Snowflake documents that extra fields are not loaded.
func (t *Table) PadsRecords() bool { return len(t.Columns) == 1 }

// FileFormatOptions are the complete CSV options for loading this table:
// the named file format's, except that one-column tables (PadsRecords)
// need ERROR_ON_COLUMN_COUNT_MISMATCH = FALSE. Snowflake does not let
// FORMAT_NAME be combined with other format options, so such a table's
// COPY INTO must spell these options inline.
func (t *Table) FileFormatOptions(compression string) []Setting {
	opts := FileFormatOptions(compression)
	if t.PadsRecords() {
		for i := range opts {
			if opts[i].Name == "ERROR_ON_COLUMN_COUNT_MISMATCH" {
				opts[i].Value = "FALSE"
			}
		}
	}
	return opts
}

// CopyQuery is the extraction statement; where (optional, PostgreSQL SQL)
// restricts it to a chunk.
func (t *Table) CopyQuery(where string) string {
	from := PGIdent(t.SourceName.Schema) + "." + PGIdent(t.SourceName.Name)
	if t.Only {
		from = "ONLY " + from
	}
	q := "SELECT " + t.SelectList() + " FROM " + from
	if where != "" {
		q += " WHERE " + where
	}
	return "COPY (" + q + ") TO STDOUT (FORMAT csv)"
}
