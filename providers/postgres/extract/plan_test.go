package extract

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// coverage extracts every chunk and checks each key appears exactly once
// and the per-chunk counts add up to want.
func coverage(t *testing.T, c Connector, tbl Table, chunks []Chunk, want int64) {
	t.Helper()
	recs, res := extractAll(t, c, tbl, chunks, Options{Format: CSV, Compression: Zstd})
	seen := map[string]int{}
	var total int64
	for i, chunk := range recs {
		total += res[i].Rows
		for _, r := range chunk {
			key := *r[0]
			if prev, dup := seen[key]; dup {
				t.Fatalf("key %s in chunk %d and chunk %d", key, prev, i+1)
			}
			seen[key] = i + 1
		}
	}
	if total != want || int64(len(seen)) != want {
		t.Fatalf("chunks hold %d rows (%d distinct keys), table has %d", total, len(seen), want)
	}
}

const bigSQL = `
CREATE TABLE public.big (id int PRIMARY KEY, pad text) WITH (autovacuum_enabled = false);
INSERT INTO public.big SELECT g, repeat('p', 200) FROM generate_series(1, 20000) g;
ANALYZE public.big;
`

var bigTable = Table{Schema: "public", Name: "big", Columns: []Column{{"ID", "id"}, {"PAD", "pad"}}}

func TestCTIDChunksCoverRowsAppendedAfterPlanning(t *testing.T) {
	t.Parallel()
	c := newDB(t, bigSQL)
	chunks, err := Plan(context.Background(), mustConn(t, c), bigTable, PlanOptions{ChunkRows: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 8 || len(chunks) > 12 {
		t.Fatalf("%d chunks for 20000 rows at 2000 per chunk", len(chunks))
	}
	last := chunks[len(chunks)-1]
	if !strings.HasSuffix(last.ID, "-") || strings.Contains(last.Range, "<") {
		t.Fatalf("last chunk is not open-ended: %+v", last)
	}
	// New blocks after planning; deleting and re-inserting also reuses
	// free space in planned blocks.
	execSQL(t, c, `INSERT INTO public.big SELECT g, repeat('q', 200) FROM generate_series(20001, 25000) g`)
	execSQL(t, c, `DELETE FROM public.big WHERE id % 7 = 0`)
	execSQL(t, c, `VACUUM public.big`)
	execSQL(t, c, `INSERT INTO public.big SELECT g, 'r' FROM generate_series(30001, 31000) g`)
	coverage(t, c, bigTable, chunks, queryInt(t, c, "SELECT count(*) FROM public.big"))
}

func TestChunkPlanningIsDeterministic(t *testing.T) {
	t.Parallel()
	c := newDB(t, bigSQL+`CREATE TABLE public.ck (a text, b int, pad text, PRIMARY KEY (a, b));
INSERT INTO public.ck SELECT md5(g::text), g % 3, repeat('x', 100) FROM generate_series(1, 9000) g; ANALYZE public.ck;`)
	ck := Table{Schema: "public", Name: "ck", Columns: []Column{{"A", "a"}}}
	for _, tc := range []struct {
		tbl Table
		o   PlanOptions
	}{{bigTable, PlanOptions{ChunkRows: 3000}}, {bigTable, PlanOptions{Strategy: ByPK, ChunkRows: 3000}}, {ck, PlanOptions{Strategy: ByPK, ChunkRows: 1000}}} {
		a, err := Plan(context.Background(), mustConn(t, c), tc.tbl, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Plan(context.Background(), mustConn(t, c), tc.tbl, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s %+v: plans differ:\n%s", tc.tbl.Name, tc.o, diff)
		}
		for i, ch := range a {
			if ch.Num != i+1 || ch.Schema != "public" || ch.Table != tc.tbl.Name || ch.ID == "" {
				t.Errorf("chunk %d: %+v", i, ch)
			}
		}
	}
}

func TestCTIDPlanSizing(t *testing.T) {
	t.Parallel()
	c := newDB(t, bigSQL+`CREATE TABLE public.fresh (id int, pad text) WITH (autovacuum_enabled = false);
INSERT INTO public.fresh SELECT g, repeat('p', 200) FROM generate_series(1, 20000) g;
CREATE TABLE public.empty (id int);`)
	q := mustConn(t, c)
	blocks := queryInt(t, c, "SELECT pg_relation_size('public.big') / 8192")
	cases := []struct {
		name string
		tbl  Table
		o    PlanOptions
		want int
	}{
		{"rows", bigTable, PlanOptions{ChunkRows: 5000}, 4},
		{"bytes", bigTable, PlanOptions{ChunkBytes: (blocks / 2) * 8192}, 2},
		{"smaller of both", bigTable, PlanOptions{ChunkRows: 10000, ChunkBytes: (blocks / 4) * 8192}, 4},
		{"default: one chunk", bigTable, PlanOptions{}, 1},
		{"never analyzed", Table{Schema: "public", Name: "fresh", Columns: []Column{{"ID", "id"}}}, PlanOptions{ChunkRows: 5000}, 4},
		{"empty", Table{Schema: "public", Name: "empty", Columns: []Column{{"ID", "id"}}}, PlanOptions{ChunkRows: 5000}, 1},
	}
	for _, tc := range cases {
		chunks, err := Plan(context.Background(), q, tc.tbl, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		// Block granularity and estimates allow one chunk either way.
		if len(chunks) < tc.want || len(chunks) > tc.want+1 {
			t.Errorf("%s: %d chunks, want about %d: %v", tc.name, len(chunks), tc.want, ids(chunks))
		}
		if len(chunks) == 1 && chunks[0].Range != "" {
			t.Errorf("%s: a single chunk needs no range: %q", tc.name, chunks[0].Range)
		}
	}
	if n := queryInt(t, c, "SELECT reltuples::int8 FROM pg_class WHERE relname = 'fresh'"); n != -1 {
		t.Fatalf("fixture: fresh has reltuples %d, want -1 (never analyzed)", n)
	}
	fresh := Table{Schema: "public", Name: "fresh", Columns: []Column{{"ID", "id"}}}
	chunks, _ := Plan(context.Background(), q, fresh, PlanOptions{ChunkRows: 5000})
	coverage(t, c, fresh, chunks, 20000)
}

func ids(chunks []Chunk) []string {
	var out []string
	for _, c := range chunks {
		out = append(out, c.ID)
	}
	return out
}

func TestPKChunks(t *testing.T) {
	t.Parallel()
	c := newDB(t, `
CREATE TABLE public.sparse (id bigint PRIMARY KEY, v text);
INSERT INTO public.sparse SELECT g::int8 * g * 1000 - 9223372036854775807, 'v' FROM generate_series(0, 3000) g;
INSERT INTO public.sparse VALUES (9223372036854775807, 'max');
ANALYZE public.sparse;
CREATE TABLE public.comp (region text COLLATE "C", seq int, at timestamptz, v text, PRIMARY KEY (region, seq, at));
INSERT INTO public.comp SELECT chr(65 + g % 26) || (g % 7), g, '2020-01-01'::timestamptz + g * interval '1.5 second', 'v' FROM generate_series(1, 12000) g;
ANALYZE public.comp;
CREATE TABLE public.uu (id uuid PRIMARY KEY, v text);
INSERT INTO public.uu SELECT md5(g::text)::uuid, 'v' FROM generate_series(1, 5000) g;
ANALYZE public.uu;
CREATE TABLE public.nopk (id int);
`)
	q := mustConn(t, c)
	for _, tc := range []struct {
		name, key string
		chunkRows int64
		wantMin   int
	}{{"sparse", "id", 500, 4}, {"comp", "region || '/' || seq || '/' || at", 1000, 8}, {"uu", "id", 500, 6}} {
		tbl := Table{Schema: "public", Name: tc.name, Columns: []Column{{"K", tc.key}, {"V", "v"}}}
		chunks, err := Plan(context.Background(), q, tbl, PlanOptions{Strategy: ByPK, ChunkRows: tc.chunkRows})
		if err != nil {
			t.Fatal(err)
		}
		if len(chunks) < tc.wantMin {
			t.Errorf("%s: only %d chunks: %v", tc.name, len(chunks), ids(chunks))
		}
		if chunks[0].Range == "" || strings.Contains(chunks[0].Range, ">=") || strings.Contains(chunks[len(chunks)-1].Range, "<") {
			t.Errorf("%s: first/last chunk not open-ended: %q … %q", tc.name, chunks[0].Range, chunks[len(chunks)-1].Range)
		}
		coverage(t, c, tbl, chunks, queryInt(t, c, "SELECT count(*) FROM public."+tc.name))
	}
	_, err := Plan(context.Background(), q, Table{Schema: "public", Name: "nopk", Columns: []Column{{"ID", "id"}}}, PlanOptions{Strategy: ByPK, ChunkRows: 1})
	if err == nil || !strings.Contains(err.Error(), `"public"."nopk" has no primary key`) {
		t.Errorf("no-PK error = %v", err)
	}
	_, err = Plan(context.Background(), q, Table{Schema: "public", Name: "missing", Columns: []Column{{"ID", "id"}}}, PlanOptions{})
	if err == nil || !strings.Contains(err.Error(), `"public"."missing" not found`) {
		t.Errorf("missing-table error = %v", err)
	}
}

func TestPartitionedAndInheritance(t *testing.T) {
	t.Parallel()
	c := newDB(t, `
CREATE TABLE public.events (id int, day date, pad text, PRIMARY KEY (id, day)) PARTITION BY RANGE (day);
CREATE TABLE public.events_2023 PARTITION OF public.events FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY HASH (id);
CREATE TABLE public.events_2024_a PARTITION OF public.events_2024 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE public.events_2024_b PARTITION OF public.events_2024 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
INSERT INTO public.events SELECT g, '2023-01-01'::date + (g % 700), repeat('e', 150) FROM generate_series(1, 12000) g;
ANALYZE public.events;
CREATE TABLE public.parent (id int PRIMARY KEY, pad text);
CREATE TABLE public.child (extra int) INHERITS (public.parent);
INSERT INTO public.parent SELECT g, repeat('p', 150) FROM generate_series(1, 6000) g;
INSERT INTO public.child SELECT g, 'c', 1 FROM generate_series(100001, 103000) g;
ANALYZE public.parent;
`)
	q := mustConn(t, c)
	events := Table{Schema: "public", Name: "events", Columns: []Column{{"K", "id || '/' || day"}, {"PAD", "pad"}}, Where: "id <> 5 -- a comment"}
	chunks, err := Plan(context.Background(), q, events, PlanOptions{ChunkRows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	leaves := map[string]bool{}
	for _, ch := range chunks {
		if strings.Contains(ch.From, `"events"`) || !strings.HasPrefix(ch.From, "ONLY ") {
			t.Errorf("chunk reads %s, want ONLY a leaf partition", ch.From)
		}
		leaves[ch.From] = true
	}
	if len(leaves) != 3 || len(chunks) < 9 {
		t.Errorf("%d chunks over %d leaves: %v", len(chunks), len(leaves), ids(chunks))
	}
	coverage(t, c, events, chunks, 11999)

	byPK, err := Plan(context.Background(), q, events, PlanOptions{Strategy: ByPK, ChunkRows: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if byPK[0].From != `"public"."events"` || len(byPK) < 6 {
		t.Errorf("pk chunks of a partitioned table: %d, from %s", len(byPK), byPK[0].From)
	}
	coverage(t, c, events, byPK, 11999)

	parent := Table{Schema: "public", Name: "parent", Columns: []Column{{"ID", "id"}, {"PAD", "pad"}}}
	for _, s := range []Strategy{ByCTID, ByPK} {
		chunks, err := Plan(context.Background(), q, parent, PlanOptions{Strategy: s, ChunkRows: 1000})
		if err != nil {
			t.Fatal(err)
		}
		coverage(t, c, parent, chunks, 6000) // child rows are the child table's
	}
}

func TestWhereIsAndedWithTheRange(t *testing.T) {
	t.Parallel()
	c := newDB(t, bigSQL)
	tbl := bigTable
	tbl.Where = "id % 3 = 0 OR id < 10"
	chunks, err := Plan(context.Background(), mustConn(t, c), tbl, PlanOptions{ChunkRows: 4000})
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := extractAll(t, c, tbl, chunks, Options{Format: CSV, Compression: None})
	var got []int
	for _, chunk := range recs {
		for _, r := range chunk {
			n, _ := strconv.Atoi(*r[0])
			got = append(got, n)
		}
	}
	sort.Ints(got)
	var want []int
	for i := 1; i <= 20000; i++ {
		if i%3 == 0 || i < 10 {
			want = append(want, i)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("filtered rows (-want +got):\n%s", diff)
	}
	if q := chunks[1].query(tbl); !strings.Contains(q, fmt.Sprintf("AND (%s\n)", tbl.Where)) {
		t.Errorf("query %q", q)
	}
}

func TestMaterializedViewAndEmptyPartitionedTable(t *testing.T) {
	t.Parallel()
	c := newDB(t, bigSQL+`CREATE MATERIALIZED VIEW public.mv AS SELECT id, pad FROM public.big WHERE id <= 9000; ANALYZE public.mv;
CREATE TABLE public.nopart (id int) PARTITION BY RANGE (id);`)
	mv := Table{Schema: "public", Name: "mv", Columns: []Column{{"ID", "id"}, {"PAD", "pad"}}}
	chunks, err := Plan(context.Background(), mustConn(t, c), mv, PlanOptions{ChunkRows: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 4 {
		t.Errorf("%d chunks: %v", len(chunks), ids(chunks))
	}
	coverage(t, c, mv, chunks, 9000)
	np := Table{Schema: "public", Name: "nopart", Columns: []Column{{"ID", "id"}}}
	chunks, err = Plan(context.Background(), mustConn(t, c), np, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	coverage(t, c, np, chunks, 0)
}
