package planner_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/internal/golden"
	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/inspect"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const emuPassword = "emu-test-password"

// now is the fixed plan time of the golden tests.
var now = time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)

// emulator is a running sfemu with one user, LOADER.
type emulator struct {
	host string
	port int
}

func startEmulator(t *testing.T) *emulator {
	t.Helper()
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: pgtest.NewDatabase(t), StageDir: t.TempDir(),
		Users: []sfemu.User{{Name: "LOADER", Password: emuPassword}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	host, p, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(p)
	return &emulator{host: host, port: port}
}

// open connects to the emulator with no current database.
func (e *emulator) open(t *testing.T) *sql.DB {
	t.Helper()
	db, err := snowflake.Open(context.Background(), snowflake.Config{Account: "TESTACCT", User: "LOADER",
		Host: e.host, Port: e.port, Protocol: "http", LoginTimeout: 10 * time.Second,
		Auth: snowflake.Auth{Method: "password", Password: emuPassword}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// spec is a one-source spec for source database dsn and Snowflake
// database sfdb; extra HCL is appended.
func (e *emulator) spec(t *testing.T, dsn, sfdb, extra string) *lang.Spec {
	t.Helper()
	src := fmt.Sprintf(`source "postgres" "app" {
  dsn     = %q
  schemas = ["public"]
}

target "snowflake" "emu" {
  account  = "TESTACCT"
  database = %q
  user     = "LOADER"
  host     = %q
  port     = %d
  protocol = "http"
  auth {
    method   = "password"
    password = env("PGSNOW_TEST_SF_PASSWORD", "unused")
  }
}

settings {
  parallelism = 1
}
%s`, dsn, sfdb, e.host, e.port, extra)
	spec, _, diags := lang.Parse(map[string][]byte{"main.pgsnow.hcl": []byte(src)})
	if diags.HasErrors() {
		t.Fatalf("spec: %v", diags)
	}
	return spec
}

// gather builds the planner input as 'pgsnow plan' does: inspect and
// profile the source, read its counters, inspect Snowflake, read the state.
// Connection references are fixed so that goldens do not carry ports.
func gather(t *testing.T, spec *lang.Spec, sf *sql.DB, m state.Manager) planner.Input {
	t.Helper()
	ctx := context.Background()
	s := spec.Sources[0]
	src, err := postgres.NewSource(s.Name, s.ConnString().Reveal())
	if err != nil {
		t.Fatal(err)
	}
	db, err := src.Inspect(ctx, postgres.Options{Filter: postgres.Filter{Schemas: s.Schemas}})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Profile(ctx, db, postgres.ProfileOptions{Concurrency: 1}); err != nil {
		t.Fatal(err)
	}
	conn, err := src.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	stats, err := planner.ReadStats(ctx, conn, db)
	if err != nil {
		t.Fatal(err)
	}
	live, err := inspect.Inspect(ctx, sf, spec.Target.Database)
	if err != nil {
		t.Fatal(err)
	}
	st, err := m.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return planner.Input{Spec: spec, Live: live, State: st, StateBackend: "local: pgsnow.state", Now: now, Version: "0.0.0-test",
		Sources: []planner.Source{{Name: s.Name, DB: db, Stats: stats,
			Ref: plan.SourceRef{Name: s.Name, Host: "127.0.0.1", Port: 5432, Database: "shop", User: "postgres", ServerVersion: db.ServerVersion}}},
		Target: plan.TargetRef{Name: "emu", Account: "TESTACCT", Host: "127.0.0.1", Port: 8080, Protocol: "http", User: "LOADER",
			Database: spec.Target.Database, AuthMethod: "password"}}
}

// simulateApply runs the plan's DDL on the emulator and writes the state
// records the way apply will (apply does not exist yet): every object
// created, updated or replaced is recorded with its full definition and
// columns; every load (load or reload) is recorded as loaded with the
// plan's fingerprint of its source table. No data is copied.
func simulateApply(t *testing.T, emu *emulator, m state.Manager, p *plan.Plan) {
	t.Helper()
	ctx := context.Background()
	st, err := m.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st == nil {
		st = state.New("0.0.0-test")
	}
	// Each statement runs in a new session with no current database:
	// the plan's DDL must name the database itself.
	exec := func(q string) {
		sf := emu.open(t)
		defer sf.Close()
		if _, err := sf.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	fps := map[plan.TableRef]plan.Fingerprint{}
	for _, f := range p.Fingerprints {
		fps[f.Table] = f
	}
	for _, c := range p.Order() {
		if c.Action == plan.NoOp {
			continue
		}
		for _, q := range c.DDL {
			exec(q)
		}
		if c.Kind == plan.KindLoad {
			f := fps[c.Load.Source]
			rows, node := c.Load.EstimatedRows, f.Relfilenode
			st.Loads[c.Address] = &state.Load{Source: c.Load.Source.Source, Schema: c.Load.Source.Schema, Table: c.Load.Source.Table,
				Target: c.Load.Target, Status: state.LoadLoaded, Format: c.Load.Format, Compression: c.Load.Compression,
				Fingerprint: &state.Fingerprint{EstimatedRows: f.EstimatedRows, ExactRows: &rows, TupInserted: f.TupInserted,
					TupUpdated: f.TupUpdated, TupDeleted: f.TupDeleted, Relfilenode: &node, ColumnsSHA256: f.ColumnSignature, TakenAt: now},
				StartedAt: &now, FinishedAt: &now, Files: []*state.File{}}
			continue
		}
		o := &state.Object{Kind: state.Kind(c.Kind), Name: c.Name, CreatedAt: now, UpdatedAt: now}
		o.SetDDL(c.After.Definition)
		for _, col := range c.After.Columns {
			o.Columns = append(o.Columns, state.Column{Name: col.Name, Type: col.Type, Nullable: col.Nullable})
		}
		st.Objects[c.Address] = o
	}
	if err := m.Write(ctx, st); err != nil {
		t.Fatal(err)
	}
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func newState(t *testing.T) state.Manager {
	return local.New(filepath.Join(t.TempDir(), "pgsnow.state"))
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// waitStats returns once no other client session is connected to dsn's
// database: a backend flushes its pg_stat counters before it leaves
// pg_stat_activity, so the next plan's fingerprints include its work.
func waitStats(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for deadline := time.Now().Add(30 * time.Second); ; {
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d other sessions still connected to the source", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
