package command

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// TestPlanRefusesValuesSnowflakeCannotHold: a NaN numeric and an infinite
// date make 'pgsnow plan' exit 1 naming schema.table.column, the value
// class and the override that fixes it; with those overrides the plan
// goes through.
func TestPlanRefusesValuesSnowflakeCannotHold(t *testing.T) {
	srcDSN := pgtest.NewDatabase(t)
	if err := pgtest.ExecScript(context.Background(), srcDSN, `
CREATE TABLE measures (id int PRIMARY KEY, amount numeric, happened date);
INSERT INTO measures VALUES (1, 1.5, '2024-01-01'), (2, 'NaN', 'infinity'), (3, NULL, NULL);`); err != nil {
		t.Fatal(err)
	}
	host, port, _ := emuWorkspace(t, srcDSN)
	write := func(extra string) {
		t.Helper()
		if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, host, port, extra), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	write("")
	code, out, errs := pgsnow("plan", "-detailed-exitcode")
	if code != ExitError {
		t.Fatalf("plan: exit %d, want 1\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"public.measures.amount", "1 NaN", "public.measures.happened", "infinite", `column "amount"`, `type = "VARCHAR"`} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("plan output lacks %q:\n%s\n%s", want, out, errs)
		}
	}

	t.Logf("refused plan:\n%s%s", out, errs)

	write(`
table "app.public.measures" {
  column "amount" {
    type = "VARCHAR"
  }
  column "happened" {
    type = "VARCHAR"
  }
}
`)
	if code, out, errs := pgsnow("plan", "-detailed-exitcode"); code != ExitChanges {
		t.Fatalf("plan with the suggested overrides: exit %d, want 2\n%s\n%s", code, out, errs)
	}
}
