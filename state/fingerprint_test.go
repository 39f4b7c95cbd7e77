package state

import (
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFingerprintChanges: counters, counted rows, relfilenode and columns
// are compared; estimates are not, nor a value the record does not know
// (a state written before pgsnow recorded relfilenodes).
func TestFingerprintChanges(t *testing.T) {
	n := func(v uint32) *uint32 { return &v }
	r := func(v int64) *int64 { return &v }
	base := Fingerprint{EstimatedRows: 10, ExactRows: r(10), TupInserted: 10, Relfilenode: n(16400), ColumnsSHA256: "a"}
	tests := []struct {
		name string
		then Fingerprint
		edit func(*Fingerprint)
		want []Change
	}{
		{"same", base, func(*Fingerprint) {}, nil},
		{"estimate moved (ANALYZE)", base, func(f *Fingerprint) { f.EstimatedRows = 0 }, nil},
		{"truncated", base, func(f *Fingerprint) { f.Relfilenode, f.ExactRows = n(16502), r(0) },
			[]Change{{ChangedRows, "rows 10 → 0"}, {ChangedRewritten, "relfilenode 16400 → 16502"}}},
		{"truncated, rows not counted", base, func(f *Fingerprint) { f.Relfilenode, f.ExactRows = n(16502), nil },
			[]Change{{ChangedRewritten, "relfilenode 16400 → 16502"}}},
		{"inserted and retyped", base, func(f *Fingerprint) { f.TupInserted, f.ExactRows, f.ColumnsSHA256 = 12, r(12), "b" },
			[]Change{{ChangedRows, "n_tup_ins 10 → 12"}, {ChangedRows, "rows 10 → 12"}, {ChangedColumns, "columns changed"}}},
		{"old state: relfilenode unknown", Fingerprint{TupInserted: 10, ColumnsSHA256: "a"}, func(f *Fingerprint) { f.Relfilenode = n(16502) }, nil},
		{"old state, counters moved", Fingerprint{TupInserted: 10, ColumnsSHA256: "a"}, func(f *Fingerprint) { f.TupDeleted = 1 },
			[]Change{{ChangedRows, "n_tup_del 0 → 1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := tt.then
			now.Relfilenode = n(16400)
			if tt.then.Relfilenode != nil {
				now.Relfilenode = n(*tt.then.Relfilenode)
			}
			tt.edit(&now)
			if diff := cmp.Diff(tt.want, tt.then.Changes(now)); diff != "" {
				t.Errorf("Changes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOldStateRelfilenodeUnknown: a state file written before the
// fingerprint had a relfilenode reads with it unknown (nil), not zero,
// and writes back without it.
func TestOldStateRelfilenodeUnknown(t *testing.T) {
	in, err := os.ReadFile("testdata/no_relfilenode.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Decode(in)
	if err != nil {
		t.Fatal(err)
	}
	f := s.Loads["load.app.public.orders"].Fingerprint
	if f == nil || f.Relfilenode != nil || f.TupInserted != 3 {
		t.Fatalf("fingerprint read from an old state: %+v", f)
	}
	if got := f.Changes(Fingerprint{EstimatedRows: 5, ExactRows: f.ExactRows, TupInserted: 3, TupUpdated: 1, Relfilenode: new(uint32(16502)), ColumnsSHA256: f.ColumnsSHA256}); len(got) != 0 {
		t.Errorf("an unknown relfilenode counted as a change: %v", got)
	}
}
