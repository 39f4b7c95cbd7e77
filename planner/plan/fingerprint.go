package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Fingerprint is what the plan saw of one source table. Apply takes a new
// fingerprint of every table it will load and refuses the plan when any
// differs: the load units and types were computed from this table.
type Fingerprint struct {
	Table TableRef `json:"table"`
	// EstimatedRows is pg_class.reltuples (-1 when never analyzed). It
	// sized the chunks but is not compared: ANALYZE and autovacuum move it
	// without any change to the data.
	EstimatedRows int64 `json:"estimated_rows"`
	// TupInserted, TupUpdated, TupDeleted are pg_stat_user_tables'
	// cumulative n_tup_ins, n_tup_upd, n_tup_del.
	TupInserted int64 `json:"n_tup_ins"`
	TupUpdated  int64 `json:"n_tup_upd"`
	TupDeleted  int64 `json:"n_tup_del"`
	// Relfilenode changes when the table is rewritten (TRUNCATE, VACUUM
	// FULL, CLUSTER, ALTER TABLE … TYPE).
	Relfilenode uint32 `json:"relfilenode"`
	// ColumnSignature is ColumnSignature of the source columns.
	ColumnSignature string `json:"column_signature"`
}

// SignatureColumn is the part of a source column the signature covers.
type SignatureColumn struct {
	Name     string
	Declared string // format_type(atttypid, atttypmod), e.g. numeric(12,2)
	NotNull  bool
}

// ColumnSignature hashes column names, declared types and nullability in
// order, so planner and apply compute the same value from either side.
func ColumnSignature(cols []SignatureColumn) string {
	h := sha256.New()
	for _, c := range cols {
		fmt.Fprintf(h, "%q %q %t\n", c.Name, c.Declared, c.NotNull)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Differences lists, for people, what changed from f (planned) to now:
// the pg_stat counters (every insert, update, delete), the relfilenode
// (TRUNCATE moves no counter but rewrites the table) and the columns.
func (f Fingerprint) Differences(now Fingerprint) []string {
	var d []string
	num := func(what string, a, b int64) {
		if a != b {
			d = append(d, fmt.Sprintf("%s %d → %d", what, a, b))
		}
	}
	num("rows inserted", f.TupInserted, now.TupInserted)
	num("rows updated", f.TupUpdated, now.TupUpdated)
	num("rows deleted", f.TupDeleted, now.TupDeleted)
	if f.Relfilenode != now.Relfilenode {
		d = append(d, fmt.Sprintf("table rewritten (relfilenode %d → %d)", f.Relfilenode, now.Relfilenode))
	}
	if f.ColumnSignature != now.ColumnSignature {
		d = append(d, "columns changed")
	}
	return d
}

// StaleError says why a saved plan no longer applies.
type StaleError struct {
	Problems []string
}

func (e *StaleError) Error() string {
	return "the saved plan is stale, make a new plan:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// CheckFresh compares the plan's guard data with the state and source as
// they are now. It returns a *StaleError naming every difference, or nil.
// A table missing from now counts as changed (dropped or renamed).
func (p *Plan) CheckFresh(state StateRef, now []Fingerprint) error {
	var probs []string
	switch {
	case p.State.Lineage != state.Lineage && state.Lineage == "":
		probs = append(probs, "the plan was made against a state that no longer exists")
	case p.State.Lineage != state.Lineage && p.State.Lineage == "":
		probs = append(probs, fmt.Sprintf("the plan was made with no state, but now there is one (lineage %s, serial %d)", state.Lineage, state.Serial))
	case p.State.Lineage != state.Lineage:
		probs = append(probs, fmt.Sprintf("state lineage is %q, the plan was made for %q (another state)", state.Lineage, p.State.Lineage))
	case p.State.Serial != state.Serial:
		probs = append(probs, fmt.Sprintf("state serial is %d, the plan was made at serial %d (state written since)", state.Serial, p.State.Serial))
	}
	byTable := make(map[TableRef]Fingerprint, len(now))
	for _, f := range now {
		byTable[f.Table] = f
	}
	for _, f := range p.Fingerprints {
		cur, ok := byTable[f.Table]
		if !ok {
			probs = append(probs, fmt.Sprintf("source table %s: not found now", f.Table))
			continue
		}
		if d := f.Differences(cur); len(d) > 0 {
			probs = append(probs, fmt.Sprintf("source table %s changed: %s", f.Table, strings.Join(d, ", ")))
		}
	}
	if len(probs) > 0 {
		return &StaleError{Problems: probs}
	}
	return nil
}
