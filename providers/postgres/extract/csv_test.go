package extract

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const trickySQL = `
CREATE TABLE public.tricky (id int PRIMARY KEY, t text, n numeric(12,2), ts timestamptz, b bytea, f float8);
INSERT INTO public.tricky VALUES
 (1, NULL, NULL, NULL, NULL, NULL),
 (2, '', 0, '2024-02-29 23:59:59.999999+05:30', '\x', 0.1),
 (3, 'ends in backslash\', -1.5, '0044-03-15 12:00:00+00', '\x00ff', 'NaN'),
 (4, '\N', 12345678.91, 'infinity', '\x5c4e', 'Infinity'),
 (5, 'say "hi", then, go', 1, '1999-12-31 23:59:59+00', '\x22', '-Infinity'),
 (6, E'line1\r\nline2\nline3\r', 2, '2000-01-01 00:00:00+00', '\x0d0a', 1e308),
 (7, '""', 3, '2000-01-01 00:00:00+00', '\x', 4.9e-324),
 (8, '\.', 4, '2000-01-01 00:00:00+00', '\x', -0.0),
 (9, 'ünïcødé ✓ 𝄞', 5, '2000-01-01 00:00:00+00', '\x', 123456789.123456789);
CREATE TABLE public.one (v text);
INSERT INTO public.one VALUES (NULL), (''), ('\N'), ('x'), ('"\N"'), (NULL), ('\.');
`

var trickyTable = Table{Schema: "public", Name: "tricky", Columns: []Column{
	{"ID", "id"}, {"T", "t"}, {"N", "n"}, {"TS", "ts"}, {"B", "encode(b, 'hex')"}, {"F", "f"},
}}

func TestCSVRoundTripsTrickyValues(t *testing.T) {
	t.Parallel()
	c := newDB(t, trickySQL)
	want := queryStrings(t, c, "SELECT id, t, n, ts, encode(b, 'hex'), f FROM public.tricky ORDER BY id")
	if len(want) != 9 {
		t.Fatalf("fixture has %d rows", len(want))
	}
	chunks, err := Plan(context.Background(), mustConn(t, c), trickyTable, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, comp := range []Compression{Zstd, Gzip, None} {
		t.Run(string(comp), func(t *testing.T) {
			recs, res := extractAll(t, c, trickyTable, chunks, Options{Format: CSV, Compression: comp})
			if diff := cmp.Diff(want, recs[0]); diff != "" {
				t.Errorf("CSV values differ from PostgreSQL's (-want +got):\n%s", diff)
			}
			if res[0].Rows != 9 || res[0].Padded {
				t.Errorf("result = %+v", res[0])
			}
			if !strings.HasSuffix(res[0].File, Options{Format: CSV, Compression: comp}.Ext()) {
				t.Errorf("file name %q", res[0].File)
			}
		})
	}
	// The session settings decide the text: UTC, ISO dates, round-trip floats.
	got := *want[1][3] + " " + *want[2][3] + " " + *want[1][5]
	if got != "2024-02-29 18:29:59.999999+00 0044-03-15 12:00:00+00 0.1" {
		t.Errorf("session settings not applied: %s", got)
	}
}

func TestOneColumnNullIsNotABlankLine(t *testing.T) {
	t.Parallel()
	c := newDB(t, trickySQL)
	tbl := Table{Schema: "public", Name: "one", Columns: []Column{{"V", "v"}}}
	chunks, err := Plan(context.Background(), mustConn(t, c), tbl, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	snap, err := BeginSnapshot(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	w, err := OpenWorker(ctx, c, snap.ID())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	var buf bytes.Buffer
	res, err := w.Extract(ctx, tbl, chunks[0], Options{Format: CSV, Compression: None}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	// Insertion order is heap order for a fresh table. Every record ends
	// with the constant empty field, so NULL is "," and never a blank line.
	wantFile := ",\n\"\",\n\\N,\nx,\n\"\"\"\\N\"\"\",\n,\n\\.,\n"
	if diff := cmp.Diff(wantFile, buf.String()); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
	if strings.Contains("\n"+buf.String(), "\n\n") {
		t.Error("file has a blank line")
	}
	if !res.Padded || res.Rows != 7 {
		t.Errorf("result = %+v", res)
	}
	recs, err := parseCSV(buf.Bytes(), "")
	if err != nil {
		t.Fatal(err)
	}
	want := queryStrings(t, c, "SELECT v FROM public.one")
	if diff := cmp.Diff(want, unpad(t, recs)); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if _, padded := copySQL(trickyTable, chunks[0]); padded {
		t.Error("a six-column table was padded")
	}
}

func TestResultCountsAndChecksumTheStagedBytes(t *testing.T) {
	t.Parallel()
	c := newDB(t, trickySQL+`INSERT INTO public.tricky SELECT g, repeat('x', g % 50), g, now(), '\x01', g FROM generate_series(10, 5000) g;`)
	chunks, err := Plan(context.Background(), mustConn(t, c), trickyTable, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, comp := range []Compression{Zstd, Gzip, None} {
		ctx := context.Background()
		snap, err := BeginSnapshot(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		w, err := OpenWorker(ctx, c, snap.ID())
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		res, err := w.Extract(ctx, trickyTable, chunks[0], Options{Format: CSV, Compression: comp}, &buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Close(ctx)
		snap.Close(ctx)
		sum := sha256.Sum256(buf.Bytes())
		raw := decompress(t, comp, buf.Bytes())
		recs, err := parseCSV(raw, "")
		if err != nil {
			t.Fatal(err)
		}
		got := Result{File: res.File, Rows: int64(len(recs)), Bytes: int64(buf.Len()), RawBytes: int64(len(raw)),
			Checksum: "sha256:" + hex.EncodeToString(sum[:])}
		want := res
		want.File = "public_tricky_chunk_0001" + Options{Format: CSV, Compression: comp}.Ext()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: result vs file (-reported +measured):\n%s", comp, diff)
		}
		if res.Rows != 5000 {
			t.Errorf("%s: rows = %d, want 5000", comp, res.Rows)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{{CSV, Snappy, 0, 0}, {Parquet, Gzip, 0, 0}, {Parquet, None, 0, 0}, {"json", Zstd, 0, 0}} {
		if o.Validate() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	for _, o := range []Options{{CSV, Zstd, 0, 0}, {CSV, Gzip, 0, 0}, {CSV, None, 0, 0}, {Parquet, Zstd, 0, 0}, {Parquet, Snappy, 0, 0}} {
		if err := o.Validate(); err != nil {
			t.Errorf("%+v: %v", o, err)
		}
	}
}

func TestFileNames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		schema, table string
		num           int
		o             Options
		want          string
	}{
		{"public", "orders", 1, Options{CSV, Zstd, 0, 0}, "public_orders_chunk_0001.csv.zst"},
		{"public", "orders", 12, Options{CSV, Gzip, 0, 0}, "public_orders_chunk_0012.csv.gz"},
		{"s", "t", 10000, Options{CSV, None, 0, 0}, "s_t_chunk_10000.csv"},
		{"s", "t", 3, Options{Parquet, Snappy, 0, 0}, "s_t_chunk_0003.parquet"},
		{"My Schema", "a/b", 1, Options{CSV, Zstd, 0, 0}, "My_Schema_a_b-0e8b51a2_chunk_0001.csv.zst"},
		{"My_Schema", "a_b", 1, Options{CSV, Zstd, 0, 0}, "My_Schema_a_b_chunk_0001.csv.zst"},
	}
	for _, tc := range tests {
		got := Chunk{Schema: tc.schema, Table: tc.table, Num: tc.num}.FileName(tc.o)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s.%s: (-want +got)\n%s", tc.schema, tc.table, diff)
		}
	}
}
