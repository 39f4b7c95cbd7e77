package sfload

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
)

// writeGroup writes one Parquet file of optional fields; rows map field
// names to values (absent: NULL).
func writeGroup(t *testing.T, nodes map[string]parquet.Node, rows []map[string]parquet.Value) string {
	t.Helper()
	g := parquet.Group{}
	for n, node := range nodes {
		g[n] = parquet.Optional(node)
	}
	schema := parquet.NewSchema("schema", g)
	var buf bytes.Buffer
	w := parquet.NewWriter(&buf, schema, parquet.DataPageVersion(1))
	for _, r := range rows {
		row := make(parquet.Row, len(nodes))
		for n := range nodes {
			leaf, _ := schema.Lookup(n)
			v, ok := r[n]
			if !ok {
				row[leaf.ColumnIndex] = parquet.NullValue().Level(0, 0, leaf.ColumnIndex)
				continue
			}
			row[leaf.ColumnIndex] = v.Level(0, 1, leaf.ColumnIndex)
		}
		if _, err := w.WriteRows([]parquet.Row{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "f.parquet")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func str(s string) parquet.Value { return parquet.ByteArrayValue([]byte(s)) }

// transformLoad runs Convert with a COPY transformation.
func transformLoad(t *testing.T, path, selectList, copyOpts, tz string, c []Column) (string, FileResult, error) {
	t.Helper()
	opts, err := ParseCopyOptions(copyOpts)
	if err != nil {
		t.Fatal(err)
	}
	opts.TableName, opts.TimeZone = "T", tz
	if opts.Transform, err = ParseTransform(selectList, "t"); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := Convert(t.Context(), path, "f.parquet", *opts.FileFormat, c, opts, &out)
	return out.String(), res, err
}

var pqNodes = map[string]parquet.Node{
	"ID": parquet.Int(32), "N": parquet.String(), "D": parquet.Leaf(parquet.DoubleType), "OK": parquet.Leaf(parquet.BooleanType),
	"DAY": parquet.Date(), "T": parquet.TimeAdjusted(parquet.Microsecond, false),
	"TS": parquet.TimestampAdjusted(parquet.Microsecond, false), "TZ": parquet.Timestamp(parquet.Microsecond),
	"S": parquet.String(), "J": parquet.String(), "A": parquet.String(), "B": parquet.String(), "RAW": parquet.Leaf(parquet.ByteArrayType),
	"id": parquet.Int(32),
}

const pgsnowItems = `GET($1, 'ID')::NUMBER(10,0), GET($1, 'N')::NUMBER(12,2), GET($1, 'D')::FLOAT, GET($1, 'OK')::BOOLEAN,
 GET($1, 'DAY')::DATE, GET($1, 'T')::TIME(6), GET($1, 'TS')::TIMESTAMP_NTZ(6), GET($1, 'TZ')::TIMESTAMP_TZ(6),
 GET($1, 'S')::VARCHAR, PARSE_JSON(GET($1, 'J')::VARCHAR), PARSE_JSON(GET($1, 'A')::VARCHAR)::ARRAY,
 TO_BINARY(GET($1, 'B')::VARCHAR, 'HEX'), $1:RAW, t.$1:"id"`

var pgsnowCols = cols("ID", "NUMBER(10,0)", "N", "NUMBER(12,2)", "D", "FLOAT", "OK", "BOOLEAN", "DAY", "DATE", "T", "TIME(6)",
	"TS", "TIMESTAMP_NTZ(6)", "TZ", "TIMESTAMP_TZ(6)", "S", "VARCHAR(10)", "J", "VARIANT", "A", "ARRAY", "B", "BINARY", "RAW", "BINARY", "LOWER", "NUMBER(10,0)")

func TestTransformParquet(t *testing.T) {
	ts := time.Date(1969, 7, 20, 20, 17, 40, 123456000, time.UTC)
	far := time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
	rows := []map[string]parquet.Value{
		{"ID": parquet.Int32Value(1), "N": str("-123.45"), "D": parquet.DoubleValue(math.NaN()), "OK": parquet.BooleanValue(true),
			"DAY": parquet.Int32Value(-719162), "T": parquet.Int64Value(86399999999), "TS": parquet.Int64Value(ts.UnixMicro()),
			"TZ": parquet.Int64Value(ts.UnixMicro()), "S": str(`\N`), "J": str(`{"a": [1, 2.50], "b": null}`), "A": str("[1,[2]]"),
			"B": str("00ff5c"), "RAW": parquet.ByteArrayValue([]byte{0xde, 0xad}), "id": parquet.Int32Value(7)},
		{"ID": parquet.Int32Value(2), "D": parquet.DoubleValue(math.Inf(-1)), "TS": parquet.Int64Value(far.UnixMicro()),
			"TZ": parquet.Int64Value(far.UnixMicro()), "S": str(""), "J": str("null")},
	}
	path := writeGroup(t, pqNodes, rows)
	out, res, err := transformLoad(t, path, pgsnowItems, "FILE_FORMAT = (TYPE = PARQUET USE_VECTORIZED_SCANNER = TRUE)", "America/Los_Angeles", pgsnowCols)
	if err != nil {
		t.Fatal(err)
	}
	// The TIMESTAMP_LTZ field takes the session's offset in TIMESTAMP_TZ;
	// NULL_IF does not apply to a transformation (\N stays text).
	want := []string{
		"1\t-123.45\tNaN\tt\t0001-01-01\t23:59:59.999999\t1969-07-20 20:17:40.123456\t1969-07-20 13:17:40.123456-07:00\t\\\\N\t" +
			`{"a":[1,2.50],"b":null}` + "\t[1,[2]]\t\\\\x00ff5c\t\\\\xdead\t7",
		"2\t\\N\t-Infinity\t\\N\t\\N\t\\N\t9999-12-31 23:59:59.999999\t9999-12-31 15:59:59.999999-08:00\t\tnull\t\\N\t\\N\t\\N\t\\N",
	}
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if res.RowsLoaded != 2 || res.Status != "LOADED" {
		t.Errorf("result %+v", res)
	}
}

func TestTransformRules(t *testing.T) {
	path := writeGroup(t, pqNodes, []map[string]parquet.Value{{"ID": parquet.Int32Value(1), "S": str("toolongvalue"), "J": str(`{"a":1}`), "N": str("1.5")}})
	ff := "FILE_FORMAT = (TYPE = PARQUET USE_VECTORIZED_SCANNER = TRUE)"
	for _, c := range []struct {
		name, items, opts string
		cols              []Column
		want              string // error text
		out               string // loaded row when no error
	}{
		{"a string into VARIANT is a JSON string", "GET($1, 'J')::VARCHAR", ff, cols("V", "VARIANT"), "", `"{\\"a\\":1}"`},
		{"keys are case-sensitive", "GET($1, 'id')", ff, cols("V", "NUMBER(10,0)"), "", `\N`},
		{"a missing field is NULL, refused by NOT NULL", "$1:NOPE", ff, []Column{{Name: "V", Type: pgsnowCols[0].Type, NotNull: true}}, "NULL result in a non-nullable column", ""},
		{"VARCHAR(n) cast is checked", "GET($1, 'S')::VARCHAR(4)", ff, cols("V", "VARCHAR"), "is too long and would be truncated", ""},
		{"the column length is checked", "GET($1, 'S')::VARCHAR", ff, cols("V", "VARCHAR(4)"), "length limit (4) exceeded", ""},
		{"PARSE_JSON of a number", "PARSE_JSON(GET($1, 'ID'))", ff, cols("V", "VARIANT"), "PARSE_JSON of a non-string VARIANT value", ""},
		{"OBJECT cast of an array", "PARSE_JSON(GET($1, 'J')::VARCHAR)::ARRAY", ff, cols("V", "ARRAY"), "not an array", ""},
		{"a cast the emulator does not carry out", "GET($1, 'N')::NUMBER(10,1)", ff, cols("V", "NUMBER(12,2)"), "emulator: unsupported", ""},
		{"not with MATCH_BY_COLUMN_NAME", "GET($1, 'ID')", ff + " MATCH_BY_COLUMN_NAME = CASE_SENSITIVE", cols("ID", "NUMBER(10,0)"), "match_by_column_name is not supported with copy transform", ""},
		{"one item per column", "GET($1, 'ID'), GET($1, 'N')", ff, cols("ID", "NUMBER(10,0)"), "expecting 1 but got 2", ""},
	} {
		out, _, err := transformLoad(t, path, c.items, c.opts, "UTC", c.cols)
		switch {
		case c.want == "" && (err != nil || out != c.out+"\n"):
			t.Errorf("%s: %q %v, want %q", c.name, out, err, c.out)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	for _, bad := range []string{"$2:A", "UPPER($1:A)", "$1", "$1:a.b", "GET($1, 'A'", "TO_BINARY($1:A, 'BASE32')"} {
		if _, err := ParseTransform(bad, ""); err == nil {
			t.Errorf("ParseTransform(%q) accepted", bad)
		}
	}
	it, err := ParseTransform(`GET($1, 'it''s\\x'), $1:"a""b"::NUMBER(10, 2)`, "")
	if err != nil || !slices.Equal([]string{it[0].Field, it[1].Field}, []string{`it's\x`, `a"b`}) || it[1].Ops[0].Type.String() != "NUMBER(10,2)" {
		t.Errorf("ParseTransform: %+v %v", it, err)
	}
}

// TestVectorizedScannerReadsBinary: with USE_VECTORIZED_SCANNER = TRUE,
// BINARY_AS_TEXT is treated as FALSE whatever it says.
func TestVectorizedScannerReadsBinary(t *testing.T) {
	path := writeGroup(t, map[string]parquet.Node{"RAW": parquet.Leaf(parquet.ByteArrayType)},
		[]map[string]parquet.Value{{"RAW": parquet.ByteArrayValue([]byte{0xff, 0x00})}})
	out, _, err := loadParquet(t, path, "FILE_FORMAT = (TYPE = PARQUET BINARY_AS_TEXT = TRUE USE_VECTORIZED_SCANNER = TRUE) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE", cols("RAW", "BINARY"))
	if err != nil || out != "\\\\xff00\n" {
		t.Errorf("%q %v", out, err)
	}
}
