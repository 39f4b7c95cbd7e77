package command

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/planner/verify"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// measureSQL adds a table whose floats and JSON are compared by
// aggregates, not the fingerprint: NaN, ±Infinity, NULL, a real.
const measureSQL = `
CREATE TABLE measure (id int PRIMARY KEY, x double precision, r real, doc jsonb);
INSERT INTO measure VALUES
  (1, 0.1, 1.1, '{"a": 1}'), (2, -2.5e300, 3.4e38, '[1, 2]'), (3, 'NaN', 'NaN', NULL),
  (4, 'Infinity', '-Infinity', '"s"'), (5, NULL, NULL, NULL), (6, 1e-300, -0.000001, '{}');
`

// verifyWhere migrates part of invoice: verify must count the same part.
const verifyWhere = `
table "app.public.invoice" {
  where = "total > 5"
}
`

// TestVerifyChinook loads Chinook (and measure) into the emulator with
// plan and apply, then verifies: every table matches; after a value is
// changed, a row deleted and a float changed in Snowflake behind pgsnow's
// back, verify exits 1 naming each table and the failed check.
func TestVerifyChinook(t *testing.T) {
	ctx := context.Background()
	srcDSN := pgtest.NewDatabase(t)
	if err := pgtest.LoadChinook(ctx, srcDSN); err != nil {
		t.Fatal(err)
	}
	if err := pgtest.ExecScript(ctx, srcDSN, measureSQL); err != nil {
		t.Fatal(err)
	}
	waitStats(t, srcDSN)
	host, port, dir := emuWorkspace(t, srcDSN)
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, host, port, verifyWhere), 0o644); err != nil {
		t.Fatal(err)
	}

	// Before apply: nothing to verify.
	if code, out, errs := pgsnow("verify"); code != ExitError || !strings.Contains(errs, "nothing was applied") {
		t.Fatalf("verify before apply: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := pgsnow("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}

	code, out, errs := pgsnow("verify", "-json")
	if code != ExitOK {
		t.Fatalf("verify after apply: exit %d\n%s\n%s", code, out, errs)
	}
	var res verify.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("verify -json: %v\n%s", err, out)
	}
	if want := (verify.Summary{Tables: 12, Matched: 12}); res.Summary != want || res.FormatVersion != "1" {
		t.Errorf("summary %+v (format %q), want %+v", res.Summary, res.FormatVersion, want)
	}
	for _, tb := range res.Tables {
		if tb.Postgres == nil || tb.Postgres.Rows == 0 || tb.Postgres.Fingerprint == "0" {
			t.Errorf("%s: no rows or no fingerprint: %+v", tb.Source, tb.Postgres)
		}
	}
	if inv := findTable(t, &res, "app.public.invoice"); inv.Where != "total > 5" || inv.Postgres.Rows >= 412 || inv.Postgres.Rows != inv.Snowflake.Rows {
		t.Errorf("invoice with a where clause: %+v, %+v, %+v", inv, inv.Postgres, inv.Snowflake)
	}
	measure := findTable(t, &res, "app.public.measure")
	if n := len(measure.Postgres.Columns); n != 3 {
		t.Errorf("measure compares %d columns by aggregates, want 3 (x, r, doc): %+v", n, measure.Postgres.Columns)
	}
	mj, _ := json.Marshal(measure)
	t.Logf("measure: %s", mj)
	file := resultsPath(t, errs)
	if b, err := os.ReadFile(file); err != nil || string(b) != out {
		t.Errorf("%s differs from the -json output (%v)", file, err)
	}
	noSecrets(t, out+errs, dir)

	// Changes in Snowflake that pgsnow did not make.
	sfExec(t, host, port, `UPDATE "ANALYTICS"."PUBLIC"."ARTIST" SET "NAME" = 'Someone else' WHERE "ARTIST_ID" = 1`)
	sfExec(t, host, port, `DELETE FROM "ANALYTICS"."PUBLIC"."GENRE" WHERE "GENRE_ID" = 25`)
	sfExec(t, host, port, `UPDATE "ANALYTICS"."PUBLIC"."MEASURE" SET "X" = -3e300 WHERE "ID" = 2`)
	code, out, errs = pgsnow("verify")
	if code != ExitError {
		t.Fatalf("verify after changes: exit %d\n%s\n%s", code, out, errs)
	}
	t.Logf("verify after changes (exit %d):\n%s%s", code, out, errs)
	for _, want := range []string{
		"MISMATCH  app.public.artist", "fingerprint: PostgreSQL", "column name fingerprint: PostgreSQL",
		"MISMATCH  app.public.genre", "row count: PostgreSQL 25, Snowflake 24",
		"MISMATCH  app.public.measure", "column x min: PostgreSQL -2.5e+300, Snowflake -3e+300",
		"ok        app.public.album: 347 rows", "ok        app.public.invoice: ",
		"12 table(s): 9 matched, 3 mismatched, 0 not loaded, 0 could not be compared",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q:\n%s", want, out)
		}
	}
	noSecrets(t, out+errs, dir)

	// -target limits the comparison; an unknown table is an error.
	if code, out, errs := pgsnow("verify", "-target", "app.public.album", "-target", "app.public.track"); code != ExitOK || !strings.Contains(out, "2 table(s): 2 matched") {
		t.Errorf("verify -target: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, errs := pgsnow("verify", "-target", "app.public.nope"); code != ExitError || !strings.Contains(errs, "-target app.public.nope: no such table") {
		t.Errorf("verify -target unknown: exit %d\n%s\n%s", code, out, errs)
	}

	// A table added to the source and not loaded yet fails verify.
	if err := pgtest.ExecScript(ctx, srcDSN, `CREATE TABLE extra (id int PRIMARY KEY); INSERT INTO extra VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	waitStats(t, srcDSN)
	code, out, errs = pgsnow("verify", "-target", "app.public.extra")
	if code != ExitError || !strings.Contains(out, "NOT LOADED app.public.extra (never loaded)") {
		t.Errorf("verify of a table never loaded: exit %d\n%s\n%s", code, out, errs)
	}

	// A source column changed since the load: the checks made from the
	// new mapping do not apply to the loaded table.
	if err := pgtest.ExecScript(ctx, srcDSN, `ALTER TABLE media_type ALTER COLUMN name TYPE varchar(200)`); err != nil {
		t.Fatal(err)
	}
	waitStats(t, srcDSN)
	code, out, errs = pgsnow("verify", "-target", "app.public.media_type")
	if code != ExitError || !strings.Contains(out, `ERROR     app.public.media_type: the mapping changed since the load (created as MEDIA_TYPE_ID NUMBER(10,0), NAME VARCHAR(120), mapped now as MEDIA_TYPE_ID NUMBER(10,0), NAME VARCHAR(200))`) {
		t.Errorf("verify after a source column changed: exit %d\n%s\n%s", code, out, errs)
	}

	// A refused Snowflake login ends verify; the error does not repeat
	// the password.
	t.Setenv("PGSNOW_TEST_SF_PASSWORD", "wrong-pass-5b4c3a")
	code, out, errs = pgsnow("verify")
	if code != ExitError || strings.Contains(out+errs, "wrong-pass-5b4c3a") || !strings.Contains(errs, "Error: ") {
		t.Errorf("verify with a wrong password: exit %d\n%s\n%s", code, out, errs)
	}
	t.Logf("wrong password: %s", errs)
}

func findTable(t *testing.T, r *verify.Result, source string) verify.Table {
	t.Helper()
	for _, tb := range r.Tables {
		if tb.Source == source {
			return tb
		}
	}
	t.Fatalf("no table %s in the result", source)
	return verify.Table{}
}

// resultsPath is the file verify names on stderr.
func resultsPath(t *testing.T, errs string) string {
	t.Helper()
	for _, l := range strings.Split(errs, "\n") {
		if p, ok := strings.CutPrefix(l, "Results: "); ok {
			if filepath.Base(p) != ResultsFile {
				t.Errorf("results file %s", p)
			}
			return p
		}
	}
	t.Fatalf("verify printed no results path:\n%s", errs)
	return ""
}
