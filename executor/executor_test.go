package executor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
)

// checkOrder verifies that every operation of a change started after every
// operation of the changes it depends on ended, and that a load ran
// prepare, then its chunks, then count, then finalize.
func checkOrder(t *testing.T, p *plan.Plan, tg *fakeTarget) {
	t.Helper()
	owner := map[string]string{} // statement → change address
	for _, c := range p.Changes {
		for _, s := range c.DDL {
			owner[s] = c.Address
		}
	}
	first, last := map[string]int{}, map[string]int{}
	for _, o := range tg.ops {
		obj := o.obj
		if a, ok := owner[obj]; ok {
			obj = a
		}
		if f, ok := first[obj]; !ok || o.start < f {
			first[obj] = o.start
		}
		last[obj] = max(last[obj], o.end)
	}
	for _, c := range p.Changes {
		for _, d := range c.DependsOn {
			if _, ran := first[c.Address]; ran && last[d] > first[c.Address] {
				t.Errorf("%s started (op %d) before %s ended (op %d)", c.Address, first[c.Address], d, last[d])
			}
		}
	}
	phase := map[string]int{"begin": 0, "load": 1, "count": 2, "final": 3}
	byLoad := map[string][]op{}
	for _, o := range tg.ops {
		if k := strings.Fields(o.what)[0]; k != "exec" {
			byLoad[o.obj] = append(byLoad[o.obj], o)
		}
	}
	for addr, ops := range byLoad {
		for _, a := range ops {
			for _, b := range ops {
				pa, pb := phase[strings.Fields(a.what)[0]], phase[strings.Fields(b.what)[0]]
				if pa < pb && a.end > b.start {
					t.Errorf("%s: %q (ops %d-%d) overlaps or follows %q (ops %d-%d)", addr, a.what, a.start, a.end, b.what, b.start, b.end)
				}
			}
		}
	}
}

// loadedState is the part of the state a test compares: per load its
// status and manifest (name, range, rows).
func loadedState(s *state.State) map[string][]string {
	out := map[string][]string{}
	for a, l := range s.Loads {
		out[a] = append(out[a], "status "+string(l.Status))
		for _, f := range l.Files {
			out[a] = append(out[a], fmt.Sprintf("%s %s rows=%d", f.Name, f.Chunk, f.Rows))
		}
	}
	return out
}

func TestApplyOrderAndParallelism(t *testing.T) {
	tables := []tbl{{name: "A", chunks: 3, rows: 4}, {name: "B", chunks: 2, rows: 5}, {name: "C", chunks: 4, rows: 1}, {name: "D", chunks: 1, rows: 0}}
	views := map[string][]string{"V_AB": {"A", "B"}, "V_C": {"C"}}
	for _, par := range []int{1, 2, 3, 16} {
		t.Run(fmt.Sprintf("parallelism=%d", par), func(t *testing.T) {
			p := testPlan(tables, views)
			src, tg, rec := &fakeSource{}, &fakeTarget{}, &recorder{}
			// The first extractions wait until par of them run at once:
			// the test hangs (and times out) if the executor never
			// extracts par chunks together, and fails if it extracts more.
			// A chunk's load overlaps the next extraction, so up to 2 × par
			// loads are in flight.
			want := min(par, 10)
			var mu sync.Mutex
			cond := sync.NewCond(&mu)
			reached := false
			src.hold = func(ctx context.Context, key string) error {
				mu.Lock()
				defer mu.Unlock()
				src.mu.Lock()
				n := src.active
				src.mu.Unlock()
				if n >= want {
					reached = true
					cond.Broadcast()
				}
				for !reached {
					cond.Wait()
				}
				return nil
			}
			j, _ := newJournal(t)
			sum, err := Apply(context.Background(), p, src, tg, j, nil, fastOptions(par, rec))
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			checkOrder(t, p, tg)
			if src.maxActive != want {
				t.Errorf("at most %d extractions ran at once, want %d", src.maxActive, want)
			}
			if tg.maxIn > 2*par {
				t.Errorf("%d loads ran at once, want at most %d", tg.maxIn, 2*par)
			}
			var done []string
			for _, c := range p.Order() {
				done = append(done, c.Address)
			}
			wantSum := &Summary{Done: done, Rows: 12 + 10 + 4}
			if diff := cmp.Diff(wantSum, sum, cmp.Comparer(func(a, b Text) bool { return a == b }), cmpIgnoreBytesDuration); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			got := loadedState(j.State())
			wantState := map[string][]string{
				loadAddr("A"): {"status loaded", "run/public_A_chunk_0001.csv ctid [0, 10) rows=4", "run/public_A_chunk_0002.csv ctid [10, 20) rows=4", "run/public_A_chunk_0003.csv ctid [20, 30) rows=4"},
				loadAddr("B"): {"status loaded", "run/public_B_chunk_0001.csv ctid [0, 10) rows=5", "run/public_B_chunk_0002.csv ctid [10, 20) rows=5"},
				loadAddr("C"): {"status loaded", "run/public_C_chunk_0001.csv ctid [0, 10) rows=1", "run/public_C_chunk_0002.csv ctid [10, 20) rows=1", "run/public_C_chunk_0003.csv ctid [20, 30) rows=1", "run/public_C_chunk_0004.csv ctid [30, 40) rows=1"},
				loadAddr("D"): {"status loaded", "run/public_D_chunk_0001.csv ctid [0, 10) rows=0"},
			}
			if diff := cmp.Diff(wantState, got); diff != "" {
				t.Errorf("state loads (-want +got):\n%s", diff)
			}
			st := j.State()
			if o := st.Objects[tableAddr("A")]; o == nil || o.Source != "src.public.A" || len(o.Columns) != 1 {
				t.Errorf("table A's state record = %+v", o)
			}
			if len(st.Objects) != 2+4+2 {
				t.Errorf("state has %d objects, want 8: %v", len(st.Objects), st.Addresses())
			}
			if src.begun != 1 || src.ended != 1 {
				t.Errorf("snapshot begun %d, ended %d times; want 1 and 1", src.begun, src.ended)
			}
			if n := len(rec.kinds(TableDone)); n != 4 {
				t.Errorf("%d table_done events, want 4", n)
			}
		})
	}
}

var cmpIgnoreBytesDuration = cmp.FilterPath(func(p cmp.Path) bool {
	n := p.Last().String()
	return n == ".Bytes" || n == ".Duration"
}, cmp.Ignore())

func TestFailures(t *testing.T) {
	perm := errors.New("SQL compilation error: invalid type")
	tr := &transientErr{"503 Service Unavailable"}
	tests := []struct {
		name    string
		par     int
		fail    map[string][]error // fakeTarget script keys (load, exec, final)
		wantErr bool
		want    Summary
		// wantLoadCalls counts LoadFile calls per chunk key that failed.
		wantCalls map[string]int
		wantRetry []string
		wantState map[string][]string
	}{
		{
			name: "permanent chunk error fails only that table", par: 1,
			fail:    map[string][]error{"load public.B#1": {perm}},
			wantErr: true,
			want: Summary{
				Done:    []string{dbAddr, schemaAddr, tableAddr("A"), tableAddr("B"), tableAddr("C"), loadAddr("A"), loadAddr("C"), plan.Address(plan.KindView, testDB, testSchema, "V_C")},
				Failed:  []Failure{{Object: loadAddr("B"), Step: StepChunk, Chunk: 1, Err: fixed("loading chunk 1 (public_B_chunk_0002.csv) into snowflake_table.DW.APP.B: SQL compilation error: invalid type")}},
				Skipped: []string{plan.Address(plan.KindView, testDB, testSchema, "V_AB")},
				Rows:    4 + 2 + 3,
			},
			wantCalls: map[string]int{"public.B#1": 1, "public.B#2": 0},
			wantState: map[string][]string{
				loadAddr("A"): {"status loaded", "run/public_A_chunk_0001.csv ctid [0, 10) rows=2", "run/public_A_chunk_0002.csv ctid [10, 20) rows=2"},
				loadAddr("B"): {"status failed", "run/public_B_chunk_0001.csv ctid [0, 10) rows=2"},
				loadAddr("C"): {"status loaded", "run/public_C_chunk_0001.csv ctid [0, 10) rows=3"},
			},
		},
		{
			name: "transient errors are retried then succeed", par: 2,
			fail: map[string][]error{"load public.A#0": {tr, tr}, "exec CREATE TABLE DW.APP.C (ID NUMBER)": {tr}},
			want: Summary{
				Done: []string{dbAddr, schemaAddr, tableAddr("A"), tableAddr("B"), tableAddr("C"), loadAddr("A"), loadAddr("B"), loadAddr("C"),
					plan.Address(plan.KindView, testDB, testSchema, "V_AB"), plan.Address(plan.KindView, testDB, testSchema, "V_C")},
				Rows: 4 + 6 + 3,
			},
			wantCalls: map[string]int{"public.A#0": 3},
			wantRetry: []string{tableAddr("C"), loadAddr("A") + "#0", loadAddr("A") + "#0"},
		},
		{
			name: "transient errors give up after the attempts", par: 1,
			fail:    map[string][]error{"final " + loadAddr("C"): {tr, tr, tr, tr}},
			wantErr: true,
			want: Summary{
				Done: []string{dbAddr, schemaAddr, tableAddr("A"), tableAddr("B"), tableAddr("C"), loadAddr("A"), loadAddr("B"),
					plan.Address(plan.KindView, testDB, testSchema, "V_AB")},
				Failed:  []Failure{{Object: loadAddr("C"), Step: StepFinalize, Chunk: -1, Err: fixed("finalizing snowflake_table.DW.APP.C: 503 Service Unavailable")}},
				Skipped: []string{plan.Address(plan.KindView, testDB, testSchema, "V_C")},
				Rows:    4 + 6 + 3,
			},
			wantRetry: []string{loadAddr("C"), loadAddr("C")},
		},
		{
			name: "permanent DDL error names the statement and skips dependents", par: 4,
			fail:    map[string][]error{"exec CREATE TABLE DW.APP.A (ID NUMBER)": {perm}},
			wantErr: true,
			want: Summary{
				Done:    []string{dbAddr, schemaAddr, tableAddr("B"), tableAddr("C"), loadAddr("B"), loadAddr("C"), plan.Address(plan.KindView, testDB, testSchema, "V_C")},
				Failed:  []Failure{{Object: tableAddr("A"), Step: StepDDL, Chunk: -1, Err: fixed("CREATE TABLE for snowflake_table.DW.APP.A: SQL compilation error: invalid type")}},
				Skipped: []string{loadAddr("A"), plan.Address(plan.KindView, testDB, testSchema, "V_AB")},
				Rows:    6 + 3,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := testPlan([]tbl{{name: "A", chunks: 2, rows: 2}, {name: "B", chunks: 3, rows: 2}, {name: "C", chunks: 1, rows: 3}},
				map[string][]string{"V_AB": {"A", "B"}, "V_C": {"C"}})
			src, tg, rec := &fakeSource{}, &fakeTarget{}, &recorder{}
			for k, errs := range tc.fail {
				tg.fail(k, errs...)
			}
			j, _ := newJournal(t)
			sum, err := Apply(context.Background(), p, src, tg, j, nil, fastOptions(tc.par, rec))
			if (err != nil) != tc.wantErr {
				t.Fatalf("Apply error = %v, want error %t", err, tc.wantErr)
			}
			slices.Sort(tc.want.Done)
			slices.Sort(sum.Done)
			if diff := cmp.Diff(&tc.want, sum, cmp.AllowUnexported(Text{}), cmpIgnoreBytesDuration); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			calls := map[string]int{}
			for _, k := range tg.loads() {
				calls[k]++
			}
			for k, n := range tc.wantCalls {
				if calls[k] != n {
					t.Errorf("LoadFile(%s) called %d times, want %d", k, calls[k], n)
				}
			}
			if diff := cmp.Diff(tc.wantRetry, rec.kinds(StepRetrying)); diff != "" {
				t.Errorf("retry events (-want +got):\n%s", diff)
			}
			if tc.wantState != nil {
				if diff := cmp.Diff(tc.wantState, loadedState(j.State())); diff != "" {
					t.Errorf("state loads (-want +got):\n%s", diff)
				}
			}
			checkOrder(t, p, tg)
		})
	}
}

// TestChunkLoadOverlapsNextExtraction: with parallelism 1, chunk 0's PUT
// and COPY wait until chunk 1 extracts; the run finishes only if the
// executor starts that extraction while chunk 0 is still loading.
func TestChunkLoadOverlapsNextExtraction(t *testing.T) {
	p := testPlan([]tbl{{name: "A", chunks: 2, rows: 3}}, nil)
	nextExtracting := make(chan struct{})
	src := &fakeSource{hold: func(ctx context.Context, key string) error {
		if key == "public.A#1" {
			close(nextExtracting)
		}
		return nil
	}}
	tg := &fakeTarget{staged: func(ctx context.Context, key string) error {
		if key != "public.A#0" {
			return nil
		}
		select {
		case <-nextExtracting:
			return nil
		case <-time.After(10 * time.Second):
			return errors.New("chunk 1 did not extract while chunk 0 loaded")
		}
	}}
	j, _ := newJournal(t)
	if _, err := Apply(context.Background(), p, src, tg, j, nil, fastOptions(1, nil)); err != nil {
		t.Fatal(err)
	}
	if src.maxActive != 1 {
		t.Errorf("%d extractions ran at once with parallelism 1", src.maxActive)
	}
}
