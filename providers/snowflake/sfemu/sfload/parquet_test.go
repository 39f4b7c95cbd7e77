package sfload

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// pqRow is written the way pgsnow's Parquet writer does: field names equal
// to the target columns, wide decimals / NaN / intervals as strings, JSON as text.
type pqRow struct {
	ID      int64     `parquet:"ID"`
	Amount  int64     `parquet:"AMOUNT,decimal(2:12)"`
	Big     []byte    `parquet:"BIG,decimal(0:30)"`
	Name    *string   `parquet:"NAME,optional"`
	Created time.Time `parquet:"CREATED,timestamp(microsecond:utc)"`
	Local   int64     `parquet:"LOCAL,timestamp(nanosecond:local)"`
	Day     int32     `parquet:"DAY,date"` // days since the epoch (time.Time with a time of day is mis-encoded by parquet-go v0.32)
	Active  bool      `parquet:"ACTIVE"`
	Score   float64   `parquet:"SCORE"`
	Wide    string    `parquet:"WIDE"`
	Doc     string    `parquet:"DOC,json"`
	Raw     []byte    `parquet:"RAW"`
	Small   int32     `parquet:"SMALL,uint(16)"`
}

func writeParquet(t *testing.T, rows []pqRow) string {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[pqRow](&buf, parquet.DataPageVersion(1))
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
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

func loadParquet(t *testing.T, path, copyOpts string, c []Column) (string, FileResult, error) {
	t.Helper()
	opts, err := ParseCopyOptions(copyOpts)
	if err != nil {
		t.Fatal(err)
	}
	opts.TableName = "T"
	var out bytes.Buffer
	res, err := Convert(t.Context(), path, "f.parquet", *opts.FileFormat, c, opts, &out)
	return out.String(), res, err
}

func TestParquet(t *testing.T) {
	name := "ann"
	ts := time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)
	day := int32(ts.Unix() / 86400)
	rows := []pqRow{
		{ID: 1, Amount: 12345, Big: bigBytes(-5), Name: &name, Created: ts, Local: ts.UnixNano(), Day: day,
			Active: true, Score: math.Inf(-1), Wide: "123456789012345678901234567890123456789012", Doc: `{"a":[1,2]}`, Raw: []byte("hi"), Small: 65535},
		{ID: 2, Amount: -5, Big: bigBytes(7), Created: ts, Local: ts.UnixNano() + 789, Day: day, Score: math.NaN(), Wide: "NaN", Doc: `[]`, Small: 1},
	}
	path := writeParquet(t, rows)
	c := cols("ID", "NUMBER(19,0)", "AMOUNT", "NUMBER(12,2)", "BIG", "NUMBER(30,0)", "NAME", "VARCHAR(10)",
		"CREATED", "TIMESTAMP_TZ(6)", "LOCAL", "TIMESTAMP_NTZ(9)", "DAY", "DATE", "ACTIVE", "BOOLEAN",
		"SCORE", "FLOAT", "WIDE", "VARCHAR", "DOC", "VARIANT", "RAW", "VARCHAR", "SMALL", "NUMBER(5,0)", "ABSENT", "VARCHAR")
	out, res, err := loadParquet(t, path, "FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE ON_ERROR = CONTINUE", c)
	if err != nil {
		t.Fatal(err)
	}
	want := "1\t123.45\t-5\tann\t2024-01-02 03:04:05.123456+00:00\t2024-01-02 03:04:05.123456\t2024-01-02\tt\t-Infinity\t" +
		"123456789012345678901234567890123456789012\t{\"a\":[1,2]}\thi\t65535\t\\N\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	// Row 2 has nanoseconds the emulator cannot store.
	if res.RowsParsed != 2 || res.ErrorsSeen != 1 || res.FirstErrorColumnName != `"T"["LOCAL":6]` {
		t.Errorf("result %+v", res)
	}
}

func bigBytes(n int64) []byte {
	b := make([]byte, 13) // decimal(0:30) is FIXED_LEN_BYTE_ARRAY(13)
	for i := 12; i >= 0; i-- {
		b[i] = byte(n)
		n >>= 8
	}
	return b
}

func TestParquetRules(t *testing.T) {
	ts := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	day := int32(ts.Unix() / 86400)
	path := writeParquet(t, []pqRow{{ID: 7, Created: ts, Local: ts.UnixNano(), Day: day, Doc: "{}", Raw: []byte{0xde, 0xad}}})
	// Without MATCH_BY_COLUMN_NAME only a single VARIANT/OBJECT column can be loaded.
	_, _, err := loadParquet(t, path, "FILE_FORMAT = (TYPE = PARQUET)", cols("ID", "NUMBER"))
	if err == nil {
		t.Error("multi-column Parquet load without MATCH_BY_COLUMN_NAME must fail")
	}
	out, _, err := loadParquet(t, path, "FILE_FORMAT = (TYPE = PARQUET)", []Column{{Name: "V", Type: sftype.MustParse("VARIANT")}})
	if err != nil || !bytes.Contains([]byte(out), []byte(`"ID":7`)) {
		t.Errorf("whole row into VARIANT: %q %v", out, err)
	}
	// CASE_INSENSITIVE matching, NOT NULL on a missing column.
	c := []Column{{Name: "id", Type: sftype.MustParse("NUMBER")}, {Name: "NOPE", Type: sftype.MustParse("VARCHAR"), NotNull: true}}
	_, res, err := loadParquet(t, path, "FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE ON_ERROR = CONTINUE", c)
	if err != nil || res.FirstError != "NULL result in a non-nullable column" {
		t.Errorf("NOT NULL: %+v %v", res, err)
	}
	// BINARY_AS_TEXT: raw bytes are text by default; with FALSE they are binary.
	bin := cols("RAW", "BINARY")
	_, res, _ = loadParquet(t, path, "FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE ON_ERROR = CONTINUE", bin)
	if res.ErrorsSeen != 1 {
		t.Errorf("BINARY_AS_TEXT=TRUE should read bytes as (invalid) hex text: %+v", res)
	}
	out, _, err = loadParquet(t, path, "FILE_FORMAT = (TYPE = PARQUET BINARY_AS_TEXT = FALSE) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE", bin)
	if err != nil || out != "\\\\xdead\n" {
		t.Errorf("BINARY_AS_TEXT=FALSE: %q %v", out, err)
	}
}
