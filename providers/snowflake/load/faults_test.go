package load_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// loadChunks loads n two-row chunks into a fresh table and returns it.
func loadChunks(t *testing.T, e *env, name string, n int, between func(i int)) load.Table {
	t.Helper()
	tbl := e.table(name)
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0) NOT NULL, V VARCHAR)`, tbl.Quoted()))
	l := e.loader()
	retries := 0
	l.Policy.Notify = func(err error, _ time.Duration) { retries++; t.Logf("retrying after: %v", err) }
	defer func() { t.Logf("pgsnow retries: %d; emulator counters: %+v", retries, e.srv.Counters()) }()
	for i := range n {
		if between != nil {
			between(i)
		}
		data := fmt.Sprintf("%[1]d,v%[1]d\n%[2]d,v%[2]d\n", 2*i+1, 2*i+2)
		c := load.Chunk{Table: tbl, Prefix: "run1/S." + name, Name: fmt.Sprintf("s_%s_chunk_%04d.csv.zst", strings.ToLower(name), i+1),
			Compression: "ZSTD", FileFormat: csvFormat("ZSTD")}
		rec, err := l.LoadChunk(context.Background(), c, csvProducer(t, "ZSTD", data, 2))
		if err != nil {
			t.Fatalf("chunk %d: %v", i+1, err)
		}
		if rec.Rows != 2 {
			t.Fatalf("chunk %d: rows %d", i+1, rec.Rows)
		}
	}
	return tbl
}

// exactlyOnce compares every row of the table with what the n chunks of
// loadChunks hold (ids 1..2n, each once, with its value), and checks that
// Snowflake's load history lists each chunk file once.
func exactlyOnce(t *testing.T, e *env, tbl load.Table, n int) {
	t.Helper()
	var want [][]string
	for id := 1; id <= 2*n; id++ {
		want = append(want, []string{fmt.Sprint(id), fmt.Sprintf("v%d", id)})
	}
	got := e.rows(`SELECT ID, V FROM ` + tbl.Quoted() + ` ORDER BY ID, V`)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	files := e.rows(fmt.Sprintf(`SELECT FILE_NAME, ROW_COUNT FROM %s.INFORMATION_SCHEMA.LOAD_HISTORY WHERE SCHEMA_NAME = '%s' AND TABLE_NAME = '%s'`,
		ident.Quote(tbl.Database), tbl.Schema, tbl.Name))
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f[0]] || f[1] != "2" {
			t.Errorf("load history: %s with %s rows (loaded twice, or not 2 rows)", f[0], f[1])
		}
		seen[f[0]] = true
	}
	if len(seen) != n {
		t.Errorf("load history lists %d files, want %d: %v", len(seen), n, files)
	}
}

func TestEveryThirdCopyFails503(t *testing.T) {
	e := start(t, sfemu.Faults{Rules: []sfemu.FaultRule{{Endpoint: "query", Statement: "COPY", Every: 3, Mode: "503"}}})
	tbl := loadChunks(t, e, "FLAKY", 6, nil)
	exactlyOnce(t, e, tbl, 6)
	c := e.srv.Counters()
	if c.Injected < 2 {
		t.Errorf("faults injected = %d, want at least 2 (6 loads, every third COPY)", c.Injected)
	}
}

func TestDroppedConnections(t *testing.T) {
	e := start(t, sfemu.Faults{Rules: []sfemu.FaultRule{
		{Endpoint: "query", Statement: "COPY", Every: 2, Mode: "drop"},
		{Endpoint: "query", Statement: "PUT", Nth: 2, Mode: "drop"},
	}})
	tbl := loadChunks(t, e, "DROPPY", 4, nil)
	exactlyOnce(t, e, tbl, 4)
	if c := e.srv.Counters(); c.Injected < 3 {
		t.Errorf("faults injected = %d, want at least 3", c.Injected)
	}
}

func TestSessionExpiresMidLoad(t *testing.T) {
	e := start(t, sfemu.Faults{TokenTTL: 300 * time.Millisecond})
	// Each chunk waits out the token's life first, so its PUT or COPY
	// meets an expired session (390112) that the driver renews.
	tbl := loadChunks(t, e, "EXPIRY", 3, func(int) { time.Sleep(400 * time.Millisecond) })
	exactlyOnce(t, e, tbl, 3)
	if c := e.srv.Counters(); c.Renewals < 1 {
		t.Errorf("session renewals = %d, want at least 1", c.Renewals)
	}
}

func TestPermanentErrorFailsAtOnce(t *testing.T) {
	e := start(t, sfemuNone())
	tbl := e.table("NARROW")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0) NOT NULL, V VARCHAR(5))`, tbl.Quoted()))
	before := e.srv.Counters().Requests["query"]
	tries := 0
	l := e.loader()
	l.Policy.Notify = func(error, time.Duration) { tries++ }
	c := load.Chunk{Table: tbl, Prefix: "run1/S.NARROW", Name: "s_narrow_chunk_0001.csv.zst", Compression: "ZSTD", FileFormat: csvFormat("ZSTD")}
	_, err := l.LoadChunk(context.Background(), c, csvProducer(t, "ZSTD", "1,ok\n2,much too long\n3,ok\n", 3))
	var le *load.Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *load.Error", err)
	}
	if le.Op != "COPY" || le.Transient || le.Table != tbl.Quoted() || le.File != c.Name {
		t.Errorf("error = %+v", le)
	}
	if !strings.Contains(err.Error(), tbl.Quoted()) || !strings.Contains(err.Error(), "much too long") || strings.Contains(err.Error(), password) {
		t.Errorf("error text: %v", err)
	}
	if tries != 0 {
		t.Errorf("retried a permanent error %d times", tries)
	}
	// CREATE STAGE is done; this chunk sent PUT and one COPY, nothing more.
	if got := e.srv.Counters().Requests["query"] - before; got != 2 {
		t.Errorf("query requests = %d, want 2 (PUT, COPY)", got)
	}
	if n := e.rows(`SELECT COUNT(*) FROM ` + tbl.Quoted()); n[0][0] != "0" {
		t.Errorf("rows = %s, want 0", n[0][0])
	}
}

// TestRetryAfterDriverGivesUp makes the driver give up (one HTTP retry) on
// the first two PUT and the first two COPY requests, so pgsnow's retry
// sends each statement again: the PUT from the spill file, the COPY of the
// same named file.
func TestRetryAfterDriverGivesUp(t *testing.T) {
	for _, mode := range []string{"503", "drop"} {
		t.Run(mode, func(t *testing.T) {
			var rules []sfemu.FaultRule
			for _, stmt := range []string{"PUT", "COPY"} {
				// The second rule counts only requests the first let through.
				rules = append(rules, sfemu.FaultRule{Endpoint: "query", Statement: stmt, Nth: 1, Mode: mode},
					sfemu.FaultRule{Endpoint: "query", Statement: stmt, Nth: 1, Mode: mode})
			}
			e := start(t, sfemu.Faults{Rules: rules})
			tbl := e.table("GIVEUP")
			e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0) NOT NULL, V VARCHAR)`, tbl.Quoted()))
			l := e.loader()
			l.DB = e.impatientDB()
			var seen []error
			l.Policy.Notify = func(err error, _ time.Duration) { seen = append(seen, err) }
			c := load.Chunk{Table: tbl, Prefix: "run1/S.GIVEUP", Name: "s_giveup_chunk_0001.csv.zst", Compression: "ZSTD", FileFormat: csvFormat("ZSTD")}
			rec, err := l.LoadChunk(context.Background(), c, csvProducer(t, "ZSTD", "1,v1\n2,v2\n", 2))
			if err != nil {
				t.Fatal(err)
			}
			var ops []string
			for _, err := range seen {
				t.Logf("retried: %v", err)
				if strings.Contains(err.Error(), password) {
					t.Error("error contains the password")
				}
				var le *load.Error
				if !errors.As(err, &le) || !le.Transient {
					t.Errorf("retried error = %v, want a transient *load.Error", err)
					continue
				}
				ops = append(ops, le.Op)
			}
			if fmt.Sprint(ops) != "[PUT COPY]" {
				t.Errorf("retried statements = %v, want [PUT COPY]", ops)
			}
			if rec.Rows != 2 {
				t.Errorf("rows = %d", rec.Rows)
			}
			exactlyOnce(t, e, tbl, 1)
		})
	}
}
