package command

import (
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// TestApplyServerSideEncryptedStage: stage_encryption = "snowflake_sse"
// plans its own stage with ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE'), the
// files go up without client-side encryption (the emulator refuses an
// encrypted upload to such a stage) and every value arrives; switching
// back plans the default stage and nothing else.
func TestApplyServerSideEncryptedStage(t *testing.T) {
	ch := newChinook(t, sfemu.Faults{}, "settings {\n  stage_encryption = \"snowflake_sse\"\n}\n")
	code, out, errs := pgsnow("plan", "-out", "sse.plan")
	if code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	p := readPlan(t, "sse.plan")
	stage := p.Change(plan.Address(plan.KindStage, p.Target.Database, "PGSNOW", "PGSNOW_STAGE_SSE"))
	if stage == nil || !strings.Contains(strings.Join(stage.DDL, "\n"), "ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE')") {
		t.Fatalf("the plan has no SNOWFLAKE_SSE stage: %+v", stage)
	}
	code, out, errs = pgsnow("apply", "-parallelism", "2", "sse.plan")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	if n := ch.compare(t, p); n == 0 {
		t.Fatal("no rows compared")
	}

	ch.restart(t, sfemu.Faults{}, "")
	code, out, errs = pgsnow("plan", "-out", "full.plan")
	if code != 0 {
		t.Fatalf("plan back to snowflake_full: exit %d\n%s\n%s", code, out, errs)
	}
	var changes []string
	for _, c := range readPlan(t, "full.plan").Changes {
		if c.Action == plan.NoOp {
			continue
		}
		changes = append(changes, string(c.Action)+" "+c.Address)
	}
	want := string(plan.Create) + " " + plan.Address(plan.KindStage, p.Target.Database, "PGSNOW", "PGSNOW_STAGE")
	if len(changes) != 1 || changes[0] != want {
		t.Errorf("changes after switching back = %q, want only %q", changes, want)
	}
}
