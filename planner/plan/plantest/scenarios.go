package plantest

import (
	"github.com/pgsnow/pgsnow/planner/plan"
)

// The shop database used by every scenario: source app.public.{customers,
// orders} into ANALYTICS.APP.
var (
	Customers = Table{DB: "ANALYTICS", Schema: "APP", Name: "CUSTOMERS", Columns: []plan.Column{
		{Name: "ID", Type: "NUMBER(10,0)"},
		{Name: "NAME", Type: "VARCHAR(120)", Nullable: true},
		{Name: "EMAIL", Type: "VARCHAR(200)", Nullable: true},
	}}
	Orders = Table{DB: "ANALYTICS", Schema: "APP", Name: "ORDERS", Columns: []plan.Column{
		{Name: "ID", Type: "NUMBER(19,0)"},
		{Name: "CUSTOMER_ID", Type: "NUMBER(10,0)", Nullable: true},
		{Name: "AMOUNT", Type: "NUMBER(12,2)", Nullable: true},
		{Name: "CREATED_AT", Type: "TIMESTAMP_TZ(6)", Nullable: true},
	}}
	Refunds = Table{DB: "ANALYTICS", Schema: "APP", Name: "Refunds 2026", Columns: []plan.Column{
		{Name: "ORDER_ID", Type: "NUMBER(19,0)"},
		{Name: "REASON", Type: "VARCHAR(16777216)", Nullable: true},
	}}

	CustomersSrc = plan.TableRef{Source: "app", Schema: "public", Table: "customers"}
	OrdersSrc    = plan.TableRef{Source: "app", Schema: "public", Table: "orders"}
	RefundsSrc   = plan.TableRef{Source: "app", Schema: "public", Table: "Refunds 2026"}

	CustomersCols = []plan.ColumnMapping{
		{Source: "id", SourceType: "integer", Target: "ID", TargetType: "NUMBER(10,0)", Rationale: "integer: 10 digits"},
		{Source: "name", SourceType: "character varying(120)", Target: "NAME", TargetType: "VARCHAR(120)", Rationale: "character varying: same length in characters"},
		{Source: "email", SourceType: "character varying(200)", Target: "EMAIL", TargetType: "VARCHAR(200)", Rationale: "character varying: same length in characters"},
	}
	OrdersCols = []plan.ColumnMapping{
		{Source: "id", SourceType: "bigint", Target: "ID", TargetType: "NUMBER(19,0)", Rationale: "bigint: 19 digits"},
		{Source: "customer_id", SourceType: "integer", Target: "CUSTOMER_ID", TargetType: "NUMBER(10,0)", Rationale: "integer: 10 digits"},
		{Source: "amount", SourceType: "numeric(12,2)", Target: "AMOUNT", TargetType: "NUMBER(12,2)", Rationale: "numeric(12,2): same precision and scale"},
		{Source: "created_at", SourceType: "timestamp with time zone", Target: "CREATED_AT", TargetType: "TIMESTAMP_TZ(6)", Rationale: "timestamptz(6): the instant, written in UTC"},
	}
	RefundsCols = []plan.ColumnMapping{
		{Source: "order_id", SourceType: "bigint", Target: "ORDER_ID", TargetType: "NUMBER(19,0)", Rationale: "bigint: 19 digits"},
		{Source: "reason", SourceType: "text", Target: "REASON", TargetType: "VARCHAR(16777216)", Rationale: "free text: VARCHAR default 16 MB"},
	}
)

const lineage = "3f2c9a1e-5b7d-4c2a-9e8f-0a1b2c3d4e5f"

var (
	dbAddr     = plan.Address(plan.KindDatabase, "ANALYTICS")
	schemaAddr = plan.Address(plan.KindSchema, "ANALYTICS", "APP")
	ffAddr     = plan.Address(plan.KindFileFormat, "ANALYTICS", "APP", "PGSNOW_CSV")
	stageAddr  = plan.Address(plan.KindStage, "ANALYTICS", "APP", "PGSNOW_STAGE")
	loadDeps   = []string{ffAddr, stageAddr}
)

const ffSQL = `CREATE FILE FORMAT "ANALYTICS"."APP"."PGSNOW_CSV" TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"' ESCAPE_UNENCLOSED_FIELD = NONE NULL_IF = ('\\N') EMPTY_FIELD_AS_NULL = FALSE COMPRESSION = ZSTD;`

// containers adds the database, schema, file format and stage with action a.
func (b *Builder) containers(a plan.Action, reasons ...plan.Reason) *Builder {
	return b.
		Object(plan.KindDatabase, []string{"ANALYTICS"}, a, `CREATE DATABASE "ANALYTICS";`, nil, reasons...).
		Object(plan.KindSchema, []string{"ANALYTICS", "APP"}, a, `CREATE SCHEMA "ANALYTICS"."APP";`, []string{dbAddr}, reasons...).
		Object(plan.KindFileFormat, []string{"ANALYTICS", "APP", "PGSNOW_CSV"}, a, ffSQL, []string{schemaAddr}, reasons...).
		Object(plan.KindStage, []string{"ANALYTICS", "APP", "PGSNOW_STAGE"}, a, `CREATE STAGE "ANALYTICS"."APP"."PGSNOW_STAGE";`, []string{schemaAddr}, reasons...)
}

func fp(t plan.TableRef, rows, ins int64, node uint32, sig string) plan.Fingerprint {
	return plan.Fingerprint{Table: t, EstimatedRows: rows, TupInserted: ins, TupUpdated: ins / 10, TupDeleted: ins / 100,
		Relfilenode: node, ColumnSignature: "sha256:" + sig}
}

var newReason = R(plan.ReasonNew, "not in Snowflake and not in the state")

// EmptyTarget: nothing exists yet; everything is created and loaded.
func EmptyTarget() *plan.Plan {
	return New("", 0).containers(plan.Create, newReason).
		TableChange(plan.Create, nil, &Customers, nil, newReason).
		TableChange(plan.Create, nil, &Orders, nil, newReason).
		LoadChange(plan.Load, CustomersSrc, Customers, CustomersCols, 59_000, 4_100_000, 1, loadDeps, R(plan.ReasonNotLoaded, "never loaded")).
		LoadChange(plan.Load, OrdersSrc, Orders, OrdersCols, 41_200_000, 3_210_000_000, 4, loadDeps, R(plan.ReasonNotLoaded, "never loaded")).
		Fingerprint(fp(CustomersSrc, 59_000, 59_000, 16401, "c1")).
		Fingerprint(fp(OrdersSrc, 41_200_000, 41_200_000, 16410, "o1")).
		Plan()
}

// noOps is the shop after a completed apply, with customers unchanged.
func noOps(b *Builder) *Builder {
	return b.containers(plan.NoOp).
		TableChange(plan.NoOp, &Customers, &Customers, nil).
		LoadChange(plan.NoOp, CustomersSrc, Customers, CustomersCols, 59_000, 4_100_000, 1, loadDeps).
		Fingerprint(fp(CustomersSrc, 59_000, 59_000, 16401, "c1"))
}

// NoChanges: right after a completed apply.
func NoChanges() *plan.Plan {
	return noOps(New(lineage, 7)).
		TableChange(plan.NoOp, &Orders, &Orders, nil).
		LoadChange(plan.NoOp, OrdersSrc, Orders, OrdersCols, 41_200_000, 3_210_000_000, 4, loadDeps).
		Fingerprint(fp(OrdersSrc, 41_200_000, 41_200_000, 16410, "o1")).
		Plan()
}

// ColumnAdded: orders gained a column in the source; the table is altered
// in place and reloaded.
func ColumnAdded() *plan.Plan {
	after := Orders
	after.Columns = append(append([]plan.Column(nil), Orders.Columns...), plan.Column{Name: "DISCOUNT", Type: "NUMBER(5,2)", Nullable: true})
	cols := append(append([]plan.ColumnMapping(nil), OrdersCols...), plan.ColumnMapping{Source: "discount", SourceType: "numeric(5,2)", Target: "DISCOUNT", TargetType: "NUMBER(5,2)", Rationale: "numeric(5,2): same precision and scale"})
	added := R(plan.ReasonColumnAdded, `column "discount" numeric(5,2) added in source app.public.orders`)
	return noOps(New(lineage, 7)).
		TableChange(plan.Update, &Orders, &after, []string{`ALTER TABLE "ANALYTICS"."APP"."ORDERS" ADD COLUMN "DISCOUNT" NUMBER(5,2);`}, added).
		LoadChange(plan.Reload, OrdersSrc, after, cols, 41_300_000, 3_300_000_000, 4, loadDeps, added,
			R(plan.ReasonSourceRows, "source row estimate changed: 41200000 → 41300000")).
		Fingerprint(fp(OrdersSrc, 41_300_000, 41_300_000, 16410, "o2")).
		Plan()
}

// DroppedInSnowflake: ORDERS was dropped outside pgsnow; it is created
// again and reloaded.
func DroppedInSnowflake() *plan.Plan {
	dropped := R(plan.ReasonDriftDropped, "drift: table dropped in Snowflake outside pgsnow")
	return noOps(New(lineage, 7)).
		Drift(plan.Drift{Address: Orders.Addr(), Reasons: []plan.Reason{dropped},
			Before: &plan.Attributes{Definition: Orders.CreateSQL(), Columns: Orders.Columns}}).
		TableChange(plan.Create, nil, &Orders, nil, dropped).
		LoadChange(plan.Reload, OrdersSrc, Orders, OrdersCols, 41_200_000, 3_210_000_000, 4, loadDeps,
			R(plan.ReasonTargetRecreated, "the table is created again, its data must be loaded again")).
		Fingerprint(fp(OrdersSrc, 41_200_000, 41_200_000, 16410, "o1")).
		Plan()
}

// NewTable: a table appeared in the source (its name needs quoting).
func NewTable() *plan.Plan {
	return NoChangesBuilder().
		TableChange(plan.Create, nil, &Refunds, nil, R(plan.ReasonNew, `new table in source: app.public."Refunds 2026"`)).
		LoadChange(plan.Load, RefundsSrc, Refunds, RefundsCols, 950, 61_000, 1, loadDeps, R(plan.ReasonNotLoaded, "never loaded")).
		Fingerprint(fp(RefundsSrc, 950, 950, 16420, "r1")).
		Plan()
}

// NoChangesBuilder is NoChanges before Plan, to add to.
func NoChangesBuilder() *Builder {
	return noOps(New(lineage, 7)).
		TableChange(plan.NoOp, &Orders, &Orders, nil).
		LoadChange(plan.NoOp, OrdersSrc, Orders, OrdersCols, 41_200_000, 3_210_000_000, 4, loadDeps).
		Fingerprint(fp(OrdersSrc, 41_200_000, 41_200_000, 16410, "o1"))
}

// LossyOverride: the user overrode orders.amount to FLOAT with
// allow_lossy; NUMBER cannot be altered to FLOAT, so ORDERS is replaced.
func LossyOverride() *plan.Plan {
	after := Orders
	after.Columns = append([]plan.Column(nil), Orders.Columns...)
	after.Columns[2].Type = "FLOAT"
	cols := append([]plan.ColumnMapping(nil), OrdersCols...)
	cols[2] = plan.ColumnMapping{Source: "amount", SourceType: "numeric(12,2)", Target: "AMOUNT", TargetType: "FLOAT",
		Rationale: "override: FLOAT (allow_lossy): values with more than 15 significant digits are rounded", Override: true, Lossy: true}
	changed := R(plan.ReasonTypeMapping, "column AMOUNT: NUMBER(12,2) → FLOAT by override; Snowflake cannot ALTER a NUMBER column to FLOAT")
	return noOps(New(lineage, 7)).
		TableChange(plan.Replace, &Orders, &after, nil, changed).
		LoadChange(plan.Reload, OrdersSrc, after, cols, 41_200_000, 3_210_000_000, 4, loadDeps,
			R(plan.ReasonTargetRecreated, "the table is replaced, its data must be loaded again")).
		Fingerprint(fp(OrdersSrc, 41_200_000, 41_200_000, 16410, "o1")).
		Warn(plan.WarnLossyOverride, plan.Address(plan.KindLoad, "app", "public", "orders"),
			"app.public.orders.amount numeric(12,2) → FLOAT by override with allow_lossy: values with more than 15 significant digits change").
		Plan()
}

// Destroy: the spec no longer wants customers; with allow-destroy the
// table pgsnow created is dropped.
func Destroy() *plan.Plan {
	gone := R(plan.ReasonRemovedFromSpec, "created by pgsnow; no longer in the spec")
	return New(lineage, 7).AllowDestroy().containers(plan.NoOp).
		TableChange(plan.Delete, &Customers, nil, nil, gone).
		TableChange(plan.NoOp, &Orders, &Orders, nil).
		LoadChange(plan.NoOp, OrdersSrc, Orders, OrdersCols, 41_200_000, 3_210_000_000, 4, loadDeps).
		Fingerprint(fp(OrdersSrc, 41_200_000, 41_200_000, 16410, "o1")).
		Plan()
}

// RefreshOnly: -refresh-only after a column's type was changed in
// Snowflake outside pgsnow; drift is reported, nothing is planned.
func RefreshOnly() *plan.Plan {
	now := Orders
	now.Columns = append([]plan.Column(nil), Orders.Columns...)
	now.Columns[2].Type = "NUMBER(18,2)"
	b := NoChangesBuilder().Drift(plan.Drift{Address: Orders.Addr(),
		Reasons: []plan.Reason{R(plan.ReasonDriftColumn, "drift: column AMOUNT type changed in Snowflake outside pgsnow: NUMBER(12,2) → NUMBER(18,2)")},
		Before:  &plan.Attributes{Definition: Orders.CreateSQL(), Columns: Orders.Columns},
		After:   &plan.Attributes{Definition: now.CreateSQL(), Columns: now.Columns}})
	b.p.Mode = plan.ModeRefreshOnly
	return b.Plan()
}

// Targeted: -target app.public.orders with a column added; only orders and
// what it depends on are in the plan.
func Targeted() *plan.Plan {
	p := ColumnAdded()
	p.Targets = []string{"app.public.orders"}
	var keep []plan.Change
	for _, c := range p.Changes {
		if c.Address != Customers.Addr() && c.Address != plan.Address(plan.KindLoad, "app", "public", "customers") {
			keep = append(keep, c)
		}
	}
	p.Changes = keep
	p.Fingerprints = p.Fingerprints[1:]
	p.Summary = plan.Summarize(p)
	return p
}

// Scenarios are all of the above by golden-file name.
var Scenarios = []struct {
	Name string
	Plan func() *plan.Plan
}{
	{"empty_target", EmptyTarget},
	{"no_changes", NoChanges},
	{"column_added", ColumnAdded},
	{"dropped_in_snowflake", DroppedInSnowflake},
	{"new_table", NewTable},
	{"lossy_override", LossyOverride},
	{"destroy", Destroy},
	{"refresh_only", RefreshOnly},
	{"targeted", Targeted},
}
