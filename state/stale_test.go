package state

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckFresh(t *testing.T) {
	st := sample() // lineage 6f1c…, serial 7
	orders := LoadAddress("app", "public", "orders")
	fp := Fingerprint{EstimatedRows: 100, TupInserted: 100, TupUpdated: 2, ColumnsSHA256: HashDDL("a")}
	same := map[string]Fingerprint{orders: fp}
	changed := func(f func(*Fingerprint)) map[string]Fingerprint {
		c := fp
		f(&c)
		return map[string]Fingerprint{orders: c}
	}
	other := New("v")
	other.Serial = 7
	tests := []struct {
		name    string
		snap    Snapshot
		current *State
		now     map[string]Fingerprint
		want    []string // nil: fresh
	}{
		{"unchanged", SnapshotOf(st), st, same, nil},
		{"estimate moved by ANALYZE", SnapshotOf(st), st, changed(func(f *Fingerprint) { f.EstimatedRows = 140 }), nil},
		{"no state then and now", Snapshot{}, nil, same, nil},
		{"serial moved", Snapshot{Lineage: st.Lineage, Serial: 6}, st, same,
			[]string{"the state changed since the plan was made (serial 6 → 7): another apply or state rm ran"}},
		{"other lineage", SnapshotOf(st), other, same,
			[]string{"the plan was made for state lineage 6f1c2a4e-8a47-4d1e-9b6a-0c2d3e4f5a6b, but the state is lineage " + other.Lineage}},
		{"state appeared", Snapshot{}, st, same,
			[]string{"the plan was made with no state, but now there is one (lineage 6f1c2a4e-8a47-4d1e-9b6a-0c2d3e4f5a6b, serial 7)"}},
		{"state vanished", SnapshotOf(st), nil, same, []string{"the plan was made against a state that no longer exists"}},
		{"rows inserted and deleted", SnapshotOf(st), st, changed(func(f *Fingerprint) { f.TupInserted, f.TupDeleted = 105, 1 }),
			[]string{"source table app.public.orders changed since the plan was made: n_tup_ins 100 → 105, n_tup_del 0 → 1"}},
		{"column added", SnapshotOf(st), st, changed(func(f *Fingerprint) { f.ColumnsSHA256 = HashDDL("b") }),
			[]string{"source table app.public.orders changed since the plan was made: columns changed"}},
		{"table dropped", SnapshotOf(st), st, map[string]Fingerprint{},
			[]string{"source table app.public.orders is gone or was not inspected"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckFresh(tt.snap, tt.current, same, tt.now)
			var got []string
			if se, ok := err.(*StaleError); ok {
				got = se.Reasons
			} else if err != nil {
				t.Fatalf("unexpected error type: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
	err := CheckFresh(Snapshot{Lineage: st.Lineage, Serial: 1}, st, nil, nil)
	want := "the saved plan is stale, nothing was applied:\n  - the state changed since the plan was made (serial 1 → 7): another apply or state rm ran\nRun 'pgsnow plan' again and review the new plan."
	if err == nil || err.Error() != want {
		t.Errorf("message:\n%v\nwant:\n%s", err, want)
	}
}
