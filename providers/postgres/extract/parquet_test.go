package extract

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

const parquetSQL = `
CREATE TABLE public.pq (
  id int PRIMARY KEY, s smallint, b bigint, r real, d float8, ok bool, day date, ts timestamp, tz timestamptz,
  t time, bin bytea, wide numeric, txt text, j json, jb jsonb, u uuid, iv interval, ttz timetz);
INSERT INTO public.pq VALUES
 (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (2, -32768, -9223372036854775808, 'NaN', 'Infinity', true, '0001-01-01', '1999-12-31 23:59:59.999999', '2024-02-29 12:00:00.5+05:30',
  '23:59:59.999999', '\x00ff5c', 123456789012345678901234567890123456789.123456789, '', '{"a": 1, "a": 2}', '{"n": 12345678901234567890}',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 year 2 mons 3 days 04:05:06.7', '12:00:00+05:30'),
 (3, 32767, 9223372036854775807, '-Infinity', -0.0, false, '9999-12-31', '1900-02-28 00:00:00', '1850-06-01 00:00:00+00',
  '00:00:00', '\x', 'NaN', E'"q", \\ \r\n \\N', '[]', 'null', '00000000-0000-0000-0000-000000000000', 'PT-1S', '00:00:00-12');
INSERT INTO public.pq (id, s, b, d, txt, tz) SELECT g, g % 100, g::int8 * 1000003, g / 7.0, repeat('x', g % 40), '2020-01-01'::timestamptz + g * interval '1 minute'
  FROM generate_series(4, 3000) g;
`

var pqTable = Table{Schema: "public", Name: "pq", Columns: []Column{
	{"ID", "id"}, {"S", "s"}, {"B", "b"}, {"R", "r"}, {"D", "d"}, {"OK", "ok"}, {"DAY", "day"}, {"TS", "ts"}, {"TZ", "tz"},
	{"T", "t"}, {"BIN", "bin"}, {"Wide Num", "wide"}, {"txt", "txt"}, {"J", "j"}, {"JB", "jb"}, {"U", "u"}, {"IV", "iv"}, {"TTZ", "ttz"},
}}

// pgRows reads the table with pgx into the Go values the Parquet file
// must hold; text-written types come from PostgreSQL's own text output.
func pgRows(t *testing.T, c Connector) [][]any {
	t.Helper()
	ctx := context.Background()
	conn, err := connect(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT id, s, b, r, d, ok, day, ts, tz, t, bin, wide::text, txt, j::text, jb::text, u::text, iv::text, ttz::text FROM public.pq ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		var id int64
		var s, b *int64
		var r *float32
		var d *float64
		var ok *bool
		var day, ts, tz *time.Time
		var tm pgtype.Time
		var bin []byte
		var texts [7]*string
		if err := rows.Scan(&id, &s, &b, &r, &d, &ok, &day, &ts, &tz, &tm, &bin, &texts[0], &texts[1], &texts[2], &texts[3], &texts[4], &texts[5], &texts[6]); err != nil {
			t.Fatal(err)
		}
		rec := []any{id, deref(s), deref(b), deref(r), deref(d), deref(ok), utc(day), utc(ts), utc(tz)}
		if tm.Valid {
			rec = append(rec, tm.Microseconds)
		} else {
			rec = append(rec, nil)
		}
		if bin == nil {
			rec = append(rec, nil)
		} else {
			rec = append(rec, bin)
		}
		for _, s := range texts {
			rec = append(rec, deref(s))
		}
		out = append(out, rec)
	}
	return out
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func utc(p *time.Time) any {
	if p == nil {
		return nil
	}
	return p.UTC()
}

// parquetRows decodes the file by the schema's logical types, in the
// order of cols.
func parquetRows(t *testing.T, data []byte, cols []Column) [][]any {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	schema := f.Schema()
	r := parquet.NewReader(bytes.NewReader(data))
	defer r.Close()
	var out [][]any
	buf := make([]parquet.Row, 100)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			rec := make([]any, len(cols))
			for i, c := range cols {
				leaf, _ := schema.Lookup(c.Name)
				rec[i] = decodeValue(row[leaf.ColumnIndex], leaf.Node.Type().LogicalType())
			}
			out = append(out, rec)
		}
		if err != nil {
			break
		}
	}
	return out
}

func decodeValue(v parquet.Value, lt *format.LogicalType) any {
	if v.IsNull() {
		return nil
	}
	var ltv format.LogicalTypeValue
	if lt != nil {
		ltv = lt.Value
	}
	switch ltv.(type) {
	case *format.DateType:
		return time.Unix(0, 0).UTC().AddDate(0, 0, int(v.Int32()))
	case *format.TimestampType:
		return time.UnixMicro(v.Int64()).UTC()
	case *format.TimeType:
		return v.Int64()
	case *format.StringType:
		return string(v.ByteArray())
	}
	switch v.Kind() {
	case parquet.Boolean:
		return v.Boolean()
	case parquet.Int32:
		return int64(v.Int32())
	case parquet.Int64:
		return v.Int64()
	case parquet.Float:
		return v.Float()
	case parquet.Double:
		return v.Double()
	}
	return append([]byte{}, v.ByteArray()...)
}

func TestParquetValues(t *testing.T) {
	t.Parallel()
	c := newDB(t, parquetSQL)
	want := pgRows(t, c)
	chunks, err := Plan(context.Background(), mustConn(t, c), pqTable, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, comp := range []Compression{Snappy, Zstd} {
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
		o := Options{Format: Parquet, Compression: comp, RowGroupRows: 700}
		res, err := w.Extract(ctx, pqTable, chunks[0], o, &buf)
		w.Close(ctx)
		snap.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := parquetRows(t, buf.Bytes(), pqTable.Columns)
		sort.Slice(got, func(i, j int) bool { return got[i][0].(int64) < got[j][0].(int64) })
		if diff := cmp.Diff(want, got, cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s: Parquet values (-postgres +parquet):\n%s", comp, diff)
		}
		sum := sha256.Sum256(buf.Bytes())
		if res.Rows != 3000 || res.Bytes != int64(buf.Len()) || res.Checksum != "sha256:"+hex.EncodeToString(sum[:]) || res.File != "public_pq_chunk_0001.parquet" {
			t.Errorf("%s: result %+v", comp, res)
		}
		f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if n := len(f.RowGroups()); n != 5 {
			t.Errorf("%s: %d row groups, want 5 (3000 rows, 700 per group)", comp, n)
		}
		var names []string
		for _, fl := range f.Schema().Fields() {
			names = append(names, fl.Name())
		}
		if !strings.Contains(strings.Join(names, "|"), "Wide Num") {
			t.Errorf("field names %v", names)
		}
		for _, rg := range f.Metadata().RowGroups {
			for _, col := range rg.Columns {
				if col.MetaData.Codec != map[Compression]format.CompressionCodec{Snappy: format.Snappy, Zstd: format.Zstd}[comp] {
					t.Errorf("%s: column %v codec %v", comp, col.MetaData.PathInSchema, col.MetaData.Codec)
				}
			}
		}
		assertDataPageV1(t, buf.Bytes())
	}
}

// assertDataPageV1 checks, from the column chunks' encoding stats, that
// data pages are v1 only.
func assertDataPageV1(t *testing.T, data []byte) {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	v1 := 0
	for _, rg := range f.Metadata().RowGroups {
		for _, col := range rg.Columns {
			for _, st := range col.MetaData.EncodingStats {
				switch st.PageType {
				case format.DataPageV2:
					t.Fatalf("column %v has v2 data pages", col.MetaData.PathInSchema)
				case format.DataPage:
					v1 += int(st.Count)
				}
			}
		}
	}
	if v1 == 0 {
		t.Fatal("no v1 data pages recorded")
	}
}

func TestParquetRefusesInfinity(t *testing.T) {
	t.Parallel()
	c := newDB(t, `CREATE TABLE public.inf (d date); INSERT INTO public.inf VALUES ('2020-01-01'), ('infinity');`)
	tbl := Table{Schema: "public", Name: "inf", Columns: []Column{{"D", "d"}}}
	chunks, err := Plan(context.Background(), mustConn(t, c), tbl, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	snap, _ := BeginSnapshot(ctx, c)
	defer snap.Close(ctx)
	w, _ := OpenWorker(ctx, c, snap.ID())
	_, err = w.Extract(ctx, tbl, chunks[0], Options{Format: Parquet, Compression: Zstd}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), `"public"."inf" chunk 1`) || !strings.Contains(err.Error(), `row 2, column "D": infinite`) {
		t.Errorf("error = %v", err)
	}
}

func TestParquetRowGroupsBoundedByBytes(t *testing.T) {
	t.Parallel()
	c := newDB(t, `CREATE TABLE public.wide (id int, doc text);
INSERT INTO public.wide SELECT g, repeat(md5(g::text), 2000) FROM generate_series(1, 300) g;`)
	tbl := Table{Schema: "public", Name: "wide", Columns: []Column{{"ID", "id"}, {"DOC", "doc"}}}
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
	// 64 000-byte rows, 1 MB groups: 16 rows per group.
	res, err := w.Extract(ctx, tbl, chunks[0], Options{Format: Parquet, Compression: Snappy, RowGroupBytes: 1 << 20}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var rows int64
	for _, rg := range f.RowGroups() {
		if rg.NumRows() > 17 {
			t.Errorf("row group of %d rows exceeds the byte bound", rg.NumRows())
		}
		rows += rg.NumRows()
	}
	if rows != 300 || res.Rows != 300 || len(f.RowGroups()) < 17 {
		t.Errorf("%d rows in %d row groups, result %d", rows, len(f.RowGroups()), res.Rows)
	}
	got := parquetRows(t, buf.Bytes(), tbl.Columns)
	for _, r := range got {
		if want := strings.Repeat(md5hex(r[0].(int64)), 2000); r[1] != want {
			t.Fatalf("row %v: doc differs", r[0])
		}
	}
}

func md5hex(n int64) string {
	s := md5.Sum([]byte(strconv.FormatInt(n, 10)))
	return hex.EncodeToString(s[:])
}
