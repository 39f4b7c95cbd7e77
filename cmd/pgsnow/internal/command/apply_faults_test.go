package command

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/internal/applycheck"
	"github.com/pgsnow/pgsnow/internal/sfproxy"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// The fault tests cut tables into chunks of about 1,000 rows, so a fault
// lands in the middle of a table's load: playlist_track (8,715 rows) has
// 8 chunks, track 4, invoice_line 3. The tests whose faults the driver
// absorbs with its own (slow) backoff and that do not act at a given
// chunk use chunks of about 3,000 rows (playlist_track 3 chunks, track 2)
// to keep their run time down.
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
func faultRun(t *testing.T, faults sfemu.Faults, hooks sfproxy.Hooks, chunkRows int, args ...string) (*chinook, *sfproxy.Proxy, string) {
	t.Helper()
	ch := newChinook(t, faults, strings.Replace(faultSettings, "chunk_rows = 1000", fmt.Sprintf("chunk_rows = %d", chunkRows), 1))
	px := ch.watch(t, hooks)
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
// tokens expire while chunks load; or Snowflake is unreachable for 3 s
// from the moment chunk 4 of playlist_track is staged. Each load ends
// with every value equal and no file loaded twice; the proxy's record
// proves the fault hit load statements.
func TestApplyChinookFaults(t *testing.T) {
	t.Run("copy_503", func(t *testing.T) {
		ch, px, out := faultRun(t, sfemu.Faults{Rules: []sfemu.FaultRule{
			{Endpoint: "query", Statement: "COPY", Every: 3, Mode: "503"},
		}}, sfproxy.Hooks{}, 3000, "-parallelism", "4", "-json")
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
		}}, sfproxy.Hooks{}, 3000, "-parallelism", "4")
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
		// Each request takes 10 ms, so the load outlives many tokens; and
		// the PUT of the middle file is held until its session's token has
		// expired, so that the expiry certainly meets the load.
		const ttl = 400 * time.Millisecond
		var held sync.Once
		hold := func(r sfproxy.Request) bool {
			if r.Statement == "PUT" && strings.Contains(r.SQL, midFile) {
				held.Do(func() { time.Sleep(ttl + 100*time.Millisecond) })
			}
			return false
		}
		ch, px, _ := faultRun(t, sfemu.Faults{TokenTTL: ttl, Latency: 10 * time.Millisecond}, sfproxy.Hooks{Before: hold}, 1000, "-parallelism", "2")
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
	t.Run("network_outage", func(t *testing.T) {
		var mu sync.Mutex
		var until time.Time
		cut := func(r sfproxy.Request) bool {
			mu.Lock()
			defer mu.Unlock()
			if until.IsZero() && r.Statement == "PUT" && strings.Contains(r.SQL, midFile) {
				until = time.Now().Add(3 * time.Second)
			}
			return time.Now().Before(until)
		}
		_, px, _ := faultRun(t, sfemu.Faults{}, sfproxy.Hooks{Before: cut}, 1000, "-parallelism", "2")
		lost := map[string]int{}
		for _, r := range px.Requests() {
			if r.Dropped {
				lost[r.Endpoint+" "+r.Statement]++
			}
		}
		t.Logf("requests lost in the outage: %v", lost)
		if lost["query PUT"] == 0 {
			t.Errorf("no PUT was lost (lost: %v): the outage did not hit the load", lost)
		}
	})
}
