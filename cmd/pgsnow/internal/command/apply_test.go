package command

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state"
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
// (what Snowflake holds survives) with other faults, and rewrites the spec.
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
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, ch.host, ch.port, settings), 0o644); err != nil {
		t.Fatal(err)
	}
}

// compare checks every row of every table the plan loads, and the state's
// record of each load; it returns the rows compared.
func (ch *chinook) compare(t *testing.T, p *plan.Plan) int {
	t.Helper()
	ctx := context.Background()
	sf, err := snowflake.Open(ctx, snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: ch.host, Port: ch.port, Protocol: "http",
		Database: p.Target.Database, LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: testSFPassword}})
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	pg, err := pgx.Connect(ctx, ch.srcDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	st, err := local.New(lang.DefaultStatePath).Read(ctx)
	if err != nil || st == nil {
		t.Fatalf("state: %v", err)
	}
	loads, total := 0, 0
	for _, c := range p.Changes {
		if c.Load == nil {
			continue
		}
		loads++
		want := sourceRows(t, pg, c.Load)
		got := targetRows(t, sf, p, c.Load)
		total += len(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: rows differ (-source +snowflake):\n%s", c.Address, diff)
		}
		l := st.Loads[c.Address]
		if l == nil || l.Status != state.LoadLoaded {
			t.Errorf("%s: state load = %+v, want loaded", c.Address, l)
			continue
		}
		if rows, _ := l.Totals(); rows != int64(len(want)) {
			t.Errorf("%s: the manifest says %d rows, the table has %d", c.Address, rows, len(want))
		}
	}
	t.Logf("compared %d tables, %d rows, every value", loads, total)
	if loads != 11 || total < 15000 {
		t.Errorf("compared %d tables, %d rows; want Chinook's 11 tables", loads, total)
	}
	return total
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

// TestApplyChinookFaults: the emulator fails every third COPY INTO with
// 503, drops every fifth PUT's connection and expires session tokens
// after a second; the load still ends with every row equal.
func TestApplyChinookFaults(t *testing.T) {
	ch := newChinook(t, sfemu.Faults{Rules: []sfemu.FaultRule{
		{Endpoint: "query", Statement: "COPY", Every: 3, Mode: "503"},
		{Endpoint: "query", Statement: "PUT", Every: 5, Mode: "drop"},
	}, TokenTTL: time.Second}, `
settings {
  retry {
    attempts    = 5
    min_backoff = "10ms"
    max_backoff = "50ms"
  }
}
`)
	code, out, errs := pgsnow("plan", "-out", "chinook.plan")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = pgsnow("apply", "-parallelism", "4", "-json", "chinook.plan")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	// -json: stdout is NDJSON only, ending with the run's summary.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var last map[string]any
	for i, l := range lines {
		last = nil
		if err := json.Unmarshal([]byte(l), &last); err != nil || last["run_id"] == "" {
			t.Fatalf("-json line %d is not an event: %q (%v)", i+1, l, err)
		}
	}
	if last["event"] != "run_finished" || last["summary"] == nil || last["level"] != "info" {
		t.Errorf("-json: the last line is not a successful run_finished: %v", last)
	}
	c := ch.srv.Counters()
	t.Logf("faults injected: %d; session renewals: %d; requests: %v", c.Injected, c.Renewals, c.Requests)
	if c.Injected == 0 {
		t.Error("no fault was injected")
	}
	logs, _ := filepath.Glob("pgsnow-runs/*-apply/run_log.ndjson")
	if len(logs) == 1 {
		b, _ := os.ReadFile(logs[0])
		t.Logf("retries in the run log: %d", strings.Count(string(b), `"event":"step_retrying"`))
	}
	ch.compare(t, readPlan(t, "chinook.plan"))
}

// sourceRows are the table's rows in canonical text, sorted: numbers and
// text as PostgreSQL prints them, timestamps with 6 fractional digits.
func sourceRows(t *testing.T, pg *pgx.Conn, ld *plan.LoadDetail) []string {
	t.Helper()
	var cols []string
	for _, m := range ld.Columns {
		c := pgx.Identifier{m.Source}.Sanitize()
		if strings.HasPrefix(m.SourceType, "timestamp") {
			c = fmt.Sprintf("to_char(%s, 'YYYY-MM-DD HH24:MI:SS.US')", c)
		}
		cols = append(cols, c+"::text")
	}
	q := fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), pgx.Identifier{ld.Source.Schema, ld.Source.Table}.Sanitize())
	rows, err := pg.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]*string, len(cols))
		dst := make([]any, len(cols))
		for i := range vals {
			dst[i] = &vals[i]
		}
		if err := rows.Scan(dst...); err != nil {
			t.Fatal(err)
		}
		out = append(out, canonicalRow(vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// targetRows reads the same columns through gosnowflake.
func targetRows(t *testing.T, sf *sql.DB, p *plan.Plan, ld *plan.LoadDetail) []string {
	t.Helper()
	tc := p.Change(ld.Target)
	var cols []string
	for _, m := range ld.Columns {
		cols = append(cols, ident.Quote(m.Target))
	}
	rows, err := sf.Query(fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), ident.Qualified(tc.Name...)))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		raw := make([]any, len(cols))
		dst := make([]any, len(cols))
		for i := range raw {
			dst[i] = &raw[i]
		}
		if err := rows.Scan(dst...); err != nil {
			t.Fatal(err)
		}
		vals := make([]*string, len(cols))
		for i, v := range raw {
			if v == nil {
				continue
			}
			var s string
			switch v := v.(type) {
			case time.Time:
				s = v.UTC().Format("2006-01-02 15:04:05.000000")
			case []byte:
				s = string(v)
			default:
				s = fmt.Sprint(v)
			}
			vals[i] = &s
		}
		out = append(out, canonicalRow(vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// canonicalRow is FIDELITY.md's row string: N for NULL, V<len>:<value>.
func canonicalRow(vals []*string) string {
	var b strings.Builder
	for _, v := range vals {
		if v == nil {
			b.WriteString("N")
			continue
		}
		fmt.Fprintf(&b, "V%d:%s", len(*v), *v)
	}
	return b.String()
}

// TestApplyChinookResume: SIGINT during the first apply (the emulator
// slowed down so the load takes a while): running steps finish, nothing
// new starts, the state keeps what is done and apply exits 1 with what
// remains. The second apply, against the same Snowflake, loads only what
// is missing; every row is equal, none twice.
func TestApplyChinookResume(t *testing.T) {
	settings := `
settings {
  chunk_rows = 1000
}
`
	ch := newChinook(t, sfemu.Faults{Latency: 20 * time.Millisecond}, settings)
	// While this test runs, SIGINT is delivered to channels, never the
	// default handler (which would end the test binary).
	mine := make(chan os.Signal, 1)
	signal.Notify(mine, os.Interrupt)
	defer signal.Stop(mine)

	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "1")
		done <- result{code, out, errs}
	}()
	var first result
	signalled := false
wait:
	for {
		select {
		case first = <-done:
			break wait
		case <-time.After(20 * time.Millisecond):
		}
		if signalled {
			continue
		}
		if st, _ := local.New(lang.DefaultStatePath).Read(context.Background()); st != nil {
			for _, l := range st.Loads {
				if len(l.Files) > 0 {
					syscall.Kill(os.Getpid(), syscall.SIGINT)
					signalled = true
					break
				}
			}
		}
	}
	if !signalled || first.code != ExitError || !strings.Contains(first.out, "Apply stopped.") || !strings.Contains(first.out, "remaining:") {
		t.Fatalf("first apply: signalled %t, exit %d, want 1 and a stop summary\n%s\n%s", signalled, first.code, first.out, first.errs)
	}
	st, err := local.New(lang.DefaultStatePath).Read(context.Background())
	if err != nil || st == nil {
		t.Fatalf("state after the stop: %v", err)
	}
	loadedFiles := 0
	for _, l := range st.Loads {
		loadedFiles += len(l.Files)
	}
	t.Logf("after the stop: %d files recorded in %d loads", loadedFiles, len(st.Loads))

	ch.restart(t, sfemu.Faults{}, settings)
	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if code != 0 {
		t.Fatalf("second apply: exit %d\n%s\n%s", code, out, errs)
	}
	t.Logf("second apply: %s", lastLines(out, 3))
	code, out, errs = pgsnow("plan", "-out", "all.plan", "-refresh-only")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	ch.compare(t, readPlan(t, "all.plan"))
	noSecrets(t, first.out+first.errs+out+errs, ".")
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}

// TestApplyChinookSourceRestart: PostgreSQL restarts while apply extracts.
// The snapshot is gone with it, so what was running fails and the rest
// cannot start from the same snapshot; the next apply (new snapshot,
// unchanged tables) loads what is missing and every row is equal.
func TestApplyChinookSourceRestart(t *testing.T) {
	cl := pgtest.Start(t)
	if err := cl.CreateDatabase(context.Background(), "src"); err != nil {
		t.Fatal(err)
	}
	ch := newChinookAt(t, cl.DSN("src"), sfemu.Faults{Latency: 20 * time.Millisecond}, "settings {\n  chunk_rows = 1000\n}\n")
	type result struct {
		code      int
		out, errs string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "2")
		done <- result{code, out, errs}
	}()
	var first result
	restarted := false
wait:
	for {
		select {
		case first = <-done:
			break wait
		case <-time.After(20 * time.Millisecond):
		}
		if restarted {
			continue
		}
		if st, _ := local.New(lang.DefaultStatePath).Read(context.Background()); st != nil {
			for _, l := range st.Loads {
				if len(l.Files) > 0 {
					if err := cl.Restart(); err != nil {
						t.Fatal(err)
					}
					restarted = true
					break
				}
			}
		}
	}
	if !restarted {
		t.Fatalf("apply finished before the restart:\n%s", first.out)
	}
	t.Logf("first apply (restart mid-load): exit %d: %s", first.code, lastLines(first.out, 2))
	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if code != 0 {
		t.Fatalf("apply after the restart: exit %d\n%s\n%s", code, out, errs)
	}
	t.Logf("second apply: %s", lastLines(out, 2))
	if code, out, errs = pgsnow("plan", "-out", "all.plan", "-refresh-only"); code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	ch.compare(t, readPlan(t, "all.plan"))
}
