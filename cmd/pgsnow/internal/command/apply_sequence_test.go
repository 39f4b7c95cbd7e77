package command

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

// seqSQL is a source with a serial column, an identity column (stepping
// by 2) and a sequence two tables share, one of which holds an id set by
// hand far above the sequence.
const seqSQL = `
CREATE TABLE items (id serial PRIMARY KEY, name text);
CREATE TABLE events (id bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY 2) PRIMARY KEY, what text);
CREATE SEQUENCE shared_seq;
CREATE TABLE lefts (id bigint PRIMARY KEY DEFAULT nextval('shared_seq'), v text);
CREATE TABLE rights (id bigint PRIMARY KEY DEFAULT nextval('shared_seq'), v text);
INSERT INTO items (name) SELECT 'item ' || g FROM generate_series(1, 30) g;
INSERT INTO events (what) SELECT 'event ' || g FROM generate_series(1, 20) g;
INSERT INTO lefts (v) SELECT 'l' FROM generate_series(1, 10) g;
INSERT INTO rights (v) SELECT 'r' FROM generate_series(1, 10) g;
INSERT INTO rights VALUES (5000, 'by hand');
`

// seqUse is a Snowflake table, its ID column's sequence and the source
// sequence that one continues.
type seqUse struct{ table, column, seq, source string }

var seqUses = []seqUse{
	{"ITEMS", "NAME", "ITEMS_ID_SEQ", "items_id_seq"},
	{"EVENTS", "WHAT", "EVENTS_ID_SEQ", "events_id_seq"},
	{"LEFTS", "V", "SHARED_SEQ", "shared_seq"},
	{"RIGHTS", "V", "SHARED_SEQ", "shared_seq"},
}

type seqWorld struct {
	src string
	sf  *sql.DB
	pg  *pgx.Conn
}

func newSeqWorld(t *testing.T) *seqWorld {
	t.Helper()
	ctx := context.Background()
	src := pgtest.NewDatabase(t)
	if err := pgtest.ExecScript(ctx, src, seqSQL); err != nil {
		t.Fatal(err)
	}
	waitStats(t, src)
	host, port, _ := emuWorkspace(t, src)
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, host, port, ""), 0o644); err != nil {
		t.Fatal(err)
	}
	sf, err := snowflake.Open(ctx, snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: host, Port: port, Protocol: "http",
		LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: testSFPassword}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sf.Close() })
	pg, err := pgx.Connect(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close(context.Background()) })
	return &seqWorld{src: src, sf: sf, pg: pg}
}

// advance hands out values of the source sequences without touching any
// table (so the plan's fingerprints stay valid).
func (w *seqWorld) advance(t *testing.T, n int) {
	t.Helper()
	for _, s := range []string{"items_id_seq", "events_id_seq", "shared_seq"} {
		if _, err := w.pg.Exec(context.Background(), `SELECT nextval($1) FROM generate_series(1, $2)`, s, n); err != nil {
			t.Fatal(err)
		}
	}
}

// sourceNext is the value the source sequence would hand out next.
func (w *seqWorld) sourceNext(t *testing.T, seq string) int64 {
	t.Helper()
	var last, inc int64
	var called bool
	err := w.pg.QueryRow(context.Background(), `SELECT s.last_value, s.is_called, p.seqincrement FROM `+pgx.Identifier{seq}.Sanitize()+` s,
		pg_sequence p WHERE p.seqrelid = $1::regclass`, seq).Scan(&last, &called, &inc)
	if err != nil {
		t.Fatal(err)
	}
	if called {
		return last + inc
	}
	return last
}

func (w *seqWorld) int(t *testing.T, q string) int64 {
	t.Helper()
	var n int64
	if err := w.sf.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// check asserts, for every table, that the sequence's NEXTVAL and an
// INSERT using the column default both give a value above every loaded id
// and, for the sequences of the tables the last apply loaded, at least the
// source's next value. (A table whose load was a no-op keeps its sequence:
// values the source handed out since are in no row.) The inserted row is
// removed again.
func (w *seqWorld) check(t *testing.T, when string, loaded ...string) {
	t.Helper()
	fed := map[string]bool{}
	for _, u := range seqUses {
		for _, l := range loaded {
			if u.table == l {
				fed[u.seq] = true
			}
		}
	}
	for _, u := range seqUses {
		tbl := `"ANALYTICS"."PUBLIC"."` + u.table + `"`
		maxID := w.int(t, `SELECT MAX("ID") FROM `+tbl)
		var srcNext int64 // no bound
		if fed[u.seq] {
			srcNext = w.sourceNext(t, u.source)
		}
		next := w.int(t, `SELECT "ANALYTICS"."PUBLIC"."`+u.seq+`".NEXTVAL`)
		if next <= maxID || next < srcNext {
			t.Errorf("%s: %s.NEXTVAL = %d; the table's max id is %d, the source's next value %d", when, u.seq, next, maxID, srcNext)
		}
		if _, err := w.sf.Exec(`INSERT INTO ` + tbl + ` ("` + u.column + `") VALUES ('new row')`); err != nil {
			t.Errorf("%s: INSERT into %s using the default: %v", when, u.table, err)
			continue
		}
		id := w.int(t, `SELECT "ID" FROM `+tbl+` WHERE "`+u.column+`" = 'new row'`)
		if id <= maxID || id < srcNext {
			t.Errorf("%s: the default of %s.ID gave %d; the table's max id is %d, the source's next value %d", when, u.table, id, maxID, srcNext)
		}
		if _, err := w.sf.Exec(`DELETE FROM ` + tbl + ` WHERE "` + u.column + `" = 'new row'`); err != nil {
			t.Fatal(err)
		}
	}
}

// TestApplySequences: the source sequences move on between plan and
// apply; after applying the saved plan every Snowflake sequence (serial,
// identity, shared) continues beyond the loaded ids and the source. Then
// rows are added in the source and the reload (a staging table swapped in)
// sets the sequences again.
func TestApplySequences(t *testing.T) {
	w := newSeqWorld(t)
	code, out, errs := pgsnow("plan", "-out", "seq.plan")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	p := readPlan(t, "seq.plan")
	var starts []string
	for _, c := range p.Changes {
		if c.Kind == plan.KindSequence {
			starts = append(starts, strings.Join(c.DDL, ";"))
		}
	}
	if len(starts) != 3 || !strings.Contains(strings.Join(starts, "\n"), `"ITEMS_ID_SEQ" START = 31 INCREMENT = 1`) {
		t.Fatalf("the plan's sequences:\n%s", strings.Join(starts, "\n"))
	}
	w.advance(t, 25) // items_id_seq is now at 55: the plan's START = 31 is stale
	code, out, errs = pgsnow("apply", "seq.plan")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	if got := w.sourceNext(t, "items_id_seq"); got != 56 {
		t.Fatalf("source items_id_seq next = %d, want 56", got)
	}
	w.check(t, "after apply", "ITEMS", "EVENTS", "LEFTS", "RIGHTS")
	if next := w.int(t, `SELECT "ANALYTICS"."PUBLIC"."SHARED_SEQ".NEXTVAL`); next < 5001 {
		t.Errorf("SHARED_SEQ.NEXTVAL = %d: below RIGHTS' id 5000 + 1", next)
	}

	// The source gets rows: the reloads go through staging tables.
	if err := pgtest.ExecScript(context.Background(), w.src, `
INSERT INTO items (name) SELECT 'more ' || g FROM generate_series(1, 5) g;
INSERT INTO lefts VALUES (9000, 'by hand');`); err != nil {
		t.Fatal(err)
	}
	w.advance(t, 3)
	code, out, errs = pgsnow("apply", "-auto-approve")
	if code != 0 || !strings.Contains(out, "reload") {
		t.Fatalf("apply after the source changed: exit %d\n%s\n%s", code, out, errs)
	}
	w.check(t, "after the reload", "ITEMS", "LEFTS")
	if next := w.int(t, `SELECT "ANALYTICS"."PUBLIC"."SHARED_SEQ".NEXTVAL`); next < 9001 {
		t.Errorf("SHARED_SEQ.NEXTVAL = %d after the reload: below LEFTS' id 9000 + 1", next)
	}
	code, out, errs = pgsnow("apply", "-auto-approve")
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Errorf("third apply: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestApplySequencesResume: a run that replaced a sequence and crashed
// before binding the column default again left the default naming the
// dropped sequence and the load unfinished in the state. The next apply
// resumes the load (nothing is loaded again) and its finalize binds the
// default, so INSERTs work and continue beyond the source.
func TestApplySequencesResume(t *testing.T) {
	w := newSeqWorld(t)
	code, out, errs := pgsnow("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	w.advance(t, 100)
	// What the crashed run did and recorded.
	srcNext := w.sourceNext(t, "items_id_seq")
	if _, err := w.sf.Exec(fmt.Sprintf(`CREATE OR REPLACE SEQUENCE "ANALYTICS"."PUBLIC"."ITEMS_ID_SEQ" START = %d INCREMENT = 1`, srcNext)); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m := local.New(lang.DefaultStatePath)
	st, err := m.Read(ctx)
	if err != nil || st == nil {
		t.Fatalf("state: %v", err)
	}
	addr := plan.Address(plan.KindLoad, "app", "public", "items")
	l := st.Loads[addr]
	if l == nil || l.Status != state.LoadLoaded || len(l.Files) == 0 {
		t.Fatalf("state's %s: %+v", addr, l)
	}
	l.Status, l.FinishedAt = state.LoadLoading, nil
	if err := m.Write(ctx, st); err != nil {
		t.Fatal(err)
	}
	if _, err := w.sf.Exec(`INSERT INTO "ANALYTICS"."PUBLIC"."ITEMS" ("NAME") VALUES ('x')`); err == nil {
		t.Fatal("an INSERT through the default of the replaced sequence worked before the resume")
	}

	code, out, errs = pgsnow("apply", "-auto-approve")
	if code != 0 {
		t.Fatalf("resuming apply: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "resumed") {
		t.Errorf("the second apply did not resume the load's chunks:\n%s", out)
	}
	w.check(t, "after the resume", "ITEMS")
	if st, _ = m.Read(ctx); st == nil || st.Loads[addr] == nil || st.Loads[addr].Status != state.LoadLoaded {
		t.Errorf("state's %s after the resume: %+v", addr, st.Loads[addr])
	}
}
