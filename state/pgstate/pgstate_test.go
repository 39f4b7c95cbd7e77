package pgstate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/statetest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func open(t *testing.T, opts Options) *Manager {
	t.Helper()
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func TestConformance(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	n := 0
	statetest.Conformance(t, func(t *testing.T) statetest.Opener {
		n++ // a fresh state per subtest: a new name in a shared database
		opts := Options{DSN: dsn, Name: "conformance-" + string(rune('a'+n))}
		return func(t *testing.T) state.Manager { return open(t, opts) }
	})
}

func TestSchemaTableAndStoredRow(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	if err := pgtest.ExecScript(ctx, dsn, "CREATE SCHEMA ops"); err != nil {
		t.Fatal(err)
	}
	m := open(t, Options{DSN: dsn, Table: "ops.migration_state"})
	s := statetest.Sample()
	for range 2 {
		if err := m.Write(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := state.Encode(s)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var data, lineage string
	var serial, prev int64
	err = conn.QueryRow(ctx, `SELECT data::text, lineage, serial, previous_serial FROM ops.migration_state WHERE name = 'default'`).
		Scan(&data, &lineage, &serial, &prev)
	if err != nil {
		t.Fatal(err)
	}
	if data != string(want) || lineage != s.Lineage || serial != 2 || prev != 1 {
		t.Errorf("stored row: serial %d previous %d lineage %s, data equal: %v", serial, prev, lineage, data == string(want))
	}
	var locks int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM ops.migration_state_locks").Scan(&locks); err != nil {
		t.Fatalf("locks table: %v", err)
	}
	if !strings.Contains(m.String(), "ops.migration_state") || strings.Contains(m.String(), "postgres://") {
		t.Errorf("String() = %s", m)
	}
}

// TestHolderSessionEnded: a holder whose session ends without unlocking
// (killed process, cut network) is reported as gone, never silently
// replaced; force-unlock releases it.
func TestHolderSessionEnded(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	a := open(t, Options{DSN: dsn})
	id, err := a.Lock(ctx, state.NewLockInfo("apply", "v"))
	if err != nil {
		t.Fatal(err)
	}
	a.Close() // the session ends, the lock row stays
	b := open(t, Options{DSN: dsn})
	for range 2 {
		_, err = b.Lock(ctx, state.NewLockInfo("apply", "v"))
		var le *state.LockError
		if !errors.As(err, &le) || !le.Gone || le.Info.ID != id {
			t.Fatalf("lock of an ended session: %v", err)
		}
		if !strings.Contains(err.Error(), "no longer running") || !strings.Contains(err.Error(), "has ended") {
			t.Errorf("message:\n%s", err)
		}
	}
	if err := b.Write(ctx, state.New("v")); err == nil {
		t.Error("a write went through while a dead holder's lock stands")
	}
	if err := b.ForceUnlock(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lock(ctx, state.NewLockInfo("apply", "v")); err != nil {
		t.Fatalf("lock after force-unlock: %v", err)
	}
}

// TestForceUnlockEndsOnlyTheHolder: force-unlock terminates the session
// the lock row recorded, and no other.
func TestForceUnlockEndsOnlyTheHolder(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	a, b := open(t, Options{DSN: dsn}), open(t, Options{DSN: dsn})
	bystander, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer bystander.Close(ctx)
	id, err := a.Lock(ctx, state.NewLockInfo("apply", "v"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.ForceUnlock(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := a.lockConn.Ping(ctx); err == nil {
		t.Error("the holder's lock session survived force-unlock")
	}
	if err := bystander.Ping(ctx); err != nil {
		t.Errorf("force-unlock ended an unrelated session: %v", err)
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := New(Options{DSN: "postgres://u:s3cret@h:notaport/db"}); err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("bad DSN: %v", err)
	}
	if _, err := New(Options{DSN: "postgres://h/db", Table: "x; DROP TABLE y"}); err == nil {
		t.Error("a table name with SQL in it was accepted")
	}
}
