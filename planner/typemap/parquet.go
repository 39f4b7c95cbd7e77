package typemap

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pgsnow/pgsnow/providers/catalog"
)

// Parquet files are loaded with a COPY transformation, not with
// MATCH_BY_COLUMN_NAME: Snowflake loads a Parquet string into a VARIANT
// column as a JSON string, so jsonb, arrays and composites need
// PARSE_JSON, and MATCH_BY_COLUMN_NAME cannot be combined with a
// transformation. One SELECT item per column reads the field by its exact
// name (GET is case-sensitive and takes any name as a string literal).
//
// The vectorized scanner (USE_VECTORIZED_SCANNER = TRUE) treats
// BINARY_AS_TEXT as FALSE and USE_LOGICAL_TYPE as TRUE, and documents how
// it reads logical types: TIME → TIME, TIMESTAMP not adjusted to UTC →
// TIMESTAMP_NTZ, adjusted → TIMESTAMP_LTZ (which becomes TIMESTAMP_TZ with
// the session's offset, UTC in pgsnow's session, see LoadSession).

// ParquetFileFormatOptions is the file format of pgsnow's Parquet files.
// NULL_IF applies only to MATCH_BY_COLUMN_NAME loads; it is emptied anyway
// so that no text can ever turn into NULL. The compression is read from
// the file's pages (COMPRESSION = AUTO).
func ParquetFileFormatOptions() []Setting {
	return []Setting{
		{"TYPE", "PARQUET"},
		{"USE_VECTORIZED_SCANNER", "TRUE"},
		{"BINARY_AS_TEXT", "FALSE"},
		{"USE_LOGICAL_TYPE", "TRUE"},
		{"NULL_IF", "()"},
	}
}

// nativeParquet lists the source types whose values the Parquet writer
// stores in a native type that Snowflake documents reading back exactly
// into the given target type (providers/postgres/extract, parquetNode).
var nativeParquet = []struct {
	source *regexp.Regexp
	target string
}{
	{regexp.MustCompile(`^boolean$`), "BOOLEAN"},
	{regexp.MustCompile(`^(smallint|integer|bigint)$`), "NUMBER"},
	{regexp.MustCompile(`^double precision$`), "FLOAT"},
	{regexp.MustCompile(`^date$`), "DATE"},
	{regexp.MustCompile(`^time(\(\d+\))? without time zone$`), "TIME"},
	{regexp.MustCompile(`^timestamp(\(\d+\))? without time zone$`), "TIMESTAMP_NTZ"},
	{regexp.MustCompile(`^timestamp(\(\d+\))? with time zone$`), "TIMESTAMP_TZ"},
	{regexp.MustCompile(`^timestamp(\(\d+\))? with time zone$`), "TIMESTAMP_LTZ"},
}

// ParquetNative reports whether the column is written to Parquet in its
// native type (its extraction expression is then the bare column); every
// other column is written as exactly the text its CSV extraction writes.
//
// real stays text: a float widened to double is a different number than
// the shortest decimal the CSV path loads, and both paths must load the
// same values. bytea stays hex text: Snowflake does not document how
// binary reaches a transformation's $1.
func (d *Decision) ParquetNative() bool {
	for _, n := range nativeParquet {
		if n.target == d.Type.Name && n.source.MatchString(d.SourceType) {
			return true
		}
	}
	return false
}

// ParquetExtract is the column's extraction expression for Parquet.
func (d *Decision) ParquetExtract() string {
	if d.ParquetNative() {
		return PGIdent(d.Column)
	}
	return d.Extract
}

// ParquetLoad is the column's SELECT item in the COPY transformation that
// loads a Parquet file whose field for the column is named d.Target.
func (d *Decision) ParquetLoad() string {
	v := "GET($1, " + sfLit(d.Target) + ")"
	typ := d.Type.String()
	if d.ParquetNative() {
		return v + "::" + typ
	}
	switch d.Type.Name {
	case "VARCHAR":
		return v + "::VARCHAR"
	case "BINARY":
		return "TO_BINARY(" + v + "::VARCHAR, 'HEX')"
	case "VARIANT":
		return "PARSE_JSON(" + v + "::VARCHAR)"
	case "OBJECT", "ARRAY":
		return "PARSE_JSON(" + v + "::VARCHAR)::" + d.Type.Name
	case "GEOGRAPHY", "GEOMETRY":
		return v + "::VARCHAR::" + typ
	}
	// NUMBER, FLOAT, BOOLEAN, DATE, TIME, TIMESTAMP_* from text: the
	// cast parses the same text the CSV path loads.
	return v + "::" + typ
}

// ParquetSelect is the SELECT list of the table's COPY transformation, in
// column order.
func (t *Table) ParquetSelect() []string {
	out := make([]string, len(t.Columns))
	for i, d := range t.Columns {
		out[i] = d.ParquetLoad()
	}
	return out
}

// sfLit is a Snowflake string literal (quotes doubled, backslashes
// escaped: Snowflake reads backslash escapes in single-quoted strings).
func sfLit(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", "''").Replace(s) + "'"
}

// parquetReference renders the Parquet section of docs/type-mapping.md
// from the same sample columns as the CSV table.
func parquetReference() string {
	var b strings.Builder
	b.WriteString("\n## Parquet (`format = \"parquet\"`)\n\n")
	b.WriteString("A Parquet file is loaded with a COPY transformation, one SELECT item per column:\n")
	b.WriteString("`COPY INTO t (\"C1\", …) FROM (SELECT <items> FROM @stage/prefix) FILES = (…) FILE_FORMAT = (<options>)`.\n")
	b.WriteString("MATCH_BY_COLUMN_NAME would load a Parquet string into VARIANT as a JSON string, and Snowflake does\n")
	b.WriteString("not allow it together with a transformation. Columns marked native are written in their Parquet\n")
	b.WriteString("type (extraction expression: the bare column); the others carry exactly the text of the CSV\n")
	b.WriteString("extraction above. `real` stays text so that Parquet and CSV load the same doubles; `bytea` stays hex.\n\n")
	b.WriteString("| PostgreSQL | Snowflake | Parquet field | COPY transformation item |\n|---|---|---|---|\n")
	for _, c := range refCases() {
		col := &catalog.Column{Name: "c", Position: 1, Type: c.typ, Profile: c.p}
		t := &catalog.Table{Schema: "public", Name: "t", Kind: catalog.TableRegular, Columns: []*catalog.Column{col}, Profile: &catalog.TableProfile{Method: catalog.ProfileFull}}
		m, err := Map(&catalog.Database{Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{t}}}}, Options{SourceName: "main"})
		var me *Error
		if errors.As(err, &me) {
			continue // refused: nothing is loaded
		}
		d := m.Schemas[0].Tables[0].Columns[0]
		field := "text"
		if d.ParquetNative() {
			field = "native"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s | `%s` |\n", c.typ.Declared, d.Type.String(), field, mdCell(d.ParquetLoad()))
	}
	b.WriteString("\nFile format options:\n\n| option | value |\n|---|---|\n")
	for _, s := range ParquetFileFormatOptions() {
		fmt.Fprintf(&b, "| `%s` | `%s` |\n", s.Name, mdCell(s.Value))
	}
	return b.String()
}
