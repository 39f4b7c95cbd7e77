package command

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// TestPlanAfterApplyChinook is issue 6's acceptance test: the second plan
// right after a successful apply of Chinook on the emulator reports no
// changes (-detailed-exitcode exits 0).
func TestPlanAfterApplyChinook(t *testing.T) {
	srcDSN := pgtest.NewDatabase(t)
	if err := pgtest.LoadChinook(context.Background(), srcDSN); err != nil {
		t.Fatal(err)
	}
	waitStats(t, srcDSN)
	host, port, _ := emuWorkspace(t, srcDSN)
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, host, port, ""), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := pgsnow("plan", "-detailed-exitcode", "-out", "chinook.plan")
	if code != ExitChanges || !strings.Contains(out, "Plan: 16 to add, 0 to change, 0 to destroy; 11 tables to load") {
		t.Fatalf("first plan: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := pgsnow("apply", "-auto-approve", "chinook.plan"); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = pgsnow("plan", "-detailed-exitcode")
	if code != ExitOK || !strings.Contains(out, "No changes. Snowflake matches the source and the state.") {
		t.Fatalf("plan after apply: exit %d\n%s\n%s", code, out, errs)
	}
	t.Logf("second plan (exit %d):\n%s%s", code, out, errs)

	// A column added in the source: altered in place and reloaded, then
	// nothing to do again. The same after a table dropped in Snowflake.
	if err := pgtest.ExecScript(context.Background(), srcDSN, `ALTER TABLE artist ADD COLUMN country varchar(40)`); err != nil {
		t.Fatal(err)
	}
	waitStats(t, srcDSN)
	sfExec(t, host, port, `DROP TABLE "ANALYTICS"."PUBLIC"."GENRE"`)
	code, out, errs = pgsnow("plan", "-detailed-exitcode")
	if code != ExitChanges || !strings.Contains(out, "Plan: 1 to add, 1 to change, 0 to destroy; 2 tables to load") {
		t.Fatalf("plan after the changes: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := pgsnow("apply", "-auto-approve"); code != 0 {
		t.Fatalf("second apply: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := pgsnow("plan", "-detailed-exitcode"); code != ExitOK {
		t.Fatalf("plan after the second apply: exit %d\n%s\n%s", code, out, errs)
	}
}
