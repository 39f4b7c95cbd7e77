package state_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

// TestJournalConcurrentSteps: chunks finishing on several goroutines are
// all recorded, each durably before Update returns.
func TestJournalConcurrentSteps(t *testing.T) {
	ctx := context.Background()
	m := local.New(filepath.Join(t.TempDir(), "pgsnow.state"))
	s := state.New("v")
	addr := state.LoadAddress("app", "public", "orders")
	s.Loads[addr] = &state.Load{Source: "app", Schema: "public", Table: "orders",
		Target: "snowflake_table.ANALYTICS.APP.ORDERS", Status: state.LoadLoading}
	j := state.NewJournal(m, s)
	const workers, chunks = 4, 5
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for c := range chunks {
				name := fmt.Sprintf("orders/part-%d-%d.csv.zst", w, c)
				err := j.Update(ctx, func(s *state.State) error {
					s.Loads[addr].RecordFile(&state.File{Name: name, Chunk: state.Chunk{By: "ctid", From: "0", To: "1"},
						Rows: 1, Bytes: 10, SHA256: state.HashDDL(name), QueryID: "q", LoadedAt: time.Unix(0, 0)})
					return nil
				})
				if err != nil {
					t.Error(err)
				}
				// Durable before Update returned: a fresh reader sees it.
				got, err := local.New(m.Path()).Read(ctx)
				if err != nil || got.Loads[addr].File(name) == nil {
					t.Errorf("%s not stored after Update returned: %v", name, err)
				}
			}
		})
	}
	wg.Wait()
	got, err := m.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Loads[addr].Files); n != workers*chunks || got.Serial != workers*chunks {
		t.Errorf("%d files, serial %d; want %d of each", n, got.Serial, workers*chunks)
	}
	if diff := cmp.Diff(got, j.State()); diff != "" {
		t.Errorf("journal state differs from the stored one (-stored +journal):\n%s", diff)
	}
}

// TestJournalStopsAfterFailedWrite: once a write fails, nothing more is
// recorded (the state in memory is ahead of the stored one).
func TestJournalStopsAfterFailedWrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m := local.New(filepath.Join(dir, "pgsnow.state"))
	j := state.NewJournal(m, state.New("v"))
	if err := j.Update(ctx, func(*state.State) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// Another writer moves the stored serial: the journal's next write is stale.
	other, _ := m.Read(ctx)
	if err := m.Write(ctx, other); err != nil {
		t.Fatal(err)
	}
	err := j.Update(ctx, func(*state.State) error { return nil })
	var se *state.SerialError
	if !errors.As(err, &se) {
		t.Fatalf("want a *state.SerialError, got %v", err)
	}
	err = j.Update(ctx, func(*state.State) error { t.Error("fn ran after a failed write"); return nil })
	if !errors.As(err, &se) {
		t.Fatalf("later update: %v", err)
	}
	// A failing step writes nothing.
	j2 := state.NewJournal(m, other)
	boom := errors.New("boom")
	before, _ := os.ReadFile(m.Path())
	if err := j2.Update(ctx, func(*state.State) error { return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(m.Path()); string(after) != string(before) {
		t.Error("a failed step wrote the state")
	}
}

func TestRecordFile(t *testing.T) {
	l := &state.Load{}
	for _, n := range []string{"c", "a", "b", "a"} {
		l.RecordFile(&state.File{Name: n, Rows: int64(len(l.Files))})
	}
	var names []string
	for _, f := range l.Files {
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, names); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
	if l.File("a").Rows != 3 {
		t.Errorf("a re-recorded file did not replace the entry: %+v", l.File("a"))
	}
}
