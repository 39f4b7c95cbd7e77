package executor

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// TestResumePending: a chunk's staged file is recorded as pending before
// its COPY. A run that stops after the COPY committed (killed, or the
// manifest write lost) leaves it pending; the next run settles it with the
// target (ResolveFile) instead of extracting and loading the chunk again.
// A run that stopped before the COPY leaves a pending file that never
// loaded: the chunk is extracted again. Either way every row is in the
// table exactly once and nothing stays pending.
func TestResumePending(t *testing.T) {
	for _, tc := range []struct {
		name, failAt  string
		wantExtracted bool // chunk 2 extracted again in the second run
	}{
		{"stopped after the COPY", "copied public.A#2", false},
		{"stopped before the COPY", "load public.A#2", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := testPlan([]tbl{{name: "A", chunks: 4, rows: 3}}, nil)
			tg := &fakeTarget{}
			tg.fail(tc.failAt, errors.New("permission denied"))
			j, m := newJournal(t)
			if _, err := Apply(context.Background(), p, &fakeSource{}, tg, j, nil, fastOptions(1, nil)); err == nil {
				t.Fatal("first run: want an error")
			}
			l := reopen(t, m).State().Loads[loadAddr("A")]
			if len(l.Pending) != 1 || l.Pending[0].Name != "run/public_A_chunk_0003.csv" || l.Pending[0].Rows != 3 {
				t.Fatalf("after the first run pending = %+v, want chunk 2's file", l.Pending)
			}

			p2 := testPlan([]tbl{{name: "A", chunks: 4, rows: 3, tableAction: plan.NoOp}}, nil)
			src := &fakeSource{}
			tg.ops = nil
			if _, err := Apply(context.Background(), p2, src, tg, reopen(t, m), nil, fastOptions(2, nil)); err != nil {
				t.Fatalf("second run: %v", err)
			}
			if got := slices.Contains(src.extracted, "public.A#2"); got != tc.wantExtracted {
				t.Errorf("chunk 2 extracted again: %v, want %v (extracted %v)", got, tc.wantExtracted, src.extracted)
			}
			if !slices.ContainsFunc(tg.ops, func(o op) bool { return o.what == "resolve public.A#2" }) {
				t.Error("the pending file was not resolved")
			}
			rows := slices.Clone(tg.tables[loadAddr("A")])
			slices.Sort(rows)
			if len(rows) != 12 || len(slices.Compact(rows)) != 12 {
				t.Errorf("target holds %d rows (%d distinct), want 12 distinct", len(tg.tables[loadAddr("A")]), len(slices.Compact(rows)))
			}
			l = reopen(t, m).State().Loads[loadAddr("A")]
			if len(l.Pending) != 0 || len(l.Files) != 4 {
				t.Errorf("final state: %d files, pending %+v; want 4 files, nothing pending", len(l.Files), l.Pending)
			}
		})
	}
}

// TestResumeRestartsOnRowMismatch: a load that could resume but whose
// table does not hold its manifest's rows (here one row too many, as a
// chunk loaded twice by an older pgsnow would leave) starts afresh with a
// load_restart event, instead of failing validate on every later run.
func TestResumeRestartsOnRowMismatch(t *testing.T) {
	p := testPlan([]tbl{{name: "A", chunks: 4, rows: 3}}, nil)
	tg := &fakeTarget{}
	tg.fail("load public.A#2", errors.New("permission denied"))
	j, m := newJournal(t)
	if _, err := Apply(context.Background(), p, &fakeSource{}, tg, j, nil, fastOptions(1, nil)); err == nil {
		t.Fatal("first run: want an error")
	}
	tg.tables[loadAddr("A")] = append(tg.tables[loadAddr("A")], "A,0,0")

	rec := &recorder{}
	o := fastOptions(2, rec)
	src := &fakeSource{}
	tg.ops = nil
	if sum, err := Apply(context.Background(), testPlan([]tbl{{name: "A", chunks: 4, rows: 3, tableAction: plan.NoOp}}, nil), src, tg, reopen(t, m), nil, o); err != nil {
		t.Fatalf("second run: %v: %+v", err, sum.Failed)
	}
	if !slices.ContainsFunc(rec.events, func(e Event) bool { return e.Kind == LoadRestart && e.Object == loadAddr("A") }) {
		t.Error("no load_restart event")
	}
	if len(src.extracted) != 4 {
		t.Errorf("extracted %v, want all 4 chunks again", src.extracted)
	}
	rows := slices.Clone(tg.tables[loadAddr("A")])
	slices.Sort(rows)
	if len(rows) != 12 || len(slices.Compact(rows)) != 12 {
		t.Errorf("target holds %d rows (%d distinct), want 12 distinct", len(tg.tables[loadAddr("A")]), len(slices.Compact(rows)))
	}
}
