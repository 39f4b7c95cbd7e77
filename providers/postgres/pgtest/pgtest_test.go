package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

func TestChinookHasElevenTables(t *testing.T) {
	ctx := context.Background()
	dsn := NewDatabase(t)
	if err := LoadChinook(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var tables, tracks int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 11 {
		t.Errorf("chinook tables = %d, want 11", tables)
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM track`).Scan(&tracks); err != nil {
		t.Fatal(err)
	}
	if tracks != 3503 {
		t.Errorf("chinook tracks = %d, want 3503", tracks)
	}
}

func TestRestartDropsConnectionsAndKeepsData(t *testing.T) {
	ctx := context.Background()
	c := Start(t)
	if err := ExecScript(ctx, c.DSN("postgres"), "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42);"); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := c.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := conn.Ping(ctx); err == nil {
		t.Error("connection survived a restart")
	}
	conn2, err := pgx.Connect(ctx, c.DSN("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close(ctx)
	var v int
	if err := conn2.QueryRow(ctx, "SELECT v FROM kept").Scan(&v); err != nil || v != 42 {
		t.Fatalf("after restart: v=%d err=%v", v, err)
	}
}

func TestStoppedClusterRefusesConnections(t *testing.T) {
	ctx := context.Background()
	c := Start(t)
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if conn, err := pgx.Connect(ctx, c.DSN("postgres")); err == nil {
		conn.Close(ctx)
		t.Fatal("connected to a stopped cluster")
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
}
