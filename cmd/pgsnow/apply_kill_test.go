package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/internal/applycheck"
	"github.com/pgsnow/pgsnow/internal/sfproxy"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

const killSpec = `source "postgres" "app" {
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

settings {
  chunk_rows = 1000
}
`

// killAt is the file whose statement the kill lands on: chunk 4 of the
// 8 chunks of playlist_track (8,715 rows at chunk_rows = 1000, cut by
// block ranges), so the table is part loaded.
const killAt = "public_playlist_track_chunk_0004.csv"

// beforeKill matches the files of the chunks before killAt, which the
// kill lets finish.
var beforeKill = regexp.MustCompile(`public_playlist_track_chunk_000[123]\.csv`)

// TestApplyKilled: kill -9 of pgsnow apply in the middle of a load, at
// an exact point: a proxy in front of the emulator kills the process
// when chunk 4 of playlist_track reaches it. The lock stays (a person
// releases it with force-unlock, as documented); the next apply loads
// only what is missing, extracting no recorded chunk again; Snowflake's
// load history has every chunk file once; every value of every table
// equals the source's.
//
// "before PUT": chunk 4 is extracted but never staged; chunks 1-3 are
// loaded and recorded.
// "after COPY": chunk 4's COPY INTO committed and the process dies before
// it hears so: Snowflake has the rows, the state does not list the file.
func TestApplyKilled(t *testing.T) {
	cl := pgtest.Start(t)
	for _, tc := range []struct {
		name  string
		stmt  string
		after bool
	}{
		{"before PUT", "PUT", false},
		{"after COPY", "COPY", true},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			killedRun(t, cl, tc.stmt, tc.after)
		})
	}
}

func killedRun(t *testing.T, cl *pgtest.Cluster, stmt string, after bool) {
	ctx := context.Background()
	name := strings.ToLower(stmt)
	srcDB, emuDB := "src_"+name, "emu_"+name
	for _, db := range []string{srcDB, emuDB} {
		if err := cl.CreateDatabase(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	srcDSN := cl.DSN(srcDB)
	if err := pgtest.LoadChinook(ctx, srcDSN); err != nil {
		t.Fatal(err)
	}
	const password = "kill-test-pw-5c4b"
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: cl.DSN(emuDB), StageDir: t.TempDir(),
		Users: []sfemu.User{{Name: "LOADER", Password: password}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	work, bin := t.TempDir(), t.TempDir()
	statePath := filepath.Join(work, "pgsnow.state")
	const track = "load.app.public.playlist_track"
	var mu sync.Mutex
	var victim *os.Process
	var armed bool
	var killedOn *sfproxy.Request
	dead := make(chan struct{})
	// Chunks overlap (a chunk's PUT and COPY run while the next one
	// extracts), so when chunk 4 reaches the proxy chunk 3 may still be
	// loading and chunk 5 may follow. From chunk 4's statement on, every
	// later PUT and COPY is held back (and never answered), and the kill
	// waits until the state records chunks 1-3: it lands at the same
	// point in every run.
	killPoint := func(r sfproxy.Request) bool { return r.Statement == stmt && strings.Contains(r.SQL, killAt) }
	var killOnce sync.Once
	kill := func(r sfproxy.Request) (killed bool) {
		mu.Lock()
		started := victim != nil
		mu.Unlock()
		if !started {
			return false
		}
		killOnce.Do(func() {
			waitRecorded(t, statePath, track, "[0 1 2]")
			mu.Lock()
			defer mu.Unlock()
			victim.Kill() // SIGKILL: no cleanup of any kind
			killedOn, killed = &r, true
			close(dead)
		})
		return killed // and the answer never reaches it
	}
	beforeHook := func(r sfproxy.Request) bool {
		mu.Lock()
		holding := armed
		if killPoint(r) && victim != nil {
			armed = true
		}
		mu.Unlock()
		if killPoint(r) {
			return !after && kill(r)
		}
		if !holding || r.Statement != "PUT" && r.Statement != "COPY" || beforeKill.MatchString(r.SQL) {
			return false
		}
		select {
		case <-dead:
			return false // a later run's
		default:
		}
		<-dead // the victim's: it never gets an answer
		return true
	}
	hooks := sfproxy.Hooks{Before: beforeHook}
	if after {
		hooks.After = func(r sfproxy.Request) bool { return r.Status == 200 && r.Code == "" && killPoint(r) && kill(r) }
	}
	px := sfproxy.Start(t, srv.Addr(), hooks)
	host, port := px.HostPort()

	if err := os.WriteFile(filepath.Join(work, "main.pgsnow.hcl"), fmt.Appendf(nil, killSpec, host, port), 0o644); err != nil {
		t.Fatal(err)
	}
	// The test binary runs the CLI when called pgsnow (testscript.Main).
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pgsnow := filepath.Join(bin, "pgsnow")
	if err := os.Symlink(exe, pgsnow); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(pgsnow, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "PGSNOW_TEST_SOURCE_DSN="+srcDSN, "PGSNOW_TEST_SF_PASSWORD="+password)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		return cmd, &out
	}

	first, out := run("apply", "-auto-approve", "-parallelism", "1")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	victim = first.Process
	mu.Unlock()
	err = first.Wait()
	mu.Lock()
	on := killedOn
	mu.Unlock()
	if on == nil {
		t.Fatalf("the first apply was not killed (%v):\n%s", err, out)
	}
	if ws, ok := first.ProcessState.Sys().(interface{ Signaled() bool }); !ok || !ws.Signaled() {
		t.Fatalf("the first apply ended by itself (%v), not by the kill:\n%s", first.ProcessState, out)
	}
	t.Logf("killed on request %d: %.90s", on.Seq, on.SQL)

	// What the dead run left: playlist_track part loaded (chunks 1-3
	// recorded), so the kill landed mid-load.
	before, err := local.New(statePath).Read(ctx)
	if err != nil || before == nil {
		t.Fatalf("state after the kill: %v", err)
	}
	partial := applycheck.Partial(before)
	if got := fmt.Sprint(partial[track]); got != "[0 1 2]" || before.Loads[track].Status != state.LoadLoading {
		t.Fatalf("after the kill the state records chunks %s of %s (status %s), want [0 1 2] loading; partial loads: %v",
			got, track, before.Loads[track].Status, partial)
	}
	emuHost, emuPort, _ := net.SplitHostPort(srv.Addr())
	portNum, _ := strconv.Atoi(emuPort)
	sf, err := snowflake.Open(ctx, snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: emuHost, Port: portNum, Protocol: "http",
		Database: "ANALYTICS", LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: password}})
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	// Snowflake's side: after COPY, chunk 4 is in the table's load history
	// though the state does not list it; before PUT, it is not.
	var loaded int
	if err := sf.QueryRow(`SELECT COUNT(*) FROM "ANALYTICS".INFORMATION_SCHEMA.LOAD_HISTORY WHERE TABLE_NAME = 'PLAYLIST_TRACK'`).Scan(&loaded); err != nil {
		t.Fatal(err)
	}
	if want := map[bool]int{false: 3, true: 4}[after]; loaded != want {
		t.Fatalf("after the kill the load history lists %d files of PLAYLIST_TRACK, want %d", loaded, want)
	}

	// The dead run's lock stays and is reported.
	second, out := run("apply", "-auto-approve")
	if err := second.Run(); err == nil || !strings.Contains(out.String(), "force-unlock") {
		t.Fatalf("apply after the kill: %v, want a lock error naming force-unlock\n%s", err, out)
	}
	holder, err := local.New(statePath).Holder(ctx)
	if err != nil || holder == nil {
		t.Fatalf("lock holder: %v %v", holder, err)
	}
	if cmd, out := run("force-unlock", "-force", holder.ID); cmd.Run() != nil {
		t.Fatalf("force-unlock:\n%s", out)
	}
	logsBefore := len(applycheck.RunLogs(t, work))
	third, out := run("apply", "-auto-approve", "-parallelism", "2")
	if err := third.Run(); err != nil {
		t.Fatalf("apply after force-unlock: %v\n%s", err, out)
	}
	if strings.Contains(out.String(), password) {
		t.Error("the password is in the output")
	}
	logs := applycheck.RunLogs(t, work)
	if len(logs) != logsBefore+1 {
		t.Fatalf("run logs %v, want one more than %d", logs, logsBefore)
	}
	if cmd, out := run("plan", "-refresh-only", "-out", "all.plan"); cmd.Run() != nil {
		t.Fatalf("plan:\n%s", out)
	}
	data, err := os.ReadFile(filepath.Join(work, "all.plan"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	final, err := local.New(statePath).Read(ctx)
	if err != nil || final == nil {
		t.Fatalf("final state: %v", err)
	}

	pg, err := pgx.Connect(ctx, srcDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)

	rows := applycheck.Rows(t, pg, sf, p)
	if len(rows) != 11 {
		t.Errorf("compared %d tables, want Chinook's 11", len(rows))
	}
	applycheck.Manifest(t, final, p, rows)
	if n := applycheck.Resumed(t, before, final, applycheck.ReadRunLog(t, logs[len(logs)-1])); n < 3 {
		t.Errorf("the re-run resumed %d chunks, want at least playlist_track's 3", n)
	}
	history := applycheck.LoadHistory(t, sf, p, rows)
	if got, want := len(history[track]), len(final.Loads[track].Files); got != want || want < 5 {
		t.Errorf("%s: the load history lists %d files, the manifest %d, want the same and at least 5: %v", track, got, want, history[track])
	}
}

// waitRecorded polls the state file until load records exactly the
// chunks want (as applycheck.Partial prints them), for up to a minute.
func waitRecorded(t *testing.T, statePath, load, want string) {
	deadline := time.Now().Add(time.Minute)
	for {
		st, err := local.New(statePath).Read(context.Background())
		if err == nil && st != nil && fmt.Sprint(applycheck.Partial(st)[load]) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("the state did not record chunks %s of %s within a minute (last read: %v)", want, load, err)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}
