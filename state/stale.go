package state

import (
	"fmt"
)

// Snapshot is what a saved plan records of the state it was made against.
type Snapshot struct {
	Lineage string `json:"lineage"` // "" when there was no state yet
	Serial  int64  `json:"serial"`
}

// SnapshotOf returns s's lineage and serial; the zero Snapshot for nil.
func SnapshotOf(s *State) Snapshot {
	if s == nil {
		return Snapshot{}
	}
	return Snapshot{Lineage: s.Lineage, Serial: s.Serial}
}

// Changes lists how the source table changed between f (then) and now, in
// words for people; empty when it did not. Row estimates and TakenAt are
// not compared: ANALYZE moves estimates without any change to the data,
// while the pg_stat counters move on every insert, update and delete.
func (f Fingerprint) Changes(now Fingerprint) []string {
	var out []string
	counter := func(name string, a, b int64) {
		if a != b {
			out = append(out, fmt.Sprintf("%s %d → %d", name, a, b))
		}
	}
	counter("n_tup_ins", f.TupInserted, now.TupInserted)
	counter("n_tup_upd", f.TupUpdated, now.TupUpdated)
	counter("n_tup_del", f.TupDeleted, now.TupDeleted)
	if f.ExactRows != nil && now.ExactRows != nil {
		counter("rows", *f.ExactRows, *now.ExactRows)
	}
	if f.ColumnsSHA256 != now.ColumnsSHA256 {
		out = append(out, "columns changed")
	}
	return out
}
