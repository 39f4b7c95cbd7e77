package command

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// TestAnalyzeCommand runs 'pgsnow analyze' on Chinook in a real PostgreSQL:
// the summary, the report file and -json; then against a source that is
// not there: a one-line error, exit 1, no password.
func TestAnalyzeCommand(t *testing.T) {
	dsn := pgtest.NewDatabase(t)
	if err := pgtest.LoadChinook(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", dsn)
	t.Setenv("PGSNOW_TEST_SF_PASSWORD", testSFPassword)
	// analyze never connects to the target: a closed port is fine.
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, "127.0.0.1", 1, ""), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errs := pgsnow("analyze", "-out", "report")
	if code != ExitOK {
		t.Fatalf("analyze: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"11 tables", "public.playlist_track", "Report written to report/analysis_report.json"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	var report struct {
		FormatVersion string `json:"format_version"`
	}
	b, err := os.ReadFile(filepath.Join("report", "analysis_report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &report); err != nil || report.FormatVersion != "1" {
		t.Errorf("analysis_report.json: format_version %q, err %v", report.FormatVersion, err)
	}

	code, out, errs = pgsnow("analyze", "-json", "-out", "report2")
	if code != ExitOK || !json.Valid([]byte(out)) {
		t.Fatalf("analyze -json: exit %d, valid JSON %v\n%s", code, json.Valid([]byte(out)), errs)
	}

	// A source that cannot be reached: one line, names the problem, no secret.
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", "postgres://app:"+testSFPassword+"@127.0.0.1:1/app?sslmode=disable")
	code, out, errs = pgsnow("analyze", "-out", "report3")
	if code != ExitError {
		t.Fatalf("analyze against a closed port: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "connection refused") {
		t.Errorf("error does not name the problem:\n%s", errs)
	}
	if strings.Contains(out+errs, testSFPassword) {
		t.Errorf("the password is in the output:\n%s\n%s", out, errs)
	}
}
