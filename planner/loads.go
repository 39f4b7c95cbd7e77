package planner

import (
	"fmt"
	"math"
	"strings"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/state"
)

const blockSize = 8192 // PostgreSQL's default heap block size

// fingerprint is what the plan records of one source table.
func fingerprint(ref plan.TableRef, t *catalog.Table, st TableStats) plan.Fingerprint {
	return plan.Fingerprint{Table: ref, EstimatedRows: st.EstimatedRows, TupInserted: st.TupInserted,
		TupUpdated: st.TupUpdated, TupDeleted: st.TupDeleted, Relfilenode: st.Relfilenode,
		ColumnSignature: Signature(t)}
}

// Signature is the column signature of a source table (plan.ColumnSignature
// over names, declared types and NOT NULL). The executor records the same
// value in the state's load fingerprint (columns_sha256), so that the
// next plan can tell a changed source table.
func Signature(t *catalog.Table) string {
	var cs []plan.SignatureColumn
	for _, c := range t.Columns {
		cs = append(cs, plan.SignatureColumn{Name: c.Name, Declared: c.Type.Declared, NotNull: c.NotNull})
	}
	return plan.ColumnSignature(cs)
}

// StateFingerprint is the state form of what the plan saw of a table:
// what apply records in Load.Fingerprint when it loads it.
func StateFingerprint(t *catalog.Table, st TableStats) state.Fingerprint {
	node := st.Relfilenode
	return state.Fingerprint{EstimatedRows: st.EstimatedRows, ExactRows: t.Stats.ExactRows,
		TupInserted: st.TupInserted, TupUpdated: st.TupUpdated, TupDeleted: st.TupDeleted,
		Relfilenode: &node, ColumnsSHA256: Signature(t)}
}

// volume is t's table with the sizes apply will read: a partitioned
// parent holds no rows itself, so its partitions' sizes are summed
// (partitions of partitions included); its row count is the parent's own
// (profiled through the parent).
func volume(db *catalog.Database, t *catalog.Table) *catalog.Table {
	if t.Kind != catalog.TablePartitioned || db == nil {
		return t
	}
	v := *t
	for _, p := range db.AllTables() {
		if p.Kind == catalog.TablePartitioned || !p.IsPartition() {
			continue
		}
		for root := p.PartitionOf; root != nil; {
			if *root == t.QualifiedName() {
				v.Stats.HeapBytes += p.Stats.HeapBytes
				v.Stats.ToastBytes += p.Stats.ToastBytes
				if t.Stats.ExactRows == nil && p.Stats.EstimatedRows > 0 {
					v.Stats.EstimatedRows = max(v.Stats.EstimatedRows, 0) + p.Stats.EstimatedRows
				}
				break
			}
			up := db.Table(root.Schema, root.Name)
			if up == nil {
				break
			}
			root = up.PartitionOf
		}
	}
	return &v
}

// rowsEstimate is the best row count known: counted by a full profile,
// else the statistics, else unknown (-1).
func rowsEstimate(t *catalog.Table) int64 {
	if t.Stats.ExactRows != nil {
		return *t.Stats.ExactRows
	}
	return t.Stats.EstimatedRows
}

// chunks estimates the load units from the catalog's volumetrics the way
// providers/postgres/extract cuts them (CTID block ranges sized by
// chunk_rows and chunk_size, the last range open-ended). Apply cuts the
// real chunks inside its snapshot; these are for review and estimates.
// By primary key, bounds are only known at apply time: the estimate then
// gives the count of chunks without bounds.
func chunks(t *catalog.Table, ts lang.TableSettings) []plan.Chunk {
	rows := max(rowsEstimate(t), 0)
	bytes := t.Stats.HeapBytes + t.Stats.ToastBytes
	blocks := t.Stats.HeapBytes / blockSize
	if blocks <= 0 {
		return []plan.Chunk{{Index: 0, By: "full", EstimatedRows: rows, EstimatedBytes: bytes}}
	}
	density := float64(rows) / float64(blocks)
	per := int64(math.MaxInt64)
	if ts.ChunkRows > 0 && density > 0 {
		per = int64(math.Ceil(float64(ts.ChunkRows) / density))
	}
	if ts.ChunkSize > 0 {
		per = min(per, ts.ChunkSize/blockSize)
	}
	per = max(per, 1)
	n := (blocks + per - 1) / per
	by := "ctid"
	if ts.ChunkBy == "pk" {
		by = "pk"
	}
	var out []plan.Chunk
	for i := int64(0); i < n; i++ {
		start, end := i*per, min((i+1)*per, blocks)
		c := plan.Chunk{Index: int(i), By: by,
			EstimatedRows:  int64(float64(end-start) * density),
			EstimatedBytes: bytes * (end - start) / blocks}
		if by == "ctid" {
			if i > 0 {
				c.From = fmt.Sprint(start)
			}
			if i < n-1 {
				c.To = fmt.Sprint(end)
			}
		}
		out = append(out, c)
	}
	return out
}

// loadDecision decides the load of one table given what happens to the
// table object and the state's load record.
func loadDecision(table plan.Action, tableReasons []plan.Reason, rec *state.Load, now state.Fingerprint) (plan.Action, []plan.Reason) {
	switch table {
	case plan.Create, plan.Replace:
		if rec == nil {
			return plan.Load, []plan.Reason{{Code: plan.ReasonNotLoaded, Message: "never loaded"}}
		}
		verb := "created again"
		if table == plan.Replace {
			verb = "replaced"
		}
		return plan.Reload, []plan.Reason{{Code: plan.ReasonTargetRecreated, Message: "the table is " + verb + ", its data must be loaded again"}}
	case plan.Update:
		return plan.Reload, append([]plan.Reason(nil), tableReasons...)
	}
	if rec == nil {
		return plan.Load, []plan.Reason{{Code: plan.ReasonNotLoaded, Message: "never loaded"}}
	}
	switch rec.Status {
	case state.LoadLoaded:
	case state.LoadPending:
		if len(rec.Files) == 0 {
			return plan.Load, []plan.Reason{{Code: plan.ReasonNotLoaded, Message: "never loaded (the last apply planned it but did not start it)"}}
		}
		fallthrough
	default:
		rows, _ := rec.Totals()
		return plan.Reload, []plan.Reason{{Code: plan.ReasonLoadIncomplete,
			Message: fmt.Sprintf("the last load stopped part way (status %s, %d files with %d rows loaded)", rec.Status, len(rec.Files), rows)}}
	}
	if rec.Fingerprint == nil {
		return plan.Reload, []plan.Reason{{Code: plan.ReasonSourceRows, Message: "the state has no fingerprint of the source table; it cannot tell whether the source changed"}}
	}
	changes := rec.Fingerprint.Changes(now)
	if len(changes) == 0 {
		return plan.NoOp, nil
	}
	var why []plan.Reason
	var rows []string
	for _, c := range changes {
		switch c.Kind {
		case state.ChangedRewritten:
			// First: a TRUNCATE moves no counter, so this may be the only sign.
			why = append([]plan.Reason{{Code: plan.ReasonSourceRewritten, Message: "source table rewritten since the last load (" + c.Detail +
				"): TRUNCATE empties it without moving any counter; after VACUUM FULL or CLUSTER the rows are the same and this reload only costs time"}}, why...)
		case state.ChangedColumns:
			why = append(why, plan.Reason{Code: plan.ReasonColumnType, Message: "source columns changed since the last load (names, declared types or NOT NULL)"})
		default:
			rows = append(rows, c.Detail)
		}
	}
	if len(rows) > 0 {
		why = append(why, plan.Reason{Code: plan.ReasonSourceRows, Message: "source changed since the last load: " + strings.Join(rows, ", ")})
	}
	return plan.Reload, why
}

func truncateSQL(o *object) string {
	return "TRUNCATE TABLE IF EXISTS " + ident.Qualified(o.name...)
}
