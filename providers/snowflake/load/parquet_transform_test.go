package load_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// pqDoc is a Parquet file as pgsnow's extractor writes one: JSON and
// binary as text, a timestamp in its native type.
type pqDoc struct {
	ID  int64   `parquet:"ID"`
	Doc *string `parquet:"DOC,optional"`
	Bin *string `parquet:"BIN,optional"`
	At  *int64  `parquet:"TS,optional,timestamp(microsecond:utc)"`
}

// TestLoadParquetTransform loads through gosnowflake with the COPY
// transformation pgsnow uses for Parquet: the JSON text becomes an OBJECT
// (not a JSON string), hex becomes bytes, the LTZ timestamp keeps its instant.
func TestLoadParquetTransform(t *testing.T) {
	e := start(t, sfemuNone())
	tbl := e.table("PQT")
	e.exec(`CREATE TABLE ` + tbl.Quoted() + ` (ID NUMBER(19,0) NOT NULL, DOC OBJECT, BIN BINARY, TS TIMESTAMP_TZ(6))`)
	at := int64(-14182940000000) // 1969-07-20 20:17:40 UTC
	rows := []pqDoc{{1, ptr(`{"k": [1, "x"]}`), ptr("00ff"), &at}, {2, nil, nil, nil}}
	tr := &load.Transform{Columns: []string{"ID", "DOC", "BIN", "TS"}, Select: []string{
		"GET($1, 'ID')::NUMBER(19,0)", "PARSE_JSON(GET($1, 'DOC')::VARCHAR)::OBJECT",
		"TO_BINARY(GET($1, 'BIN')::VARCHAR, 'HEX')", "GET($1, 'TS')::TIMESTAMP_TZ(6)"}}
	c := load.Chunk{Table: tbl, Prefix: "run1/S.PQT", Name: "s_pqt_chunk_0001.parquet", Compression: "NONE",
		FileFormat: "TYPE = PARQUET USE_VECTORIZED_SCANNER = TRUE BINARY_AS_TEXT = FALSE", Parquet: true, Transform: tr}
	rec, err := e.loader().LoadChunk(context.Background(), c, func(w io.Writer) (load.Extracted, error) {
		pw := parquet.NewGenericWriter[pqDoc](w, parquet.DataPageVersion(1), parquet.Compression(&parquet.Snappy))
		n, err := pw.Write(rows)
		if err != nil {
			return load.Extracted{}, err
		}
		return load.Extracted{Rows: int64(n)}, pw.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Rows != 2 {
		t.Errorf("rows = %d", rec.Rows)
	}
	got := e.rows(`SELECT ID, DOC, BIN, TS FROM ` + tbl.Quoted() + ` ORDER BY ID`)
	want := [][]string{{"1", "{\n  \"k\": [\n    1,\n    \"x\"\n  ]\n}", "\x00\xff", "1969-07-20T20:17:40Z"}, {"2", "NULL", "NULL", "NULL"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	// The statement names the columns and the one file.
	sql := load.Copy{Table: tbl, Stage: e.stage, Prefix: c.Prefix, Name: c.Name, FileFormat: c.FileFormat, Transform: tr}.SQL()
	for _, part := range []string{`COPY INTO "` + tbl.Database + `"."S"."PQT" ("ID", "DOC", "BIN", "TS") FROM (SELECT GET($1, 'ID')::NUMBER(19,0), `,
		`FROM @` + string(e.stage) + `/run1/S.PQT) FILES = ('s_pqt_chunk_0001.parquet')`, "ON_ERROR = ABORT_STATEMENT"} {
		if !strings.Contains(sql, part) {
			t.Errorf("%s\nlacks %s", sql, part)
		}
	}
	if strings.Contains(sql, "MATCH_BY_COLUMN_NAME") {
		t.Errorf("%s: MATCH_BY_COLUMN_NAME cannot be combined with a transformation", sql)
	}
	bad := load.Copy{Table: tbl, Stage: e.stage, Prefix: c.Prefix, Name: c.Name, FileFormat: c.FileFormat,
		Transform: &load.Transform{Columns: []string{"ID"}}}
	if _, err := bad.Run(context.Background(), e.db); err == nil || !strings.Contains(err.Error(), "1 columns and 0 SELECT items") {
		t.Errorf("malformed transformation: %v", err)
	}
}
