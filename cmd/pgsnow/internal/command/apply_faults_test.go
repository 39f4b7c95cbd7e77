package command

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/internal/applycheck"
	"github.com/pgsnow/pgsnow/internal/sfproxy"
	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

// The fault tests cut tables into chunks of about 1,000 rows, so a fault
// lands in the middle of a table's load: playlist_track (8,715 rows) has
// 8 chunks, track 4, invoice_line 3. The tests whose faults the driver
// absorbs with its own (slow) backoff use chunks of about 3,000 rows
// (playlist_track 3 chunks, track 2) to keep their run time down.
const faultSettings = `
settings {
  chunk_rows = 1000
  retry {
    attempts    = 5
    min_backoff = "10ms"
    max_backoff = "50ms"
  }
}
`

// midTable is the file at which the interrupting tests act: chunk 4 of
// playlist_track, so that table is part loaded.
const midTable, midFile = "load.app.public.playlist_track", "public_playlist_track_chunk_0004.csv"

// onFile returns a hook that runs act once, at the first query request
// with statement stmt naming midFile.
func onFile(stmt string, act func()) func(sfproxy.Request) bool {
	var once sync.Once
	return func(r sfproxy.Request) bool {
		if r.Statement == stmt && strings.Contains(r.SQL, midFile) {
			once.Do(act)
		}
		return false
	}
}

// faultRun plans and applies Chinook with the emulator's faults behind a
// recording proxy, compares every value and checks that no file loaded
// twice. It returns the proxy's record.
func faultRun(t *testing.T, faults sfemu.Faults, chunkRows int, args ...string) (*chinook, *sfproxy.Proxy, string) {
	t.Helper()
	ch := newChinook(t, faults, strings.Replace(faultSettings, "chunk_rows = 1000", fmt.Sprintf("chunk_rows = %d", chunkRows), 1))
	px := ch.watch(t, sfproxy.Hooks{})
	if code, out, errs := pgsnow("plan", "-out", "chinook.plan"); code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := pgsnow(append(append([]string{"apply"}, args...), "chinook.plan")...)
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	noSecrets(t, out+errs, ".")
	c := ch.srv.Counters()
	t.Logf("emulator: %d faults injected, %d session renewals, requests %v", c.Injected, c.Renewals, c.Requests)
	p := readPlan(t, "chinook.plan")
	ch.compare(t, p)
	ch.history(t, p)
	return ch, px, out
}

// history checks Snowflake's load history: every chunk file once, and
// the files' rows equal to the table's.
func (ch *chinook) history(t *testing.T, p *plan.Plan) {
	t.Helper()
	ctx := context.Background()
	pg, err := pgx.Connect(ctx, ch.srcDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	rows := map[string]int{}
	for _, c := range p.Changes {
		if c.Load != nil {
			var n int
			if err := pg.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{c.Load.Source.Schema, c.Load.Source.Table}.Sanitize()).Scan(&n); err != nil {
				t.Fatal(err)
			}
			rows[c.Address] = n
		}
	}
	applycheck.LoadHistory(t, ch.snowflake(t, p.Target.Database), p, rows)
}

// TestApplyChinookFaults: the emulator fails every third COPY INTO with
// 503, drops connections of PUT and COPY requests, or lets session
// tokens expire while chunks load. Each load ends with every value
// equal and no file loaded twice; the proxy's record proves the fault
// hit load statements.
func TestApplyChinookFaults(t *testing.T) {
	t.Run("copy_503", func(t *testing.T) {
		ch, px, out := faultRun(t, sfemu.Faults{Rules: []sfemu.FaultRule{
			{Endpoint: "query", Statement: "COPY", Every: 3, Mode: "503"},
		}}, 3000, "-parallelism", "4", "-json")
		copies := px.Statements("COPY")
		failed := 0
		for _, r := range copies {
			if r.Status == 503 {
				failed++
			}
		}
		t.Logf("%d COPY requests, %d answered 503", len(copies), failed)
		if failed != len(copies)/3 || int64(failed) != ch.srv.Counters().Injected || failed < 4 {
			t.Errorf("%d of %d COPY requests failed with 503 (emulator: %d injected), want every third and at least 4",
				failed, len(copies), ch.srv.Counters().Injected)
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
	})
	t.Run("dropped_connections", func(t *testing.T) {
		ch, px, _ := faultRun(t, sfemu.Faults{Rules: []sfemu.FaultRule{
			{Endpoint: "query", Statement: "PUT", Every: 5, Mode: "drop"},
			{Endpoint: "query", Statement: "COPY", Every: 5, Mode: "drop"},
		}}, 3000, "-parallelism", "4")
		dropped := map[string]int{}
		for _, r := range px.Requests() {
			if r.Dropped {
				dropped[r.Statement]++
			}
		}
		t.Logf("dropped connections: %v", dropped)
		if dropped["PUT"] < 2 || dropped["COPY"] < 2 || int64(dropped["PUT"]+dropped["COPY"]) != ch.srv.Counters().Injected {
			t.Errorf("dropped %v (emulator: %d injected), want at least 2 PUT and 2 COPY", dropped, ch.srv.Counters().Injected)
		}
	})
	t.Run("session_expired", func(t *testing.T) {
		// Each request takes 10 ms, so the load outlives many tokens.
		ch, px, _ := faultRun(t, sfemu.Faults{TokenTTL: 400 * time.Millisecond, Latency: 10 * time.Millisecond}, 1000, "-parallelism", "2")
		expired := map[string]int{}
		for _, r := range px.Requests() {
			if r.Code == "390112" {
				expired[r.Statement]++
			}
		}
		t.Logf("requests answered 390112 (session expired): %v", expired)
		if expired["PUT"]+expired["COPY"] == 0 || ch.srv.Counters().Renewals == 0 {
			t.Errorf("expired sessions met by PUT/COPY: %v, renewals %d; want the expiry to hit the load", expired, ch.srv.Counters().Renewals)
		}
	})
}

// resumeChecks compares every value after the re-run and proves the
// re-run resumed: it extracted no chunk the state had recorded before
// it, loaded each missing chunk once, and left every table's load
// history without a file twice. It returns the chunks resumed.
func (ch *chinook) resumeChecks(t *testing.T, before *state.State) int {
	t.Helper()
	ctx := context.Background()
	if code, out, errs := pgsnow("plan", "-out", "all.plan", "-refresh-only"); code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	p := readPlan(t, "all.plan")
	ch.compare(t, p)
	ch.history(t, p)
	after, err := local.New(lang.DefaultStatePath).Read(ctx)
	if err != nil || after == nil {
		t.Fatalf("state: %v", err)
	}
	logs := applycheck.RunLogs(t, ".")
	if len(logs) < 2 {
		t.Fatalf("run logs: %v", logs)
	}
	return applycheck.Resumed(t, before, after, applycheck.ReadRunLog(t, logs[len(logs)-1]))
}

// interrupted reads the state the first run left and checks that it
// stopped in the middle of playlist_track: at least its first three
// chunks recorded, not all of them.
func interrupted(t *testing.T) *state.State {
	t.Helper()
	st, err := local.New(lang.DefaultStatePath).Read(context.Background())
	if err != nil || st == nil {
		t.Fatalf("state after the first run: %v", err)
	}
	partial := applycheck.Partial(st)
	t.Logf("part loaded after the first run: %v", partial)
	if got := partial[midTable]; len(got) < 3 || len(got) >= 8 || fmt.Sprint(got[:3]) != "[0 1 2]" {
		t.Fatalf("the first run left %s with chunks %v, want it part loaded (chunks 0-2 and not all 8)", midTable, got)
	}
	return st
}

// TestApplyChinookResume: SIGINT while chunk 4 of playlist_track is being
// staged: running steps finish, nothing new starts, the state keeps what
// is done and apply exits 1 with what remains. The second apply, against
// the same Snowflake, loads only what is missing: no recorded chunk is
// extracted again, no row is loaded twice, every value is equal.
func TestApplyChinookResume(t *testing.T) {
	ch := newChinook(t, sfemu.Faults{}, faultSettings)
	// While this test runs, SIGINT is delivered to channels, never the
	// default handler (which would end the test binary).
	mine := make(chan os.Signal, 1)
	signal.Notify(mine, os.Interrupt)
	defer signal.Stop(mine)
	signalled := false
	ch.watch(t, sfproxy.Hooks{Before: onFile("PUT", func() {
		signalled = true
		syscall.Kill(os.Getpid(), syscall.SIGINT)
	})})

	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "1")
	if !signalled || code != ExitError || !strings.Contains(out, "Apply stopped.") || !strings.Contains(out, "remaining:") {
		t.Fatalf("first apply: signalled %t, exit %d, want 1 and a stop summary\n%s\n%s", signalled, code, out, errs)
	}
	before := interrupted(t)

	ch.restart(t, sfemu.Faults{}, faultSettings)
	code, out2, errs2 := pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if code != 0 {
		t.Fatalf("second apply: exit %d\n%s\n%s", code, out2, errs2)
	}
	if n := ch.resumeChecks(t, before); n < 3 {
		t.Errorf("the second apply resumed %d chunks, want at least 3", n)
	}
	noSecrets(t, out+errs+out2+errs2, ".")
}

// TestApplyChinookSourceRestart: PostgreSQL restarts while apply loads
// playlist_track (when chunk 4 is staged, with a second worker
// extracting). The snapshot is gone with it, so the chunks in flight fail
// and nothing more can be extracted from that snapshot; the next apply
// (new snapshot, unchanged tables) loads only what is missing and every
// value is equal.
func TestApplyChinookSourceRestart(t *testing.T) {
	cl := pgtest.Start(t)
	if err := cl.CreateDatabase(context.Background(), "src"); err != nil {
		t.Fatal(err)
	}
	ch := newChinookAt(t, cl.DSN("src"), sfemu.Faults{}, faultSettings)
	restarted := false
	ch.watch(t, sfproxy.Hooks{Before: onFile("PUT", func() {
		if err := cl.Restart(); err != nil {
			t.Error(err)
		}
		restarted = true
	})})
	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if !restarted || code != ExitError {
		t.Fatalf("first apply: restarted %t, exit %d, want 1\n%s\n%s", restarted, code, out, errs)
	}
	logs := applycheck.RunLogs(t, ".")
	failed := 0
	for _, e := range applycheck.ReadRunLog(t, logs[len(logs)-1]) {
		if e.Event == "step_failed" && e.Category == "chunk" {
			failed++
			t.Logf("failed in flight: %s chunk %d: %.120s", e.Object, *e.Chunk, e.Error)
		}
	}
	if failed == 0 {
		t.Fatalf("no chunk failed: the restart did not hit a chunk in flight\n%s", out)
	}
	before := interrupted(t)

	code, out, errs = pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if code != 0 {
		t.Fatalf("apply after the restart: exit %d\n%s\n%s", code, out, errs)
	}
	if n := ch.resumeChecks(t, before); n < 3 {
		t.Errorf("the second apply resumed %d chunks, want at least 3", n)
	}
}
