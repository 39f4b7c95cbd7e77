package command

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/planner/artifacts"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	testSFPassword = "sf-pass-9f8e7d"
	shopSQL        = `
CREATE TABLE customers (id integer PRIMARY KEY, name varchar(120));
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer REFERENCES customers (id), amount numeric(12,2));
INSERT INTO customers SELECT g, 'name ' || g FROM generate_series(1, 20) g;
INSERT INTO orders SELECT g, g % 20 + 1, g * 1.25 FROM generate_series(1, 100) g;
`
	specHCL = `source "postgres" "app" {
  dsn = env("PGSNOW_TEST_SOURCE_DSN")
}

target "snowflake" "emu" {
  account  = "TESTACCT"
  database = "ANALYTICS"
  user     = "LOADER"
  host     = "%s"
  port     = %d
  protocol = "http"
  auth {
    method   = "password"
    password = env("PGSNOW_TEST_SF_PASSWORD")
  }
}
%s`
)

// pgsnow runs the CLI in the working directory and returns its exit code
// and output.
func pgsnow(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(append([]string{"pgsnow"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestPlanCommand runs 'pgsnow plan' and 'pgsnow show' against a real
// PostgreSQL and the emulator: exit codes 2 (changes), 0 (none after the
// objects exist and the state records the loads), 1 (a lossy override
// refused, the state locked), the run directory and -out.
func TestPlanCommand(t *testing.T) {
	srcDSN := pgtest.NewDatabase(t)
	if err := pgtest.ExecScript(context.Background(), srcDSN, shopSQL); err != nil {
		t.Fatal(err)
	}
	waitStats(t, srcDSN)
	host, port, dir := emuWorkspace(t, srcDSN)
	writeSpec := func(extra string) {
		if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, host, port, extra), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeSpec("")

	code, out, errs := pgsnow("plan", "-detailed-exitcode", "-out", "first.plan")
	if code != ExitChanges || !strings.Contains(out, "Plan: 7 to add, 0 to change, 0 to destroy; 2 tables to load") {
		t.Fatalf("first plan: exit %d\n%s\n%s", code, out, errs)
	}
	runs, _ := filepath.Glob("pgsnow-runs/*-plan")
	if len(runs) != 1 {
		t.Fatalf("run directories: %v", runs)
	}
	for _, f := range []string{artifacts.ObjectsFile, artifacts.DecisionsFile, artifacts.RecommendationsFile, PlanFile} {
		if _, err := os.Stat(filepath.Join(runs[0], f)); err != nil {
			t.Error(err)
		}
	}
	if !strings.Contains(errs, runs[0]) {
		t.Errorf("the run directory is not named:\n%s", errs)
	}
	noSecrets(t, out+errs, ".")

	code, shown, errs := pgsnow("show", "first.plan")
	if code != 0 || shown != out {
		t.Errorf("show: exit %d, output differs from plan's:\n%s\n%s", code, shown, errs)
	}
	code, js, _ := pgsnow("show", "-json", "first.plan")
	saved, _ := os.ReadFile("first.plan")
	if code != 0 || js != string(saved) || !json.Valid(saved) {
		t.Errorf("show -json: exit %d; differs from the saved plan", code)
	}

	p, err := plan.Unmarshal(saved)
	if err != nil {
		t.Fatal(err)
	}
	simulateApply(t, host, port, p)

	code, out, errs = pgsnow("plan", "-detailed-exitcode")
	if code != ExitOK || !strings.Contains(out, "No changes.") {
		t.Fatalf("plan after the simulated apply: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = pgsnow("show")
	if code != 0 || !strings.Contains(out, "2 table load(s): 2 loaded") {
		t.Errorf("show (state): exit %d\n%s", code, out)
	}
	code, out, errs = pgsnow("plan", "-format", "json", "-target", "app.public.orders")
	if p, err := plan.Unmarshal([]byte(out)); code != 0 || err != nil || len(p.Targets) != 1 {
		t.Errorf("plan -format json -target: exit %d, %v\n%s", code, err, errs)
	}

	writeSpec(`
table "app.public.orders" {
  column "amount" {
    type = "FLOAT"
  }
}
`)
	code, out, errs = pgsnow("plan", "-detailed-exitcode")
	if code != ExitError || !strings.Contains(errs, "public.orders.amount") || !strings.Contains(errs, "allow_lossy") {
		t.Fatalf("lossy override: exit %d\n%s\n%s", code, out, errs)
	}
	// The failed plan still explains itself in the run directory.
	runs, _ = filepath.Glob("pgsnow-runs/*-plan*")
	last := runs[len(runs)-1]
	if b, err := os.ReadFile(filepath.Join(last, artifacts.DecisionsFile)); err != nil || !bytes.Contains(b, []byte("allow_lossy")) {
		t.Errorf("%s/%s does not list the problem (%v)", last, artifacts.DecisionsFile, err)
	}
	if _, err := os.Stat(filepath.Join(last, PlanFile)); err == nil {
		t.Errorf("a failed plan wrote %s", PlanFile)
	}
	writeSpec("")

	m := local.New(filepath.Join(dir, "pgsnow.state"))
	id, err := m.Lock(context.Background(), state.NewLockInfo("apply", "test"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs = pgsnow("plan", "-lock-timeout", "200ms")
	if code != ExitError || !strings.Contains(errs, "apply") {
		t.Errorf("locked state: exit %d\n%s", code, errs)
	}
	if err := m.Unlock(context.Background(), id); err != nil {
		t.Fatal(err)
	}

	// Drift: a table dropped in Snowflake behind pgsnow's back.
	sfExec(t, host, port, `DROP TABLE "ANALYTICS"."PUBLIC"."ORDERS"`)
	code, out, errs = pgsnow("plan", "-refresh-only", "-detailed-exitcode")
	if code != ExitChanges || !strings.Contains(out, "drift: table dropped in Snowflake outside pgsnow") || !strings.Contains(out, "No changes planned; 1 object changed") {
		t.Errorf("refresh-only with drift: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = pgsnow("plan", "-detailed-exitcode")
	if code != ExitChanges || !strings.Contains(out, "Plan: 1 to add, 0 to change, 0 to destroy; 1 table to load") {
		t.Errorf("plan with drift: exit %d\n%s\n%s", code, out, errs)
	}
}

func sfExec(t *testing.T, host string, port int, q string) {
	t.Helper()
	db, err := snowflake.Open(context.Background(), snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: host, Port: port, Protocol: "http",
		LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: testSFPassword}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// noSecrets fails when the password shows up in output or any file.
func noSecrets(t *testing.T, out, dir string) {
	t.Helper()
	if strings.Contains(out, testSFPassword) {
		t.Error("the Snowflake password is in the output")
	}
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.HasSuffix(path, ".hcl") {
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, []byte(testSFPassword)) {
				t.Errorf("the Snowflake password is in %s", path)
			}
		}
		return nil
	})
}

// simulateApply stands in for apply, which does not exist yet: it runs
// the plan's DDL on the emulator and records the objects and finished
// loads in the state the way apply will (full definition per object; the
// plan's fingerprint per load). No data is copied.
func simulateApply(t *testing.T, host string, port int, p *plan.Plan) {
	t.Helper()
	ctx := context.Background()
	db, err := snowflake.Open(ctx, snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: host, Port: port, Protocol: "http",
		LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: testSFPassword}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	m := local.New("pgsnow.state")
	st := state.New("test")
	fps := map[plan.TableRef]plan.Fingerprint{}
	for _, f := range p.Fingerprints {
		fps[f.Table] = f
	}
	now := time.Now().UTC()
	for _, c := range p.Order() {
		if err := runDDL(ctx, conn, c); err != nil {
			t.Fatal(err)
		}
		if c.Kind == plan.KindLoad {
			f, rows := fps[c.Load.Source], c.Load.EstimatedRows
			st.Loads[c.Address] = &state.Load{Source: c.Load.Source.Source, Schema: c.Load.Source.Schema, Table: c.Load.Source.Table,
				Target: c.Load.Target, Status: state.LoadLoaded, Format: c.Load.Format, Compression: c.Load.Compression,
				Fingerprint: &state.Fingerprint{EstimatedRows: f.EstimatedRows, ExactRows: &rows, TupInserted: f.TupInserted,
					TupUpdated: f.TupUpdated, TupDeleted: f.TupDeleted, ColumnsSHA256: f.ColumnSignature, TakenAt: now},
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

func runDDL(ctx context.Context, conn *sql.Conn, c *plan.Change) error {
	for _, q := range c.DDL {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil // no USE DATABASE: every statement names the database
}

// waitStats returns once no other session is connected to dsn's database.
// A backend flushes its pg_stat counters before it leaves pg_stat_activity
// (before_shmem_exit runs before on_shmem_exit), so the fingerprints the
// next plan reads then include everything the scripts did.
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
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`).Scan(&n); err != nil {
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
