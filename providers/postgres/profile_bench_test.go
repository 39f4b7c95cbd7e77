package postgres

import (
	"context"
	"testing"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// BenchmarkProfile compares the one-scan profile of a 500,000-row table
// of risky types with a bare count(*) over the same table.
func BenchmarkProfile(b *testing.B) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(b)
	err := pgtest.ExecScript(ctx, dsn, `
CREATE TABLE big (id bigint PRIMARY KEY, amount numeric, note text, at timestamptz, doc jsonb, tags int[], ratio float8, day date);
INSERT INTO big SELECT i, i * 1.25, repeat('x', i % 100), '2024-01-01'::timestamptz + i * interval '1 minute',
    jsonb_build_object('id', i, 'v', i * 0.5), ARRAY[i, i + 1], i / 3.0, '2024-01-01'::date + i % 1000
FROM generate_series(1, 500000) i;
ANALYZE big;`)
	if err != nil {
		b.Fatal(err)
	}
	src := mustSource(b, dsn)
	db, err := src.Inspect(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("count", func(b *testing.B) {
		conn, err := src.Connect(ctx)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		for i := 0; i < b.N; i++ {
			var n int64
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM big").Scan(&n); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(500000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("profile", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := src.Profile(ctx, db, ProfileOptions{Concurrency: 1}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(500000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
