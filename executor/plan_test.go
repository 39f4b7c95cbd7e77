package executor

import (
	"fmt"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// tbl is one source table in a test plan: chunks × rows each.
type tbl struct {
	name        string
	chunks      int
	rows        int64
	tableAction plan.Action // default create
	loadAction  plan.Action // default load
	tupIns      int64       // fingerprint counter, to test resume rules
	rewritten   bool        // another relfilenode, as after CLUSTER or VACUUM FULL
}

const testDB, testSchema = "DW", "APP"

func tableAddr(name string) string { return plan.Address(plan.KindTable, testDB, testSchema, name) }
func loadAddr(name string) string  { return plan.Address(plan.KindLoad, "src", "public", name) }

var (
	dbAddr     = plan.Address(plan.KindDatabase, testDB)
	schemaAddr = plan.Address(plan.KindSchema, testDB, testSchema)
)

// testPlan is database → schema → tables → loads, plus views that depend
// on the given tables.
func testPlan(tables []tbl, views map[string][]string) *plan.Plan {
	p := &plan.Plan{FormatVersion: plan.FormatVersion, Kind: plan.FileKind, Mode: plan.ModeNormal}
	p.Changes = append(p.Changes,
		plan.Change{Address: dbAddr, Kind: plan.KindDatabase, Name: []string{testDB}, Action: plan.Create,
			DDL: []string{"CREATE DATABASE IF NOT EXISTS DW"}, After: &plan.Attributes{}},
		plan.Change{Address: schemaAddr, Kind: plan.KindSchema, Name: []string{testDB, testSchema}, Action: plan.Create,
			DDL: []string{"CREATE SCHEMA IF NOT EXISTS DW.APP"}, DependsOn: []string{dbAddr}, After: &plan.Attributes{}})
	for _, t := range tables {
		ta, la := t.tableAction, t.loadAction
		if ta == "" {
			ta = plan.Create
		}
		if la == "" {
			la = plan.Load
		}
		tc := plan.Change{Address: tableAddr(t.name), Kind: plan.KindTable, Name: []string{testDB, testSchema, t.name},
			Action: ta, DependsOn: []string{schemaAddr}}
		if ta == plan.Create {
			tc.DDL = []string{fmt.Sprintf("CREATE TABLE DW.APP.%s (ID NUMBER)", t.name)}
			tc.After = &plan.Attributes{Columns: []plan.Column{{Name: "ID", Type: "NUMBER(38,0)"}}}
		}
		ld := &plan.LoadDetail{Source: plan.TableRef{Source: "src", Schema: "public", Table: t.name}, Target: tc.Address,
			Format: "csv", Compression: "none", EstimatedRows: int64(t.chunks) * t.rows}
		for i := 0; i < t.chunks; i++ {
			ld.Chunks = append(ld.Chunks, plan.Chunk{Index: i, By: "ctid", From: fmt.Sprint(i * 10), To: fmt.Sprint(i*10 + 10), EstimatedRows: t.rows})
		}
		lc := plan.Change{Address: loadAddr(t.name), Kind: plan.KindLoad, Name: []string{"src", "public", t.name},
			Action: la, DependsOn: []string{tc.Address}, Load: ld}
		if la == plan.Reload {
			lc.Reasons = []plan.Reason{{Code: plan.ReasonLoadIncomplete, Message: "test"}}
		}
		p.Changes = append(p.Changes, tc, lc)
		node := uint32(16384)
		if t.rewritten {
			node++
		}
		p.Fingerprints = append(p.Fingerprints, plan.Fingerprint{Table: ld.Source, TupInserted: t.tupIns, ColumnSignature: "sha256:cols-" + t.name, Relfilenode: node})
	}
	for v, deps := range views {
		vc := plan.Change{Address: plan.Address(plan.KindView, testDB, testSchema, v), Kind: plan.KindView,
			Name: []string{testDB, testSchema, v}, Action: plan.Create, DDL: []string{"CREATE VIEW DW.APP." + v + " AS SELECT 1"},
			After: &plan.Attributes{}}
		for _, d := range deps {
			vc.DependsOn = append(vc.DependsOn, loadAddr(d))
		}
		p.Changes = append(p.Changes, vc)
	}
	p.Sort()
	return p
}
