package extract

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
)

// extractOne extracts the whole table as one Parquet chunk.
func extractOne(t *testing.T, c Connector, tbl Table, o Options) ([]byte, error) {
	t.Helper()
	ctx := context.Background()
	snap, err := BeginSnapshot(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	chunks, err := snap.Plan(ctx, tbl, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := OpenWorker(ctx, c, snap.ID())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	var buf bytes.Buffer
	_, err = w.Extract(ctx, tbl, chunks[0], o, &buf)
	return buf.Bytes(), err
}

// TestParquetText: columns named in ParquetText are PostgreSQL's output
// text (t/f, padded char, the session's timestamptz), not the native value.
func TestParquetText(t *testing.T) {
	t.Parallel()
	c := newDB(t, `CREATE TABLE public.tx (b bool, n int, ch char(4), ts timestamptz, raw bytea);
INSERT INTO public.tx VALUES (true, 7, 'ab', '2024-01-02 03:04:05.5+02', '\x00ff'), (NULL, NULL, NULL, NULL, NULL);`)
	tbl := Table{Schema: "public", Name: "tx", Columns: []Column{{"B", "b"}, {"N", "n"}, {"CH", "ch"}, {"TS", "ts"}, {"RAW", "raw"}},
		ParquetText: []string{"B", "N", "CH", "TS", "RAW"}}
	o := Options{Format: Parquet, Compression: Zstd}
	b, err := extractOne(t, c, tbl, o)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, fl := range f.Schema().Fields() {
		if lt := fl.Type().LogicalType(); lt == nil || lt.String() != "STRING" {
			t.Errorf("field %s is %v, want STRING", fl.Name(), fl.Type())
		}
	}
	rows := make([]parquet.Row, 2)
	n, _ := f.RowGroups()[0].Rows().ReadRows(rows)
	var got [][]string
	for _, r := range rows[:n] {
		var vals []string
		for _, v := range r {
			if v.IsNull() {
				vals = append(vals, "NULL")
			} else {
				vals = append(vals, string(v.ByteArray()))
			}
		}
		got = append(got, vals)
	}
	// Fields sort by name: B, CH, N, RAW, TS.
	want := [][]string{{"t", "ab  ", "7", `\x00ff`, "2024-01-02 01:04:05.5+00"}, {"NULL", "NULL", "NULL", "NULL", "NULL"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	tbl.ParquetText = []string{"NOPE"}
	if _, err := extractOne(t, c, tbl, o); err == nil || !strings.Contains(err.Error(), `"NOPE"`) {
		t.Errorf("unknown ParquetText column: err = %v", err)
	}
}

// TestParquetRefusesYearRange: a BC or five-digit year cannot be written
// as a native date or timestamp that Snowflake would read back unchanged.
func TestParquetRefusesYearRange(t *testing.T) {
	t.Parallel()
	c := newDB(t, `CREATE TABLE public.yr (id int, d date, ts timestamp, tz timestamptz);
INSERT INTO public.yr VALUES (1, '0001-01-01', '0001-01-01 00:00:00', '9999-12-31 23:59:59.999999+00');
CREATE TABLE public.bc (d date); INSERT INTO public.bc VALUES ('0001-12-31 BC');
CREATE TABLE public.big (ts timestamp); INSERT INTO public.big VALUES ('10000-01-01 00:00:00');
CREATE TABLE public.bigtz (tz timestamptz); INSERT INTO public.bigtz VALUES ('9999-12-31 23:30:00-01');`)
	o := Options{Format: Parquet, Compression: Snappy}
	if _, err := extractOne(t, c, Table{Schema: "public", Name: "yr", Columns: []Column{{"ID", "id"}, {"D", "d"}, {"TS", "ts"}, {"TZ", "tz"}}}, o); err != nil {
		t.Errorf("years 1 and 9999: %v", err)
	}
	for _, tb := range []string{"bc", "big", "bigtz"} {
		col := map[string]string{"bc": "d", "big": "ts", "bigtz": "tz"}[tb]
		_, err := extractOne(t, c, Table{Schema: "public", Name: tb, Columns: []Column{{"C", col}}}, o)
		if err == nil || !strings.Contains(err.Error(), `row 1, column "C": year outside 1..9999`) {
			t.Errorf("%s: err = %v", tb, err)
		}
	}
}
