package plan_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/plan/plantest"
)

func TestAddress(t *testing.T) {
	tests := []struct {
		kind  plan.Kind
		parts []string
		want  string
	}{
		{plan.KindTable, []string{"ANALYTICS", "APP", "ORDERS"}, "snowflake_table.ANALYTICS.APP.ORDERS"},
		{plan.KindTable, []string{"ANALYTICS", "APP", `Order "Lines"`}, `snowflake_table.ANALYTICS.APP."Order ""Lines"""`},
		{plan.KindLoad, []string{"app", "public", "orders"}, "load.app.public.orders"},
		{plan.KindSchema, []string{"A", "1x"}, `snowflake_schema.A."1x"`},
	}
	for _, tt := range tests {
		if got := plan.Address(tt.kind, tt.parts...); got != tt.want {
			t.Errorf("Address(%s, %q) = %s, want %s", tt.kind, tt.parts, got, tt.want)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name string
		p    *plan.Plan
		want string
	}{
		{"empty", plantest.EmptyTarget(), "Plan: 6 to add, 0 to change, 0 to destroy; 2 tables to load (~3.2 GB, ~41 M rows)."},
		{"none", plantest.NoChanges(), "No changes. Snowflake matches the source and the state."},
		{"refresh-only", plantest.RefreshOnly(), "No changes planned; 1 object changed in Snowflake outside pgsnow."},
		{"column", plantest.ColumnAdded(), "Plan: 0 to add, 1 to change, 0 to destroy; 1 table to load (~3.3 GB, ~41 M rows)."},
		{"replace", plantest.LossyOverride(), "Plan: 1 to add, 0 to change, 1 to destroy; 1 table to load (~3.2 GB, ~41 M rows)."},
		{"destroy", plantest.Destroy(), "Plan: 0 to add, 0 to change, 1 to destroy."},
		{"new", plantest.NewTable(), "Plan: 1 to add, 0 to change, 0 to destroy; 1 table to load (~61 KB, ~950 rows)."},
	}
	for _, tt := range tests {
		if got := plan.Summarize(tt.p).String(); got != tt.want {
			t.Errorf("%s: %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestUnits(t *testing.T) {
	got := []string{plan.Bytes(0), plan.Bytes(999), plan.Bytes(1000), plan.Bytes(3_210_000_000), plan.Bytes(45_600_000),
		plan.Count(950), plan.Count(41_200_000), plan.Count(1_250_000_000), plan.Count(-1)}
	want := []string{"0 B", "999 B", "1.0 KB", "3.2 GB", "46 MB", "950", "41 M", "1.2 B", "unknown"}
	if d := cmp.Diff(want, got); d != "" {
		t.Error(d)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *plan.Plan)
		want   string
	}{
		{"missing dependency", func(p *plan.Plan) { p.Changes[1].DependsOn = []string{"snowflake_database.NOPE"} }, "depends on snowflake_database.NOPE, which the plan does not list"},
		{"cycle", func(p *plan.Plan) { p.Changes[0].DependsOn = []string{p.Changes[1].Address} }, "dependency cycle"},
		{"address mismatch", func(p *plan.Plan) { p.Changes[0].Name = []string{"OTHER"} }, `does not match kind snowflake_database`},
		{"load action on table", func(p *plan.Plan) { p.Changes[4].Action = plan.Load }, "action load does not apply to a snowflake_table"},
		{"update without reason", func(p *plan.Plan) {
			c := p.Change("snowflake_table.ANALYTICS.APP.ORDERS")
			c.Action, c.Reasons, c.Before = plan.Update, nil, c.After
		}, "update needs a reason"},
		{"duplicate", func(p *plan.Plan) { p.Changes = append(p.Changes, p.Changes[0]) }, "listed twice"},
		{"refresh-only with changes", func(p *plan.Plan) { p.Mode = plan.ModeRefreshOnly }, "refresh-only plan holds a create"},
		{"dsn user", func(p *plan.Plan) { p.Target.User = "user=x password=y" }, "holds a URL or DSN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := plantest.EmptyTarget()
			tt.mutate(p)
			err := p.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestOrder(t *testing.T) {
	p := plantest.EmptyTarget()
	pos := map[string]int{}
	for i, c := range p.Order() {
		pos[c.Address] = i
	}
	if len(pos) != len(p.Changes) {
		t.Fatalf("Order returned %d changes, want %d", len(pos), len(p.Changes))
	}
	for _, c := range p.Changes {
		for _, d := range c.DependsOn {
			if pos[d] > pos[c.Address] {
				t.Errorf("%s runs before its dependency %s", c.Address, d)
			}
		}
	}
}

func TestCheckFresh(t *testing.T) {
	p := plantest.ColumnAdded()
	now := append([]plan.Fingerprint(nil), p.Fingerprints...)
	if err := p.CheckFresh(p.State, now); err != nil {
		t.Fatalf("fresh plan refused: %v", err)
	}
	moved := append([]plan.Fingerprint(nil), now...)
	moved[1].TupInserted += 5
	moved[1].Relfilenode = 99999
	analyzed := append([]plan.Fingerprint(nil), now...)
	analyzed[0].EstimatedRows += 1000 // ANALYZE alone does not make a plan stale
	if err := p.CheckFresh(p.State, analyzed); err != nil {
		t.Fatalf("plan refused after ANALYZE only: %v", err)
	}
	tests := []struct {
		name  string
		state plan.StateRef
		now   []plan.Fingerprint
		want  []string
	}{
		{"serial", plan.StateRef{Lineage: p.State.Lineage, Serial: 8}, now,
			[]string{"state serial is 8, the plan was made at serial 7 (state written since)"}},
		{"lineage", plan.StateRef{Lineage: "other", Serial: 7}, now,
			[]string{`state lineage is "other", the plan was made for "3f2c9a1e-5b7d-4c2a-9e8f-0a1b2c3d4e5f" (another state)`}},
		{"source", p.State, moved,
			[]string{"source table app.public.orders changed: rows inserted 41300000 → 41300005, table rewritten (relfilenode 16410 → 99999)"}},
		{"state gone", plan.StateRef{}, now,
			[]string{"the plan was made against a state that no longer exists"}},
		{"gone", p.State, now[:1],
			[]string{"source table app.public.orders: not found now"}},
	}
	for _, tt := range tests {
		err := p.CheckFresh(tt.state, tt.now)
		var se *plan.StaleError
		if !errors.As(err, &se) {
			t.Fatalf("%s: err = %v, want *StaleError", tt.name, err)
		}
		if d := cmp.Diff(tt.want, se.Problems); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestCheckFreshNoStateThen(t *testing.T) {
	p := plantest.EmptyTarget()
	err := p.CheckFresh(plan.StateRef{Lineage: "L", Serial: 1}, p.Fingerprints)
	want := "the saved plan is stale, make a new plan:\n  - the plan was made with no state, but now there is one (lineage L, serial 1)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestColumnSignature(t *testing.T) {
	a := plan.ColumnSignature([]plan.SignatureColumn{{Name: "id", Declared: "integer", NotNull: true}, {Name: "n", Declared: "text"}})
	for _, other := range [][]plan.SignatureColumn{
		{{Name: "id", Declared: "integer"}, {Name: "n", Declared: "text"}},
		{{Name: "id", Declared: "bigint", NotNull: true}, {Name: "n", Declared: "text"}},
		{{Name: "n", Declared: "text"}, {Name: "id", Declared: "integer", NotNull: true}},
		{{Name: "id", Declared: "integer", NotNull: true}},
	} {
		if plan.ColumnSignature(other) == a {
			t.Errorf("signature of %v equals the original", other)
		}
	}
	if !strings.HasPrefix(a, "sha256:") || len(a) != 7+64 {
		t.Errorf("signature %q", a)
	}
}

// Odd but legal names are not mistaken for DSNs.
func TestValidateOddNamesAllowed(t *testing.T) {
	p := plantest.EmptyTarget()
	p.Sources[0].Database = "a=b"
	p.Target.User = "ETL USER"
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
}
