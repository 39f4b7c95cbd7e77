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

// Kinds of Change.
const (
	ChangedRows      = "rows"      // a pg_stat counter or the counted rows moved
	ChangedRewritten = "rewritten" // the relfilenode changed
	ChangedColumns   = "columns"   // names, declared types or NOT NULL
)

// Change is one way a source table differs from a load's fingerprint.
type Change struct {
	Kind   string // ChangedRows, ChangedRewritten or ChangedColumns
	Detail string // for people, e.g. "n_tup_ins 100 → 105"
}

// Changes lists how the source table changed between f (then) and now;
// empty when it did not. Row estimates and TakenAt are not compared:
// ANALYZE moves estimates without any change to the data, while the
// pg_stat counters move on every insert, update and delete, and the
// relfilenode on every rewrite (TRUNCATE moves no counter). A value f does
// not know (counted rows, or a relfilenode in a state written before
// pgsnow recorded it) is not compared.
func (f Fingerprint) Changes(now Fingerprint) []Change {
	var out []Change
	counter := func(name string, a, b int64) {
		if a != b {
			out = append(out, Change{ChangedRows, fmt.Sprintf("%s %d → %d", name, a, b)})
		}
	}
	counter("n_tup_ins", f.TupInserted, now.TupInserted)
	counter("n_tup_upd", f.TupUpdated, now.TupUpdated)
	counter("n_tup_del", f.TupDeleted, now.TupDeleted)
	if f.ExactRows != nil && now.ExactRows != nil {
		counter("rows", *f.ExactRows, *now.ExactRows)
	}
	if f.Relfilenode != nil && now.Relfilenode != nil && *f.Relfilenode != *now.Relfilenode {
		out = append(out, Change{ChangedRewritten, fmt.Sprintf("relfilenode %d → %d", *f.Relfilenode, *now.Relfilenode)})
	}
	if f.ColumnsSHA256 != now.ColumnsSHA256 {
		out = append(out, Change{ChangedColumns, "columns changed"})
	}
	return out
}
