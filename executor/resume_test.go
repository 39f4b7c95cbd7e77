package executor

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
)

func TestResume(t *testing.T) {
	tests := []struct {
		name        string
		second      tbl // table A in the second plan
		shift       int // the source cuts the chunks differently
		wantExtract []string
		wantBegin   string
		wantResumed int
	}{
		{
			name:        "same table: only missing chunks run",
			second:      tbl{name: "A", chunks: 4, rows: 3, tableAction: plan.NoOp},
			wantExtract: []string{"public.A#2", "public.A#3"},
			wantBegin:   "begin " + loadAddr("A") + " fresh=false",
			wantResumed: 2,
		},
		{
			name:        "table changed since: everything again",
			second:      tbl{name: "A", chunks: 4, rows: 3, tableAction: plan.NoOp, tupIns: 7},
			wantExtract: []string{"public.A#0", "public.A#1", "public.A#2", "public.A#3"},
			wantBegin:   "begin " + loadAddr("A") + " fresh=true",
		},
		{
			name:        "table rewritten since (CLUSTER, VACUUM FULL): everything again",
			second:      tbl{name: "A", chunks: 4, rows: 3, tableAction: plan.NoOp, rewritten: true},
			wantExtract: []string{"public.A#0", "public.A#1", "public.A#2", "public.A#3"},
			wantBegin:   "begin " + loadAddr("A") + " fresh=true",
		},
		{
			name:        "chunks cut differently: everything again",
			second:      tbl{name: "A", chunks: 4, rows: 3, tableAction: plan.NoOp},
			shift:       5,
			wantExtract: []string{"public.A#0", "public.A#1", "public.A#2", "public.A#3"},
			wantBegin:   "begin " + loadAddr("A") + " fresh=true",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// First run: chunk 2 fails for good, chunks 0 and 1 are recorded;
			// chunk 3, which may be in flight while 2 loads, fails too.
			p1 := testPlan([]tbl{{name: "A", chunks: 4, rows: 3}}, nil)
			tg := &fakeTarget{}
			tg.fail("load public.A#2", errors.New("permission denied"))
			tg.fail("load public.A#3", errors.New("permission denied"))
			j, m := newJournal(t)
			if _, err := Apply(context.Background(), p1, &fakeSource{}, tg, j, nil, fastOptions(1, nil)); err == nil {
				t.Fatal("first run: want an error")
			}
			if got := loadedState(reopen(t, m).State())[loadAddr("A")]; len(got) != 3 || got[0] != "status failed" {
				t.Fatalf("after the first run the state has %q, want status failed and 2 files", got)
			}

			// Second run, as a new process: fresh journal from the stored state.
			tg.script = script{} // chunk 3's failure, if it never ran
			p2 := testPlan([]tbl{tc.second}, nil)
			src := &fakeSource{shift: tc.shift}
			tg.ops = nil
			sum, err := Apply(context.Background(), p2, src, tg, reopen(t, m), nil, fastOptions(2, nil))
			if err != nil {
				t.Fatalf("second run: %v", err)
			}
			slices.Sort(src.extracted)
			if diff := cmp.Diff(tc.wantExtract, src.extracted); diff != "" {
				t.Errorf("extracted (-want +got):\n%s", diff)
			}
			if sum.Resumed != tc.wantResumed {
				t.Errorf("resumed %d chunks, want %d", sum.Resumed, tc.wantResumed)
			}
			if !slices.ContainsFunc(tg.ops, func(o op) bool { return o.what == tc.wantBegin }) {
				t.Errorf("no %q among the target's operations", tc.wantBegin)
			}
			// Every source row exactly once in the target.
			rows := slices.Clone(tg.tables[loadAddr("A")])
			slices.Sort(rows)
			if len(rows) != 12 || len(slices.Compact(rows)) != 12 {
				t.Errorf("target holds %d rows (%d distinct), want 12 distinct", len(tg.tables[loadAddr("A")]), len(slices.Compact(rows)))
			}
			got := loadedState(reopen(t, m).State())[loadAddr("A")]
			if len(got) != 5 || got[0] != "status "+string(state.LoadLoaded) {
				t.Errorf("final state %q, want loaded with 4 files", got)
			}
		})
	}
}
