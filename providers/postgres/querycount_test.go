package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// queryCounter is a pgx tracer that counts the queries sent.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	return ctx
}

func (q *queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// createManyTables creates n tables of 20 columns each (a primary key,
// a foreign key to the previous table, an index, a comment) in one DO
// block, so that setup stays fast.
func createManyTables(t testing.TB, dsn string, n int) {
	t.Helper()
	sql := fmt.Sprintf(`
DO $$
DECLARE
    cols text := (SELECT string_agg(format('c%%s %%s', i,
        (ARRAY['integer','text','numeric(12,2)','timestamptz','jsonb','boolean','date','bigint[]'])[1 + i %% 8]), ', ')
        FROM generate_series(1, 17) i);
BEGIN
    FOR i IN 1..%d LOOP
        EXECUTE format('CREATE TABLE t%%s (id bigint PRIMARY KEY, parent bigint %%s, %%s)', i,
            CASE WHEN i > 1 THEN format('REFERENCES t%%s (id)', i - 1) ELSE '' END, cols);
        EXECUTE format('CREATE INDEX ON t%%s (c1)', i);
        EXECUTE format('COMMENT ON TABLE t%%s IS %%L', i, 'table ' || i);
    END LOOP;
END
$$;`, n)
	if err := pgtest.ExecScript(context.Background(), dsn, sql); err != nil {
		t.Fatal(err)
	}
}

func countInspectQueries(t testing.TB, dsn string) (int64, int) {
	t.Helper()
	src := mustSource(t, dsn)
	qc := &queryCounter{}
	src.SetTracer(qc)
	db, err := src.Inspect(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return qc.n.Load(), len(db.AllTables())
}

// TestInspectQueryCountIsConstant: introspection must not issue a query
// per table.
func TestInspectQueryCountIsConstant(t *testing.T) {
	small, large := pgtest.NewDatabase(t), pgtest.NewDatabase(t)
	createManyTables(t, small, 10)
	createManyTables(t, large, 200)
	nSmall, tSmall := countInspectQueries(t, small)
	nLarge, tLarge := countInspectQueries(t, large)
	if tSmall != 10 || tLarge != 200 {
		t.Fatalf("inspected %d and %d tables, want 10 and 200", tSmall, tLarge)
	}
	if nSmall != nLarge {
		t.Errorf("queries: %d for 10 tables, %d for 200 tables; want the same count", nSmall, nLarge)
	}
	if nSmall > 20 {
		t.Errorf("introspection used %d queries, want a small fixed number", nSmall)
	}
	t.Logf("introspection queries: %d (10 tables), %d (200 tables)", nSmall, nLarge)
}

// BenchmarkInspect2000 introspects 2,000 tables x 20 columns and reports
// the queries per run (target: under 5 s per run).
func BenchmarkInspect2000(b *testing.B) {
	dsn := pgtest.NewDatabase(b)
	createManyTables(b, dsn, 2000)
	if err := pgtest.ExecScript(context.Background(), dsn, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	src := mustSource(b, dsn)
	qc := &queryCounter{}
	src.SetTracer(qc)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db, err := src.Inspect(ctx, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if n := len(db.AllTables()); n != 2000 {
			b.Fatalf("inspected %d tables", n)
		}
	}
	b.ReportMetric(float64(qc.n.Load())/float64(b.N), "queries/op")
	b.ReportMetric(2000, "tables")
}
