package command

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
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
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: pgtest.NewDatabase(t), StageDir: t.TempDir(),
		Users: []sfemu.User{{Name: "LOADER", Password: testSFPassword}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host, portText, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(portText)
	t.Chdir(t.TempDir())
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", srcDSN)
	t.Setenv("PGSNOW_TEST_SF_PASSWORD", testSFPassword)
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
