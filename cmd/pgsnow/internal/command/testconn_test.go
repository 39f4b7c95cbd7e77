package command

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// TestTestConnections checks every connection of the spec against a real
// PostgreSQL and the emulator: all pass, then a wrong Snowflake password and
// a missing schema each fail the command without printing a secret.
func TestTestConnections(t *testing.T) {
	srcDSN := pgtest.NewDatabase(t)
	host, port, _ := emuWorkspace(t, srcDSN)
	write := func(extra string) {
		t.Helper()
		if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, host, port, extra), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("")

	code, out, errs := pgsnow("test-connections")
	if code != ExitOK {
		t.Fatalf("test-connections: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"ok    source app", "ok    target emu", "logged in as LOADER", "ok    state  local", "readable, empty"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = pgsnow("test-connections", "-json")
	var res struct {
		FormatVersion string `json:"format_version"`
		OK            bool   `json:"ok"`
		Checks        []connCheck
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != ExitOK || !res.OK || len(res.Checks) != 3 {
		t.Fatalf("test-connections -json: exit %d, err %v, result %+v", code, err, res)
	}

	t.Setenv("PGSNOW_TEST_SF_PASSWORD", "wrong-"+testSFPassword)
	write(`
source "postgres" "other" {
  dsn     = env("PGSNOW_TEST_SOURCE_DSN")
  schemas = ["public", "billing"]
}
`)
	code, out, errs = pgsnow("test-connections")
	if code != ExitError {
		t.Fatalf("with a wrong password and a missing schema: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"ok    source app", "FAIL  source other", `schema(s) ["billing"] not found`, "FAIL  target emu", "2 of 4 connection checks failed"} {
		if !strings.Contains(out+errs, want) {
			t.Errorf("output lacks %q:\n%s\n%s", want, out, errs)
		}
	}
	if strings.Contains(out+errs, testSFPassword) {
		t.Errorf("a password is in the output:\n%s\n%s", out, errs)
	}
}
