package views

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/executor"
	"github.com/pgsnow/pgsnow/internal/golden"
	"github.com/pgsnow/pgsnow/internal/units"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// The fakes produce rows and accept them; failures come from fail.
type src struct{}

func (src) Begin(context.Context) error { return nil }
func (src) End(context.Context) error   { return nil }
func (src) Chunks(_ context.Context, c *plan.Change) ([]executor.Chunk, error) {
	var out []executor.Chunk
	for _, pc := range c.Load.Chunks {
		out = append(out, executor.Chunk{By: pc.By, From: pc.From, To: pc.To, EstimatedRows: pc.EstimatedRows})
	}
	return out, nil
}
func (src) FileName(c *plan.Change, ch executor.Chunk) string {
	return fmt.Sprintf("%s_chunk_%04d.csv", c.Load.Source.Table, ch.Index+1)
}
func (src) Extract(_ context.Context, _ *plan.Change, c executor.Chunk, w io.Writer) (executor.Extracted, error) {
	n, err := io.WriteString(w, strings.Repeat("row,of,some,width\n", int(c.EstimatedRows)))
	return executor.Extracted{Rows: c.EstimatedRows, Bytes: int64(n),
		Checksum: "sha256:" + strings.Repeat("ab", 32)}, err
}

type transient struct{ error }

type tgt struct {
	mu   sync.Mutex
	fail map[string][]error
	rows map[string]int64
}

func (t *tgt) next(k string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if q := t.fail[k]; len(q) > 0 {
		t.fail[k] = q[1:]
		return q[0]
	}
	return nil
}
func (t *tgt) Exec(_ context.Context, _ *plan.Change, stmt string) (string, error) {
	return "01b2-q", t.next(stmt)
}
func (t *tgt) BeginLoad(context.Context, *plan.Change, bool) error { return nil }
func (t *tgt) LoadFile(_ context.Context, c *plan.Change, f executor.FileRef, produce func(io.Writer) (executor.Extracted, error)) (executor.Loaded, error) {
	var b bytes.Buffer
	ex, err := produce(&b)
	if err == nil {
		err = t.next(f.Name)
	}
	if err != nil {
		return executor.Loaded{}, err
	}
	t.mu.Lock()
	t.rows[c.Address] += ex.Rows
	t.mu.Unlock()
	return executor.Loaded{File: f.Name, Rows: ex.Rows, Bytes: int64(b.Len()), Checksum: ex.Checksum, QueryID: "01b2-copy"}, nil
}
func (t *tgt) CountRows(_ context.Context, c *plan.Change) (int64, error) {
	return t.rows[c.Address], nil
}
func (t *tgt) Finalize(context.Context, *plan.Change) (string, error) { return "", nil }

// ResolveFile is never reached: no run here leaves a file pending.
func (t *tgt) ResolveFile(context.Context, *plan.Change, executor.FileRef, executor.Pending) (executor.Loaded, bool, error) {
	return executor.Loaded{}, false, nil
}

// run applies a small plan (orders loads in 2 chunks, a failing table, a
// view on it) with a clock that ticks a second per reading.
func run(t *testing.T, sink executor.Sink, now func() time.Time) {
	p := &plan.Plan{FormatVersion: plan.FormatVersion, Kind: plan.FileKind, Mode: plan.ModeNormal}
	p.Changes = append(p.Changes, plan.Change{Address: "snowflake_schema.DW.APP", Kind: plan.KindSchema, Name: []string{"DW", "APP"},
		Action: plan.Create, DDL: []string{"CREATE SCHEMA DW.APP"}})
	for _, tb := range []struct {
		name   string
		chunks int
	}{{"ORDERS", 2}, {"BROKEN", 1}} {
		taddr := plan.Address(plan.KindTable, "DW", "APP", tb.name)
		ld := &plan.LoadDetail{Source: plan.TableRef{Source: "pg", Schema: "public", Table: strings.ToLower(tb.name)}, Target: taddr,
			Format: "csv", Compression: "none", EstimatedRows: int64(tb.chunks) * 1000}
		for i := 0; i < tb.chunks; i++ {
			ld.Chunks = append(ld.Chunks, plan.Chunk{Index: i, By: "ctid", From: fmt.Sprint(i), To: fmt.Sprint(i + 1), EstimatedRows: 1000})
		}
		p.Changes = append(p.Changes,
			plan.Change{Address: taddr, Kind: plan.KindTable, Name: []string{"DW", "APP", tb.name}, Action: plan.Create,
				DDL: []string{"CREATE TABLE DW.APP." + tb.name + " (X TEXT)"}, DependsOn: []string{"snowflake_schema.DW.APP"}},
			plan.Change{Address: plan.Address(plan.KindLoad, "pg", "public", ld.Source.Table), Kind: plan.KindLoad,
				Name: []string{"pg", "public", ld.Source.Table}, Action: plan.Load, DependsOn: []string{taddr}, Load: ld})
	}
	p.Changes = append(p.Changes, plan.Change{Address: "snowflake_view.DW.APP.V", Kind: plan.KindView, Name: []string{"DW", "APP", "V"},
		Action: plan.Create, DDL: []string{"CREATE VIEW DW.APP.V AS SELECT 1"}, DependsOn: []string{"load.pg.public.broken"}})
	p.Sort()
	target := &tgt{rows: map[string]int64{}, fail: map[string][]error{
		"orders_chunk_0002.csv": {transient{errors.New("HTTP 503 Service Unavailable")}},
		"broken_chunk_0001.csv": {errors.New("100038 (22018): Numeric value 'abc' is not recognized")},
	}}
	j := state.NewJournal(local.New(filepath.Join(t.TempDir(), "s.json")), state.New("test"))
	o := executor.Options{Parallelism: 1, NoOverlap: true, Retry: executor.RetryPolicy{Attempts: 3, Initial: time.Microsecond, Max: time.Microsecond},
		IsTransient: func(err error) bool { var tr transient; return errors.As(err, &tr) }, Sink: sink, Now: now, ProgressBytes: 6000}
	if _, err := executor.Apply(context.Background(), p, src{}, target, j, nil, o); err == nil {
		t.Fatal("want an error: the BROKEN table fails")
	}
}

// ticker is a clock that moves a second each time it is read.
func ticker() func() time.Time {
	var mu sync.Mutex
	clock := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	return func() time.Time { mu.Lock(); defer mu.Unlock(); clock = clock.Add(time.Second); return clock }
}

func TestLines(t *testing.T) {
	var b bytes.Buffer
	run(t, NewLines(&b), ticker())
	checkGolden(t, "lines.golden", b.Bytes())
}

func TestLive(t *testing.T) {
	var b bytes.Buffer
	now := ticker()
	run(t, NewLive(&b, now), now)
	// One redraw per line, escapes made visible.
	var out strings.Builder
	for _, l := range strings.SplitAfter(b.String(), "\n") {
		fmt.Fprintf(&out, "%q\n", l)
	}
	checkGolden(t, "live.golden", []byte(out.String()))
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{count(0), "0"}, {count(999), "999"}, {count(1000), "1,000"}, {count(-1234567), "-1,234,567"},
		{units.Bytes(512), "512 B"}, {units.Bytes(1536), "1.5 KiB"}, {units.Bytes(5 << 30), "5.0 GiB"},
		{duration(1500 * time.Millisecond), "2s"}, {duration(192 * time.Second), "3m12s"}, {duration(125 * time.Minute), "2h05m"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
