package command

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/pgsnow/pgsnow/internal/applycheck"
	"github.com/pgsnow/pgsnow/internal/sfproxy"
	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

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
	// Set in the proxy's goroutine, read here.
	var signalled atomic.Bool
	ch.watch(t, sfproxy.Hooks{Before: onFile("PUT", func() {
		signalled.Store(true)
		syscall.Kill(os.Getpid(), syscall.SIGINT)
	})})

	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "1")
	if !signalled.Load() || code != ExitError || !strings.Contains(out, "Apply stopped.") || !strings.Contains(out, "remaining:") {
		t.Fatalf("first apply: signalled %t, exit %d, want 1 and a stop summary\n%s\n%s", signalled.Load(), code, out, errs)
	}
	before := interrupted(t)
	// The chunk being staged when the signal came finished and was
	// recorded, and so did the next one if it had begun extracting
	// meanwhile (a chunk's PUT overlaps the next extraction); nothing
	// after them started.
	if got := fmt.Sprint(applycheck.Partial(before)[midTable]); got != "[0 1 2 3]" && got != "[0 1 2 3 4]" {
		t.Errorf("after the stop %s has chunks %s, want [0 1 2 3] (or [0 1 2 3 4])", midTable, got)
	}

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
	link := newPGLink(t, ch.srcDSN)
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", link.dsn)
	var held, restarted atomic.Bool
	ch.watch(t, sfproxy.Hooks{Before: onFile("PUT", func() {
		held.Store(link.holdCopy())
		if err := cl.Restart(); err != nil {
			t.Error(err)
		}
		restarted.Store(true)
	})})
	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if !held.Load() || !restarted.Load() || code != ExitError {
		t.Fatalf("first apply: extraction in flight %t, restarted %t, exit %d, want 1\n%s\n%s", held.Load(), restarted.Load(), code, out, errs)
	}
	failedInFlight(t, "restart", out)
	before := interrupted(t)

	code, out, errs = pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if code != 0 {
		t.Fatalf("apply after the restart: exit %d\n%s\n%s", code, out, errs)
	}
	if n := ch.resumeChecks(t, before); n < 3 {
		t.Errorf("the second apply resumed %d chunks, want at least 3", n)
	}
}

// TestApplyChinookFailedTable: Snowflake refuses the COPY of chunk 4 of
// playlist_track with a permanent error. That table fails with its first
// chunks recorded; every other table loads. The next apply loads only
// what playlist_track misses.
func TestApplyChinookFailedTable(t *testing.T) {
	ch := newChinook(t, sfemu.Faults{}, faultSettings)
	var once sync.Once
	var refused atomic.Bool
	ch.watch(t, sfproxy.Hooks{Answer: func(r sfproxy.Request) (body []byte) {
		if r.Statement == "COPY" && strings.Contains(r.SQL, midFile) {
			once.Do(func() {
				refused.Store(true)
				body = sfproxy.Failure("100038", "22018", "Numeric value 'x' is not recognized")
			})
		}
		return body
	}})
	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if !refused.Load() || code != ExitError || !strings.Contains(out, "Numeric value 'x' is not recognized") {
		t.Fatalf("first apply: refused %t, exit %d, want 1 naming the COPY error\n%s\n%s", refused.Load(), code, out, errs)
	}
	before := interrupted(t)
	for addr, l := range before.Loads {
		if want := map[bool]state.LoadStatus{true: state.LoadFailed, false: state.LoadLoaded}[addr == midTable]; l.Status != want {
			t.Errorf("%s: status %s after the first apply, want %s", addr, l.Status, want)
		}
	}
	code, out, errs = pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if code != 0 {
		t.Fatalf("second apply: exit %d\n%s\n%s", code, out, errs)
	}
	if n := ch.resumeChecks(t, before); n < 3 {
		t.Errorf("the second apply resumed %d chunks, want at least 3", n)
	}
}

// TestApplyChinookSourceNetworkLoss: the network to PostgreSQL goes down
// (every connection reset, new ones refused) when chunk 4 of
// playlist_track is staged. The chunks in flight fail after their
// retries and the run ends; once the network is back, the next apply
// loads only what is missing.
func TestApplyChinookSourceNetworkLoss(t *testing.T) {
	ch := newChinook(t, sfemu.Faults{}, faultSettings)
	link := newPGLink(t, ch.srcDSN)
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", link.dsn)
	var held atomic.Bool
	ch.watch(t, sfproxy.Hooks{Before: onFile("PUT", func() {
		held.Store(link.holdCopy())
		link.cut()
	})})
	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if !held.Load() || code != ExitError {
		t.Fatalf("first apply: extraction in flight %t, exit %d, want 1\n%s\n%s", held.Load(), code, out, errs)
	}
	failedInFlight(t, "network loss", out)
	before := interrupted(t)

	link.heal()
	code, out, errs = pgsnow("apply", "-auto-approve", "-parallelism", "2")
	if code != 0 {
		t.Fatalf("apply after the network is back: exit %d\n%s\n%s", code, out, errs)
	}
	if n := ch.resumeChecks(t, before); n < 3 {
		t.Errorf("the second apply resumed %d chunks, want at least 3", n)
	}
}

// failedInFlight checks the last run log for chunks that failed on the
// source's side.
func failedInFlight(t *testing.T, fault, out string) {
	t.Helper()
	logs := applycheck.RunLogs(t, ".")
	failed := 0
	for _, e := range applycheck.ReadRunLog(t, logs[len(logs)-1]) {
		if e.Event == "step_failed" && e.Category == "chunk" && strings.Contains(e.Error, `source "app"`) {
			failed++
			t.Logf("failed in flight: %s chunk %d: %.160s", e.Object, *e.Chunk, e.Error)
		}
	}
	if failed == 0 {
		t.Fatalf("no chunk failed on the source: the %s did not hit the load\n%s", fault, out)
	}
}
