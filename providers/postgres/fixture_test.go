package postgres

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// loadFixture creates a database with testdata/alltypes.sql loaded.
func loadFixture(t testing.TB) string {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	execFile(t, dsn, "testdata/alltypes.sql")
	return dsn
}

func execFile(t testing.TB, dsn, path string) {
	t.Helper()
	sql, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := pgtest.ExecScript(context.Background(), dsn, string(sql)); err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
}

// extensionsAvailable reports whether every named extension can be created.
func extensionsAvailable(t testing.TB, dsn string, names ...string) bool {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_available_extensions WHERE name = ANY($1)`, names).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == len(names)
}
