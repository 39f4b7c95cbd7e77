package command

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/internal/applycheck"
	"github.com/pgsnow/pgsnow/internal/sfproxy"
	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state/local"
)

// chinook is a Chinook source database and an emulator with a spec
// pointing at both, in a fresh working directory.
type chinook struct {
	srcDSN   string
	emuDSN   string // the emulator's backing database
	stageDir string
	srv      *sfemu.Server
	host     string
	port     int
	settings string // the spec's settings block
}

func newChinook(t *testing.T, faults sfemu.Faults, settings string) *chinook {
	t.Helper()
	return newChinookAt(t, pgtest.NewDatabase(t), faults, settings)
}

// newChinookAt loads Chinook into the empty database srcDSN.
func newChinookAt(t *testing.T, srcDSN string, faults sfemu.Faults, settings string) *chinook {
	t.Helper()
	ctx := context.Background()
	if err := pgtest.LoadChinook(ctx, srcDSN); err != nil {
		t.Fatal(err)
	}
	ch := &chinook{srcDSN: srcDSN, emuDSN: pgtest.NewDatabase(t), stageDir: t.TempDir()}
	t.Chdir(t.TempDir())
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", srcDSN)
	t.Setenv("PGSNOW_TEST_SF_PASSWORD", testSFPassword)
	ch.restart(t, faults, settings)
	return ch
}

// restart (re)starts the emulator on the same backing database and stage
// (what Snowflake holds survives) with other faults, and rewrites the spec
// to point at it.
func (ch *chinook) restart(t *testing.T, faults sfemu.Faults, settings string) {
	t.Helper()
	if ch.srv != nil {
		ch.srv.Close()
	}
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: ch.emuDSN, StageDir: ch.stageDir, Faults: faults,
		Users: []sfemu.User{{Name: "LOADER", Password: testSFPassword}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	host, portText, _ := net.SplitHostPort(srv.Addr())
	ch.srv, ch.host = srv, host
	ch.port, _ = strconv.Atoi(portText)
	ch.settings = settings
	ch.writeSpec(t, ch.host, ch.port)
}

// compare checks every row of every table the plan loads
// (applycheck.Rows) and the state's record of each load; it returns the
// rows compared.
func (ch *chinook) compare(t *testing.T, p *plan.Plan) int {
	t.Helper()
	ctx := context.Background()
	sf := ch.snowflake(t, p.Target.Database)
	pg, err := pgx.Connect(ctx, ch.srcDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	st, err := local.New(lang.DefaultStatePath).Read(ctx)
	if err != nil || st == nil {
		t.Fatalf("state: %v", err)
	}
	rows := applycheck.Rows(t, pg, sf, p)
	applycheck.Manifest(t, st, p, rows)
	total := 0
	for _, n := range rows {
		total += n
	}
	if len(rows) != 11 || total < 15000 {
		t.Errorf("compared %d tables, %d rows; want Chinook's 11 tables", len(rows), total)
	}
	return total
}

// snowflake opens a connection to the emulator itself (never through a
// test's proxy), closed when the test ends.
func (ch *chinook) snowflake(t *testing.T, database string) *sql.DB {
	t.Helper()
	sf, err := snowflake.Open(context.Background(), snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: ch.host, Port: ch.port, Protocol: "http",
		Database: database, LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: testSFPassword}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sf.Close() })
	return sf
}

// watch puts a recording proxy (sfproxy) with hooks between pgsnow and
// the emulator: the spec points at the proxy until the next restart.
func (ch *chinook) watch(t *testing.T, hooks sfproxy.Hooks) *sfproxy.Proxy {
	t.Helper()
	px := sfproxy.Start(t, ch.srv.Addr(), hooks)
	host, port := px.HostPort()
	ch.writeSpec(t, host, port)
	return px
}

func (ch *chinook) writeSpec(t *testing.T, host string, port int) {
	t.Helper()
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, host, port, ch.settings), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readPlan reads a saved plan.
func readPlan(t *testing.T, path string) *plan.Plan {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestApplyChinook migrates Chinook from a real PostgreSQL into the
// emulator with a saved plan and compares every row of every table (pgx on
// one side, gosnowflake on the other); checks the state, the run log and
// that nothing is left to do; then changes the source and applies again
// without a saved plan (reloads through staging tables) and compares again.
func TestApplyChinook(t *testing.T) {
	ch := newChinook(t, sfemu.Faults{}, "")
	code, out, errs := pgsnow("plan", "-out", "chinook.plan")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = pgsnow("apply", "-parallelism", "2", "chinook.plan")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "Apply complete!") {
		t.Errorf("apply output has no summary:\n%s", out)
	}
	noSecrets(t, out+errs, ".")
	p := readPlan(t, "chinook.plan")
	ch.compare(t, p)

	logs, _ := filepath.Glob("pgsnow-runs/*-apply/run_log.ndjson")
	if len(logs) != 1 {
		t.Fatalf("run logs: %v", logs)
	}
	if b, _ := os.ReadFile(logs[0]); strings.Count(string(b), `"event":"table_done"`) != 11 {
		t.Errorf("the run log does not have 11 table_done events")
	}
	code, out, errs = pgsnow("plan", "-detailed-exitcode")
	if code != ExitOK {
		t.Errorf("plan after apply: exit %d, want 0 (no changes)\n%s\n%s", code, out, errs)
	}
	code, out, errs = pgsnow("apply", "-auto-approve")
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Errorf("second apply: exit %d\n%s\n%s", code, out, errs)
	}

	// The source changes: the changed tables are reloaded.
	if err := pgtest.ExecScript(context.Background(), ch.srcDSN, `
INSERT INTO genre VALUES (26, 'Séga ''n'' "Zouk"'), (27, NULL), (28, '');
UPDATE track SET composer = 'Ünïcødé, "quoted", comma' WHERE track_id = 1;
DELETE FROM playlist_track WHERE playlist_id = 1 AND track_id < 100;`); err != nil {
		t.Fatal(err)
	}
	code, out, errs = pgsnow("plan", "-out", "second.plan")
	if code != 0 {
		t.Fatalf("second plan: exit %d\n%s\n%s", code, out, errs)
	}
	second := readPlan(t, "second.plan")
	var reloads []string
	for _, c := range second.Changes {
		if c.Action == plan.Reload {
			reloads = append(reloads, c.Address)
		}
	}
	if len(reloads) == 0 {
		t.Fatalf("no reload planned after the source changed:\n%s", out)
	}
	t.Logf("reloads: %v", reloads)
	code, out, errs = pgsnow("apply", "-auto-approve", "-parallelism", "3")
	if code != 0 {
		t.Fatalf("apply after the change: exit %d\n%s\n%s", code, out, errs)
	}
	ch.compare(t, p)
	noSecrets(t, out+errs, ".")
}
