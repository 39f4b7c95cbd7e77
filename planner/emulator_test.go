package planner_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/render"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/state"
)

// shopSQL is the source of the golden scenarios.
const shopSQL = `
CREATE TABLE customers (id integer PRIMARY KEY, name varchar(120), email varchar(200));
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer REFERENCES customers (id),
                     amount numeric(12,2), created_at timestamptz);
INSERT INTO customers SELECT g, 'name ' || g, 'c' || g || '@example.com' FROM generate_series(1, 50) g;
INSERT INTO orders SELECT g, g % 50 + 1, g * 1.25, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 hour'
  FROM generate_series(1, 200) g;
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE SEQUENCE invoice_no START 1000;
SELECT nextval('invoice_no');
`

// scenario is one source database, one Snowflake database and one state.
type scenario struct {
	t   *testing.T
	emu *emulator
	sf  *sql.DB
	dsn string
	db  string
	m   state.Manager
	hcl string // extra spec
}

func newScenario(t *testing.T, emu *emulator, sf *sql.DB, db string) *scenario {
	dsn := pgtest.NewDatabase(t)
	sourceExec(t, dsn, shopSQL)
	return &scenario{t: t, emu: emu, sf: sf, dsn: dsn, db: db, m: newState(t)}
}

// TestChinookNoChanges: after Chinook's objects exist and the state
// records its loads, the next plan has no changes (the acceptance test
// of issue 6, with apply simulated).
func TestChinookNoChanges(t *testing.T) {
	emu := startEmulator(t)
	sf := emu.open(t)
	dsn := pgtest.NewDatabase(t)
	if err := pgtest.LoadChinook(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	waitStats(t, dsn)
	s := &scenario{t: t, emu: emu, sf: sf, dsn: dsn, db: "CHINOOK", m: newState(t)}
	first := s.mustPlan()
	if got, want := first.Summary.String(), "Plan: 16 to add, 0 to change, 0 to destroy; 11 tables to load (~950 KB, ~16 K rows)."; got != want {
		t.Errorf("first plan: %s, want %s", got, want)
	}
	s.applied() // fails on any change in the second plan
}

func (s *scenario) spec() *lang.Spec { return s.emu.spec(s.t, s.dsn, s.db, s.hcl) }

func (s *scenario) plan(mod ...func(*planner.Input)) (*planner.Result, error) {
	in := gather(s.t, s.spec(), s.sf, s.m)
	for _, f := range mod {
		f(&in)
	}
	return planner.Plan(context.Background(), in)
}

func (s *scenario) mustPlan(mod ...func(*planner.Input)) *plan.Plan {
	s.t.Helper()
	res, err := s.plan(mod...)
	if err != nil {
		s.t.Fatal(err)
	}
	return res.Plan
}

// applied plans and simulates the apply of the plan.
func (s *scenario) applied() {
	s.t.Helper()
	simulateApply(s.t, s.emu, s.m, s.mustPlan())
	if p := s.mustPlan(); p.Summary.HasChanges() {
		var b bytes.Buffer
		render.Text(&b, p, render.TextOptions{})
		s.t.Fatalf("changes right after the simulated apply:\n%s", b.String())
	}
}

func (s *scenario) source(sql string) { s.t.Helper(); sourceExec(s.t, s.dsn, sql) }

// sourceExec runs a script on the source and makes its pg_stat counters
// visible before returning: PostgreSQL flushes a backend's statistics
// when it goes idle only every so often, or at once after
// pg_stat_force_next_flush() — before it answers ReadyForQuery. So the
// fingerprints the next plan reads never depend on timing.
func sourceExec(t *testing.T, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.PgConn().Exec(ctx, sql).ReadAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_stat_force_next_flush()"); err != nil {
		t.Fatal(err)
	}
}

func (s *scenario) snowflake(sql string) {
	s.t.Helper()
	conn, err := s.sf.Conn(context.Background())
	if err != nil {
		s.t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{sql} {
		if _, err := conn.ExecContext(context.Background(), q); err != nil {
			s.t.Fatalf("%s: %v", q, err)
		}
	}
}

// mask replaces what differs from run to run: the state's lineage,
// relfilenodes and reltuples (autovacuum may analyze at any time). It
// returns a copy: a test may apply p after checking its golden.
func mask(orig *plan.Plan) *plan.Plan {
	p := *orig
	p.Fingerprints = slices.Clone(p.Fingerprints)
	if p.State.Lineage != "" {
		p.State.Lineage = "LINEAGE"
	}
	for i := range p.Fingerprints {
		p.Fingerprints[i].Relfilenode, p.Fingerprints[i].EstimatedRows = 0, 0
	}
	return &p
}

func goldenPlan(t *testing.T, name string, p *plan.Plan) {
	t.Helper()
	p = mask(p)
	var txt, md, js bytes.Buffer
	if err := render.Text(&txt, p, render.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := render.Markdown(&md, p, render.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := render.JSON(&js, p); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "emulator/"+name+".txt", txt.Bytes())
	checkGolden(t, "emulator/"+name+".md", md.Bytes())
	checkGolden(t, "emulator/"+name+".json", js.Bytes())
}

// TestEmulatorGolden plans against a real PostgreSQL and the emulator.
func TestEmulatorGolden(t *testing.T) {
	emu := startEmulator(t)
	sf := emu.open(t)

	t.Run("empty_target", func(t *testing.T) {
		s := newScenario(t, emu, sf, "EMPTY_TARGET")
		goldenPlan(t, "empty_target", s.mustPlan())
	})
	t.Run("no_changes", func(t *testing.T) {
		s := newScenario(t, emu, sf, "NO_CHANGES")
		s.applied()
		p := s.mustPlan()
		if p.Summary.HasChanges() || len(p.Drift) > 0 {
			t.Errorf("summary %s, %d drift", p.Summary, len(p.Drift))
		}
		goldenPlan(t, "no_changes", p)
	})
	t.Run("column_added", func(t *testing.T) {
		s := newScenario(t, emu, sf, "COLUMN_ADDED")
		s.applied()
		s.source(`ALTER TABLE orders ADD COLUMN discount numeric(5,2)`)
		p := s.mustPlan()
		if c := p.Change(`snowflake_table.COLUMN_ADDED.PUBLIC.ORDERS`); c == nil || c.Action != plan.Update {
			t.Fatalf("ORDERS: %+v", c)
		}
		goldenPlan(t, "column_added", p)
		simulateApply(t, emu, s.m, p) // the ALTER runs on the emulator
		if p := s.mustPlan(); p.Summary.HasChanges() {
			var b bytes.Buffer
			render.Text(&b, p, render.TextOptions{})
			t.Errorf("after applying the ALTER: %s", b.String())
		}
	})
	t.Run("dropped_in_snowflake", func(t *testing.T) {
		s := newScenario(t, emu, sf, "DROPPED")
		s.applied()
		s.snowflake(`DROP TABLE "DROPPED"."PUBLIC"."ORDERS"`)
		p := s.mustPlan()
		if len(p.Drift) != 1 || p.Drift[0].Reasons[0].Code != plan.ReasonDriftDropped {
			t.Fatalf("drift: %+v", p.Drift)
		}
		goldenPlan(t, "dropped_in_snowflake", p)
		ro := s.mustPlan(func(in *planner.Input) { in.RefreshOnly = true })
		if ro.Summary.HasChanges() || len(ro.Drift) != 1 {
			t.Errorf("refresh-only: %s, drift %d", ro.Summary, len(ro.Drift))
		}
		goldenPlan(t, "refresh_only", ro)
	})
	t.Run("new_table", func(t *testing.T) {
		s := newScenario(t, emu, sf, "NEW_TABLE")
		s.applied()
		s.source(`CREATE TABLE "Refunds 2026" (order_id bigint NOT NULL, reason text); INSERT INTO "Refunds 2026" VALUES (1, 'late'), (2, NULL)`)
		goldenPlan(t, "new_table", s.mustPlan())
		tp := s.mustPlan(func(in *planner.Input) { in.Targets = []string{`app.public."Refunds 2026"`} })
		goldenPlan(t, "targeted", tp)
	})
	t.Run("partitioned", func(t *testing.T) {
		s := newScenario(t, emu, sf, "PARTITIONED")
		s.source(`CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO events SELECT g, date '2025-06-01' + g FROM generate_series(1, 400) g;`)
		p := s.mustPlan()
		c := p.Change("load.app.public.events")
		if c == nil || c.Load.EstimatedRows != 400 || c.Load.EstimatedBytes == 0 || p.Change(`snowflake_table.PARTITIONED.PUBLIC.EVENTS_2025`) != nil {
			t.Fatalf("events load: %+v", c)
		}
		var fp plan.Fingerprint
		for _, f := range p.Fingerprints {
			if f.Table.Table == "events" {
				fp = f
			}
		}
		if fp.TupInserted != 400 {
			t.Errorf("events fingerprint: %+v (partition counters not summed)", fp)
		}
		s.applied()
		s.source(`INSERT INTO events_2026 VALUES (1000, '2026-03-01')`)
		if c := s.mustPlan().Change("load.app.public.events"); c == nil || c.Action != plan.Reload || c.Reasons[0].Code != plan.ReasonSourceRows {
			t.Errorf("after an insert into a partition: %+v", c)
		}
		// A partition truncated: the parent's relfilenode (the sum of its
		// partitions') moves, although no counter does.
		s.applied()
		s.source(`TRUNCATE events_2025`)
		if c := s.mustPlan().Change("load.app.public.events"); c == nil || c.Action != plan.Reload || c.Reasons[0].Code != plan.ReasonSourceRewritten {
			t.Errorf("after a partition was truncated: %+v", c)
		}
	})
	// A table rewritten in the source: TRUNCATE moves no pg_stat counter
	// (the profile's count notices too); VACUUM FULL moves neither, only
	// the relfilenode tells.
	t.Run("rewritten", func(t *testing.T) {
		s := newScenario(t, emu, sf, "REWRITTEN")
		s.applied()
		s.source(`TRUNCATE orders`)
		c := s.mustPlan().Change("load.app.public.orders")
		if got := reasonCodes(c); got != "source_rewritten,source_rows_changed" {
			t.Errorf("after TRUNCATE orders: %s (%+v)", got, c)
		}
		s.applied()
		s.source(`VACUUM FULL customers`)
		p := s.mustPlan()
		if got := reasonCodes(p.Change("load.app.public.customers")); got != "source_rewritten" {
			t.Errorf("after VACUUM FULL customers: %s", got)
		}
		if got := p.Summary.String(); !strings.Contains(got, "0 to add, 0 to change, 0 to destroy; 1 table to load") {
			t.Errorf("after VACUUM FULL customers: %s", got)
		}
	})
	t.Run("lossy_override", func(t *testing.T) {
		s := newScenario(t, emu, sf, "LOSSY")
		s.applied()
		s.hcl = `
table "app.public.orders" {
  column "amount" {
    type = "FLOAT"
  }
}
`
		_, err := s.plan()
		var te *typemap.Error
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "public.orders.amount") || !strings.Contains(err.Error(), "allow_lossy") {
			t.Fatalf("lossy override without allow_lossy: %v", err)
		}
		s.hcl = strings.Replace(s.hcl, `type = "FLOAT"`, "type        = \"FLOAT\"\n    allow_lossy = true", 1)
		p := s.mustPlan()
		if c := p.Change(`snowflake_table.LOSSY.PUBLIC.ORDERS`); c == nil || c.Action != plan.Replace {
			t.Fatalf("ORDERS: %+v", c)
		}
		goldenPlan(t, "lossy_override", p)
	})
}

// reasonCodes is c's action and reason codes, "reload: a,b".
func reasonCodes(c *plan.Change) string {
	if c == nil {
		return "no change"
	}
	var codes []string
	for _, r := range c.Reasons {
		codes = append(codes, r.Code)
	}
	if c.Action != plan.Reload {
		return string(c.Action) + ": " + strings.Join(codes, ",")
	}
	return strings.Join(codes, ",")
}
