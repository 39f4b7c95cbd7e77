package planner_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/inspect"
	"github.com/pgsnow/pgsnow/state"
)

// The hand-built world: source app.public.orders (id bigint PK, amount
// numeric(12,2)) into Snowflake database DB.
func ip(n int) *int { return &n }

func ordersTable(extra ...*catalog.Column) *catalog.Table {
	rows := int64(1000)
	amount := &catalog.Type{Declared: "numeric(12,2)", Schema: "pg_catalog", Name: "numeric", Kind: catalog.KindBase, Category: catalog.CategoryNumeric, Precision: ip(12), Scale: ip(2)}
	cols := []*catalog.Column{
		{Name: "id", Position: 1, NotNull: true, Type: &catalog.Type{Declared: "bigint", Schema: "pg_catalog", Name: "int8", Kind: catalog.KindBase, Category: catalog.CategoryNumeric}},
		{Name: "amount", Position: 2, Type: amount, Profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 5, MaxScale: 2}}},
	}
	return &catalog.Table{Schema: "public", Name: "orders", Kind: catalog.TableRegular, CanSelect: true, Columns: append(cols, extra...),
		Profile: &catalog.TableProfile{Method: catalog.ProfileFull, RowsScanned: rows},
		Stats:   catalog.Volumetrics{EstimatedRows: rows, ExactRows: &rows, HeapBytes: 8 * 8192}}
}

func source(t *catalog.Table) planner.Source {
	db := &catalog.Database{Name: "shop", Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{t}}}}
	return planner.Source{Name: "app", DB: db, Ref: plan.SourceRef{Name: "app", Host: "db", Port: 5432, Database: "shop", User: "ro"},
		Stats: map[catalog.QualifiedName]planner.TableStats{{Schema: "public", Name: "orders"}: {EstimatedRows: 1000, TupInserted: 1000, Relfilenode: 16400}}}
}

func testSpec(t *testing.T, extra string) *lang.Spec {
	t.Helper()
	spec, _, diags := lang.Parse(map[string][]byte{"main.pgsnow.hcl": []byte(`
source "postgres" "app" {
  dsn = "postgres://ro@db/shop"
}
target "snowflake" "sf" {
  account  = "acme"
  database = "DB"
  user     = "LOADER"
  auth {
    method   = "password"
    password = "x"
  }
}
` + extra)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return spec
}

func liveCol(name, typ string, nullable bool) inspect.Column {
	return inspect.Column{Name: name, Type: typ, Nullable: nullable}
}

// liveDB is Snowflake after an apply, with ORDERS holding cols.
func liveDB(rows int64, cols ...inspect.Column) *inspect.Database {
	return &inspect.Database{Name: "DB", Exists: true, Schemas: []*inspect.Schema{
		{Name: "PGSNOW", Stages: []*inspect.Stage{{Schema: "PGSNOW", Name: "PGSNOW_STAGE"}}, FileFormats: []*inspect.FileFormat{{Schema: "PGSNOW", Name: "PGSNOW_CSV"}}},
		{Name: "PUBLIC", Tables: []*inspect.Table{{Schema: "PUBLIC", Name: "ORDERS", Type: "BASE TABLE", RowCount: &rows, Columns: cols}}},
	}}
}

var (
	ordersAddr = plan.Address(plan.KindTable, "DB", "PUBLIC", "ORDERS")
	loadAddr   = plan.Address(plan.KindLoad, "app", "public", "orders")
	goodCols   = []inspect.Column{liveCol("ID", "NUMBER(19,0)", false), liveCol("AMOUNT", "NUMBER(12,2)", true)}
)

// appliedState records ORDERS with cols and a finished load whose
// fingerprint matches source() unless ins differs.
func appliedState(status state.LoadStatus, ins int64, cols ...state.Column) *state.State {
	s := state.New("test")
	o := &state.Object{Kind: state.KindTable, Name: []string{"DB", "PUBLIC", "ORDERS"}, Columns: cols}
	o.SetDDL("CREATE TABLE …")
	s.Objects[ordersAddr] = o
	rows := int64(1000)
	s.Loads[loadAddr] = &state.Load{Source: "app", Schema: "public", Table: "orders", Target: ordersAddr, Status: status,
		Fingerprint: &state.Fingerprint{ExactRows: &rows, TupInserted: ins, ColumnsSHA256: planner.Signature(ordersTable())}}
	return s
}

// withNode records relfilenode n in s's load fingerprint.
func withNode(s *state.State, n uint32) *state.State {
	s.Loads[loadAddr].Fingerprint.Relfilenode = &n
	return s
}

var goodState = []state.Column{{Name: "ID", Type: "NUMBER(19,0)"}, {Name: "AMOUNT", Type: "NUMBER(12,2)", Nullable: true}}

// outcome is what the tests compare: per address the action, reason
// codes and DDL of every change that is not a no-op, and the drift.
type outcome struct {
	Changes map[string]string // address → "action: codes | ddl"
	Drift   map[string]string
	Warn    []string
}

func summarize(p *plan.Plan) outcome {
	o := outcome{Changes: map[string]string{}, Drift: map[string]string{}}
	codes := func(rs []plan.Reason) string {
		var c []string
		for _, r := range rs {
			c = append(c, r.Code)
		}
		return strings.Join(c, ",")
	}
	for _, c := range p.Changes {
		if c.Action == plan.NoOp || (c.Action == plan.Create && c.Kind != plan.KindTable && c.Kind != plan.KindDatabase) {
			continue
		}
		s := string(c.Action) + ": " + codes(c.Reasons)
		if c.Kind == plan.KindTable && c.Action != plan.Create {
			s += " | " + strings.Join(c.DDL, "; ")
		}
		o.Changes[c.Address] = s
	}
	for _, d := range p.Drift {
		o.Drift[d.Address] = codes(d.Reasons)
	}
	for _, w := range p.Warnings {
		o.Warn = append(o.Warn, w.Code+" "+w.Address)
	}
	return o
}

func TestPlanActions(t *testing.T) {
	discount := &catalog.Column{Name: "discount", Position: 3, Type: &catalog.Type{Declared: "numeric(5,2)", Schema: "pg_catalog", Name: "numeric", Kind: catalog.KindBase, Precision: ip(5), Scale: ip(2)},
		Profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{}}}
	tests := []struct {
		name    string
		table   *catalog.Table
		live    *inspect.Database
		state   *state.State
		destroy bool
		want    outcome
	}{
		{name: "empty target", table: ordersTable(),
			want: outcome{Changes: map[string]string{
				"snowflake_database.DB": "create: new", ordersAddr: "create: new", loadAddr: "load: not_loaded"}, Drift: map[string]string{}}},
		{name: "no changes", table: ordersTable(), live: liveDB(1000, goodCols...), state: appliedState(state.LoadLoaded, 1000, goodState...),
			want: outcome{Changes: map[string]string{}, Drift: map[string]string{}}},
		{name: "column added in source", table: ordersTable(discount), live: liveDB(1000, goodCols...), state: appliedState(state.LoadLoaded, 1000, goodState...),
			want: outcome{Changes: map[string]string{
				ordersAddr: `update: source_column_added | ALTER TABLE "DB"."PUBLIC"."ORDERS" ADD COLUMN "DISCOUNT" NUMBER(5,2)`,
				loadAddr:   "reload: source_column_added"}, Drift: map[string]string{}}},
		{name: "widen in place", table: ordersTable(), live: liveDB(1000, liveCol("ID", "NUMBER(19,0)", false), liveCol("AMOUNT", "NUMBER(10,2)", true)),
			state: appliedState(state.LoadLoaded, 1000, state.Column{Name: "ID", Type: "NUMBER(19,0)"}, state.Column{Name: "AMOUNT", Type: "NUMBER(10,2)", Nullable: true}),
			want: outcome{Changes: map[string]string{
				ordersAddr: `update: source_column_type_changed | ALTER TABLE "DB"."PUBLIC"."ORDERS" ALTER COLUMN "AMOUNT" SET DATA TYPE NUMBER(12,2)`,
				loadAddr:   "reload: source_column_type_changed"}, Drift: map[string]string{}}},
		{name: "type changed in Snowflake: replace", table: ordersTable(),
			live:  liveDB(1000, liveCol("ID", "NUMBER(19,0)", false), liveCol("AMOUNT", "NUMBER(18,2)", true)),
			state: appliedState(state.LoadLoaded, 1000, goodState...),
			want: outcome{Changes: map[string]string{
				ordersAddr: `replace: drift_column_changed | DROP TABLE IF EXISTS "DB"."PUBLIC"."ORDERS"; ` + createOrders,
				loadAddr:   "reload: target_recreated"},
				Drift: map[string]string{ordersAddr: "drift_column_changed"}}},
		{name: "column removed from source", table: ordersTable(),
			live:  liveDB(1000, append(goodCols, liveCol("OLD", "VARCHAR(10)", true))...),
			state: appliedState(state.LoadLoaded, 1000, append(goodState, state.Column{Name: "OLD", Type: "VARCHAR(10)", Nullable: true})...),
			want: outcome{Changes: map[string]string{
				ordersAddr: `update: source_column_removed | ALTER TABLE "DB"."PUBLIC"."ORDERS" DROP COLUMN "OLD"`,
				loadAddr:   "reload: source_column_removed"}, Drift: map[string]string{}}},
		{name: "table dropped in Snowflake", table: ordersTable(), live: &inspect.Database{Name: "DB", Exists: true, Schemas: liveDB(0).Schemas[:1]},
			state: appliedState(state.LoadLoaded, 1000, goodState...),
			want: outcome{Changes: map[string]string{
				ordersAddr: "create: drift_dropped", loadAddr: "reload: target_recreated"},
				Drift: map[string]string{ordersAddr: "drift_dropped"}}},
		{name: "source rows changed", table: ordersTable(), live: liveDB(1000, goodCols...), state: appliedState(state.LoadLoaded, 990, goodState...),
			want: outcome{Changes: map[string]string{loadAddr: "reload: source_rows_changed"}, Drift: map[string]string{}}},
		{name: "source truncated (relfilenode moved, no counter did)", table: ordersTable(), live: liveDB(1000, goodCols...),
			state: withNode(appliedState(state.LoadLoaded, 1000, goodState...), 16300),
			want:  outcome{Changes: map[string]string{loadAddr: "reload: source_rewritten"}, Drift: map[string]string{}}},
		{name: "same relfilenode", table: ordersTable(), live: liveDB(1000, goodCols...),
			state: withNode(appliedState(state.LoadLoaded, 1000, goodState...), 16400),
			want:  outcome{Changes: map[string]string{}, Drift: map[string]string{}}},
		{name: "rewritten and rows changed", table: ordersTable(), live: liveDB(1000, goodCols...),
			state: withNode(appliedState(state.LoadLoaded, 990, goodState...), 16300),
			want:  outcome{Changes: map[string]string{loadAddr: "reload: source_rewritten,source_rows_changed"}, Drift: map[string]string{}}},
		// appliedState records no relfilenode, as pgsnow did before: unknown,
		// so the other cases plan no reload for it.
		{name: "old state without relfilenode", table: ordersTable(), live: liveDB(1000, goodCols...), state: appliedState(state.LoadLoaded, 1000, goodState...),
			want: outcome{Changes: map[string]string{}, Drift: map[string]string{}}},
		{name: "load stopped part way", table: ordersTable(), live: liveDB(1000, goodCols...), state: appliedState(state.LoadFailed, 1000, goodState...),
			want: outcome{Changes: map[string]string{loadAddr: "reload: load_incomplete"}, Drift: map[string]string{}}},
		{name: "removed from spec without allow-destroy", table: ordersTable(), live: withGone(liveDB(1000, goodCols...)), state: withGoneState(appliedState(state.LoadLoaded, 1000, goodState...)),
			want: outcome{Changes: map[string]string{}, Drift: map[string]string{}, Warn: []string{"destroy_skipped " + goneAddr}}},
		{name: "removed from spec with allow-destroy", table: ordersTable(), live: withGone(liveDB(1000, goodCols...)), state: withGoneState(appliedState(state.LoadLoaded, 1000, goodState...)), destroy: true,
			want: outcome{Changes: map[string]string{goneAddr: `delete: removed_from_spec | DROP TABLE IF EXISTS "DB"."PUBLIC"."GONE"`}, Drift: map[string]string{}}},
		{name: "unprofiled table warns", table: func() *catalog.Table { t := ordersTable(); t.Profile = nil; return t }(), live: liveDB(1000, goodCols...), state: appliedState(state.LoadLoaded, 1000, goodState...),
			want: outcome{Changes: map[string]string{}, Drift: map[string]string{}, Warn: []string{"type_risk " + loadAddr}}},
		{name: "empty table not in the state is adopted", table: ordersTable(), live: liveDB(0, goodCols...),
			want: outcome{Changes: map[string]string{loadAddr: "load: not_loaded"}, Drift: map[string]string{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := planner.Input{Spec: testSpec(t, ""), Sources: []planner.Source{source(tc.table)}, Live: tc.live, State: tc.state,
				AllowDestroy: tc.destroy, Now: now, Version: "test", Target: plan.TargetRef{Name: "sf", Database: "DB", User: "LOADER", AuthMethod: "password"}}
			res, err := planner.Plan(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, summarize(res.Plan)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// TestPlanRewrittenMessage: the reason names both relfilenodes and says
// that VACUUM FULL and CLUSTER also cause the reload.
func TestPlanRewrittenMessage(t *testing.T) {
	in := planner.Input{Spec: testSpec(t, ""), Sources: []planner.Source{source(ordersTable())}, Live: liveDB(1000, goodCols...),
		State: withNode(appliedState(state.LoadLoaded, 1000, goodState...), 16300), Now: now, Version: "test",
		Target: plan.TargetRef{Name: "sf", Database: "DB", User: "LOADER", AuthMethod: "password"}}
	res, err := planner.Plan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Plan.Change(loadAddr)
	want := []plan.Reason{{Code: plan.ReasonSourceRewritten, Message: "source table rewritten since the last load (relfilenode 16300 → 16400): " +
		"TRUNCATE empties it without moving any counter; after VACUUM FULL or CLUSTER the rows are the same and this reload only costs time"}}
	if c == nil || c.Action != plan.Reload {
		t.Fatalf("load: %+v", c)
	}
	if d := cmp.Diff(want, c.Reasons); d != "" {
		t.Errorf("reasons (-want +got):\n%s", d)
	}
}

const createOrders = "CREATE TABLE IF NOT EXISTS \"DB\".\"PUBLIC\".\"ORDERS\" (\n  \"ID\" NUMBER(19,0) NOT NULL,\n  \"AMOUNT\" NUMBER(12,2)\n)"

var goneAddr = plan.Address(plan.KindTable, "DB", "PUBLIC", "GONE")

func withGone(d *inspect.Database) *inspect.Database {
	s := d.Schemas[1]
	s.Tables = append(s.Tables, &inspect.Table{Schema: "PUBLIC", Name: "GONE", Type: "BASE TABLE"})
	return d
}

func withGoneState(s *state.State) *state.State {
	o := &state.Object{Kind: state.KindTable, Name: []string{"DB", "PUBLIC", "GONE"}}
	o.SetDDL("CREATE TABLE GONE")
	s.Objects[goneAddr] = o
	return s
}

// Refusals fail the plan, naming the column, the value class and the fix.
func TestPlanRefusals(t *testing.T) {
	nan := ordersTable()
	nan.Columns[1].Profile.Numeric.NaN = 3
	nan.Columns[1].Type = &catalog.Type{Declared: "numeric", Schema: "pg_catalog", Name: "numeric", Kind: catalog.KindBase}
	tests := []struct {
		name  string
		table *catalog.Table
		live  *inspect.Database
		want  []string
	}{
		{"NaN in numeric", nan, nil, []string{"public.orders.amount", "3 NaN", `column "amount"`}},
		{"unmanaged table with rows", ordersTable(), liveDB(5, goodCols...), []string{ordersAddr, "pgsnow did not create it"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := planner.Plan(context.Background(), planner.Input{Spec: testSpec(t, ""), Sources: []planner.Source{source(tc.table)}, Live: tc.live, Now: now})
			var te *typemap.Error
			if !errors.As(err, &te) || res == nil || res.Plan != nil || res.Model == nil {
				t.Fatalf("want a mapping error with the model, got %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// -target keeps the table, its load and their dependencies; unknown
// targets are refused; refresh-only plans nothing.
func TestPlanScope(t *testing.T) {
	in := planner.Input{Spec: testSpec(t, ""), Sources: []planner.Source{source(ordersTable())}, Now: now, Targets: []string{"app.public.orders"}}
	res, err := planner.Plan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.Plan.Changes); got != 7 { // database, schemas PGSNOW and PUBLIC, file format, stage, table, load
		t.Errorf("%d changes", got)
	}
	in.Targets = []string{"app.public.nope"}
	if _, err := planner.Plan(context.Background(), in); err == nil || !strings.Contains(err.Error(), "app.public.nope") {
		t.Errorf("unknown target: %v", err)
	}
	in.Targets, in.RefreshOnly = nil, true
	res, err = planner.Plan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Summary.HasChanges() || res.Plan.Mode != plan.ModeRefreshOnly {
		t.Errorf("refresh-only: %s %s", res.Plan.Mode, res.Plan.Summary)
	}
}

// Two sources share the target database: schema_map keeps them apart, and
// a collision is refused naming both.
func TestPlanTwoSources(t *testing.T) {
	two := `
source "postgres" "crm" {
  dsn        = "postgres://ro@crm/crm"
  schema_map = { public = "CRM" }
}
`
	crm := source(ordersTable())
	crm.Name, crm.Ref.Name = "crm", "crm"
	in := planner.Input{Spec: testSpec(t, two), Sources: []planner.Source{source(ordersTable()), crm}, Now: now}
	res, err := planner.Plan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"load.app.public.orders", "load.crm.public.orders", "snowflake_table.DB.CRM.ORDERS", ordersAddr} {
		if res.Plan.Change(a) == nil {
			t.Errorf("no change %s", a)
		}
	}
	if c := res.Plan.Change("load.crm.public.orders"); c != nil && c.Load.Target != "snowflake_table.DB.CRM.ORDERS" {
		t.Errorf("crm loads into %s", c.Load.Target)
	}
	in.Spec = testSpec(t, strings.Replace(two, `schema_map = { public = "CRM" }`, "", 1))
	if _, err := planner.Plan(context.Background(), in); err == nil || !strings.Contains(err.Error(), "wanted twice") {
		t.Errorf("collision: %v", err)
	}
}
