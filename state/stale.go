package state

import (
	"fmt"
	"slices"
	"strings"
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

// StaleError says why a saved plan may not be applied.
type StaleError struct {
	Reasons []string
}

func (e *StaleError) Error() string {
	return "the saved plan is stale, nothing was applied:\n  - " + strings.Join(e.Reasons, "\n  - ") +
		"\nRun 'pgsnow plan' again and review the new plan."
}

// CheckFresh refuses a saved plan (a *StaleError) when the state is no
// longer the one it was made against, or a source table it read changed.
// planned and now map load addresses to fingerprints; a table the plan
// read that has no fingerprint now (dropped, or not inspected) is a change.
func CheckFresh(snap Snapshot, current *State, planned, now map[string]Fingerprint) error {
	var reasons []string
	cur := SnapshotOf(current)
	switch {
	case snap.Lineage != cur.Lineage && cur.Lineage == "":
		reasons = append(reasons, "the plan was made against a state that no longer exists")
	case snap.Lineage != cur.Lineage && snap.Lineage == "":
		reasons = append(reasons, fmt.Sprintf("the plan was made with no state, but now there is one (lineage %s, serial %d)", cur.Lineage, cur.Serial))
	case snap.Lineage != cur.Lineage:
		reasons = append(reasons, fmt.Sprintf("the plan was made for state lineage %s, but the state is lineage %s", snap.Lineage, cur.Lineage))
	case snap.Serial != cur.Serial:
		reasons = append(reasons, fmt.Sprintf("the state changed since the plan was made (serial %d → %d): another apply or state rm ran", snap.Serial, cur.Serial))
	}
	addrs := make([]string, 0, len(planned))
	for a := range planned {
		addrs = append(addrs, a)
	}
	slices.Sort(addrs)
	for _, a := range addrs {
		table := strings.TrimPrefix(a, string(KindLoad)+".")
		n, ok := now[a]
		if !ok {
			reasons = append(reasons, fmt.Sprintf("source table %s is gone or was not inspected", table))
			continue
		}
		if ch := planned[a].Changes(n); len(ch) > 0 {
			reasons = append(reasons, fmt.Sprintf("source table %s changed since the plan was made: %s", table, strings.Join(ch, ", ")))
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	return &StaleError{Reasons: reasons}
}
