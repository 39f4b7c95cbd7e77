package command

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/verify"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state/local"
)

// TestPlanSourceTruncated: with profile = false no row is counted, so a
// TRUNCATE of the source (which moves no pg_stat counter) shows only in
// the relfilenode. The plan reloads that table (source_rewritten) and
// nothing else; after apply Snowflake's table is empty and verify passes.
// A state written before pgsnow recorded relfilenodes forces no reload.
func TestPlanSourceTruncated(t *testing.T) {
	ctx := context.Background()
	ch := newChinook(t, sfemu.Faults{}, "settings {\n  profile = false\n}\n")
	waitStats(t, ch.srcDSN)
	if code, out, errs := pgsnow("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	m := local.New(lang.DefaultStatePath)
	st, err := m.Read(ctx)
	if err != nil || st == nil {
		t.Fatalf("state: %v", err)
	}
	if len(st.Loads) != 11 {
		t.Fatalf("state has %d loads, want Chinook's 11", len(st.Loads))
	}
	for addr, l := range st.Loads {
		if f := l.Fingerprint; f == nil || f.Relfilenode == nil || *f.Relfilenode == 0 || f.ExactRows != nil {
			t.Errorf("%s: fingerprint %+v, want a relfilenode and no counted rows", addr, f)
		}
	}
	if code, out, errs := pgsnow("plan", "-detailed-exitcode"); code != ExitOK {
		t.Fatalf("plan after apply: exit %d\n%s\n%s", code, out, errs)
	}

	if err := pgtest.ExecScript(ctx, ch.srcDSN, `TRUNCATE playlist_track`); err != nil {
		t.Fatal(err)
	}
	waitStats(t, ch.srcDSN)
	code, out, errs := pgsnow("plan", "-detailed-exitcode", "-out", "rewrite.plan")
	if code != ExitChanges {
		t.Fatalf("plan after TRUNCATE: exit %d, want %d\n%s\n%s", code, ExitChanges, out, errs)
	}
	t.Logf("plan after TRUNCATE:\n%s", out)
	p := readPlan(t, "rewrite.plan")
	for _, c := range p.Changes {
		if c.Address == "load.app.public.playlist_track" {
			if c.Action != plan.Reload || len(c.Reasons) != 1 || c.Reasons[0].Code != plan.ReasonSourceRewritten ||
				!strings.Contains(c.Reasons[0].Message, "VACUUM FULL or CLUSTER") {
				t.Errorf("%s: %s %+v, want a reload for source_rewritten only", c.Address, c.Action, c.Reasons)
			}
		} else if c.Action != plan.NoOp {
			t.Errorf("%s: %s %+v, want no-op", c.Address, c.Action, c.Reasons)
		}
	}
	if code, out, errs := pgsnow("apply", "rewrite.plan"); code != 0 {
		t.Fatalf("apply rewrite.plan: exit %d\n%s\n%s", code, out, errs)
	}

	var n int
	if err := ch.snowflake(t, "ANALYTICS").QueryRowContext(ctx, `SELECT COUNT(*) FROM "ANALYTICS"."PUBLIC"."PLAYLIST_TRACK"`).Scan(&n); err != nil || n != 0 {
		t.Errorf("Snowflake's PLAYLIST_TRACK has %d rows (%v), want 0", n, err)
	}
	code, out, errs = pgsnow("verify", "-json")
	if code != ExitOK {
		t.Fatalf("verify: exit %d\n%s\n%s", code, out, errs)
	}
	var res verify.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("verify -json: %v\n%s", err, out)
	}
	if pt := findTable(t, &res, "app.public.playlist_track"); pt.Status != "match" || pt.Postgres == nil || pt.Snowflake == nil ||
		pt.Postgres.Rows != 0 || pt.Snowflake.Rows != 0 {
		t.Errorf("verify playlist_track: %+v", pt)
	}
	if want := (verify.Summary{Tables: 11, Matched: 11}); res.Summary != want {
		t.Errorf("verify summary %+v, want %+v", res.Summary, want)
	}
	if code, out, errs := pgsnow("plan", "-detailed-exitcode"); code != ExitOK {
		t.Fatalf("plan after the reload: exit %d\n%s\n%s", code, out, errs)
	}

	// A state from before relfilenodes were recorded: unknown, so the
	// plan reloads nothing for it (the table moved since: VACUUM FULL).
	st, err = m.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range st.Loads {
		l.Fingerprint.Relfilenode = nil
	}
	if err := m.Write(ctx, st); err != nil {
		t.Fatal(err)
	}
	if err := pgtest.ExecScript(ctx, ch.srcDSN, `VACUUM FULL track`); err != nil {
		t.Fatal(err)
	}
	waitStats(t, ch.srcDSN)
	if code, out, errs := pgsnow("plan", "-detailed-exitcode"); code != ExitOK {
		t.Fatalf("plan with an old state: exit %d\n%s\n%s", code, out, errs)
	}
}
