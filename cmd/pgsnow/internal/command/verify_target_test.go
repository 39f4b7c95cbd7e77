package command

import (
	"context"
	"encoding/json"
	"path"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/verify"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// TestVerifyTargetReadsOnlyTargets: 'verify -target' scans only the
// tables it names (pg_stat_user_tables.seq_scan moves for them alone), and
// a table it does not name, whose mapping is refused, does not stop it.
func TestVerifyTargetReadsOnlyTargets(t *testing.T) {
	ctx := context.Background()
	ch := newChinook(t, sfemu.Faults{}, "")
	waitStats(t, ch.srcDSN)
	if code, out, errs := pgsnow("apply", "-auto-approve"); code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	waitStats(t, ch.srcDSN)
	before := seqScans(t, ch.srcDSN)
	code, out, errs := pgsnow("verify", "-json", "-target", "app.public.album", "-target", "app.public.genre")
	if code != ExitOK {
		t.Fatalf("verify -target: exit %d\n%s\n%s", code, out, errs)
	}
	var res verify.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("verify -json: %v\n%s", err, out)
	}
	if want := (verify.Summary{Tables: 2, Matched: 2}); res.Summary != want {
		t.Errorf("summary %+v, want %+v", res.Summary, want)
	}
	if !strings.Contains(errs, "Profiling 2 table(s)") {
		t.Errorf("verify -target does not profile exactly the 2 targets:\n%s", errs)
	}
	waitStats(t, ch.srcDSN)
	after := seqScans(t, ch.srcDSN)
	read := map[string]bool{}
	for table, n := range after {
		if n != before[table] {
			read[table] = true
		}
	}
	if d := cmp.Diff(map[string]bool{"album": true, "genre": true}, read); d != "" {
		t.Errorf("tables scanned by verify -target (-want +got):\n%s\nbefore %v\nafter  %v", d, before, after)
	}
	for _, table := range []string{"album", "genre"} {
		if got := after[table] - before[table]; got != 2 {
			t.Errorf("%s scanned %d times, want 2 (profile, verify)", table, got)
		}
	}

	// NaN in a numeric without precision: the mapping refuses the table,
	// which fails a verify of every table but not one of album.
	if err := pgtest.ExecScript(ctx, ch.srcDSN, `CREATE TABLE odd (x numeric); INSERT INTO odd VALUES ('NaN')`); err != nil {
		t.Fatal(err)
	}
	waitStats(t, ch.srcDSN)
	if code, out, errs := pgsnow("verify"); code != ExitError || !strings.Contains(errs, "public.odd.x") {
		t.Errorf("verify of every table: exit %d, want %d and the refused odd.x\n%s\n%s", code, ExitError, out, errs)
	}
	if code, out, errs := pgsnow("verify", "-target", "app.public.album"); code != ExitOK || !strings.Contains(out, "1 table(s): 1 matched") {
		t.Errorf("verify -target app.public.album beside a refused table: exit %d\n%s\n%s", code, out, errs)
	}
}

// seqScans is pg_stat_user_tables.seq_scan of every table in public.
func seqScans(t *testing.T, dsn string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT relname, seq_scan FROM pg_stat_user_tables WHERE schemaname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for rows.Next() {
		var name string
		var n int64
		if err := rows.Scan(&name, &n); err != nil {
			t.Fatal(err)
		}
		out[name] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) < 11 {
		t.Fatalf("pg_stat_user_tables lists %d tables: %v", len(out), out)
	}
	return out
}

// TestVerifyScope: which tables of a source a -target list keeps.
func TestVerifyScope(t *testing.T) {
	src := &lang.Source{Name: "app", Schemas: []string{"public", "sales"}, ExcludeTables: []string{"public.secret"}}
	tests := []struct {
		name    string
		targets []string
		want    []string // IncludeTables; nil with ok false
		ok      bool
	}{
		{"no target: whole source", nil, nil, true},
		{"two tables", []string{"app.public.album", "app.sales.orders"}, []string{"public.album", "sales.orders"}, true},
		{"quoted and glob characters", []string{`app.public."Order ""Lines"""`, `app.public."a*b?[c]"`}, []string{`public.Order "Lines"`, `public.a\*b\?\[c]`}, true},
		{"unquoted name with a space", []string{"app.public.Order Lines"}, []string{"public.Order Lines"}, true},
		{"another source only", []string{"crm.public.album"}, nil, false},
		{"excluded by the spec", []string{"app.public.secret"}, nil, false},
		{"schema the spec does not read", []string{"app.other.t"}, nil, false},
		{"unquoted dotted name: whole source", []string{"app.public.odd.name"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := verifyScope(src, tt.targets)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if d := cmp.Diff(tt.want, got.IncludeTables); d != "" {
				t.Errorf("IncludeTables (-want +got):\n%s", d)
			}
			if got.Name != src.Name || !cmp.Equal(got.Schemas, src.Schemas) || !cmp.Equal(got.ExcludeTables, src.ExcludeTables) {
				t.Errorf("the rest of the source changed: %+v", got)
			}
		})
	}
	if src.IncludeTables != nil {
		t.Errorf("verifyScope changed the spec's source: %v", src.IncludeTables)
	}
	// Each pattern matches its own name and nothing else.
	for _, name := range []string{`public.a*b?[c]`, `public.back\slash`, "public.plain"} {
		g := globLiteral(name)
		if ok, err := path.Match(g, name); !ok || err != nil {
			t.Errorf("%q does not match %q (%v)", g, name, err)
		}
		if ok, _ := path.Match(g, name+"x"); ok {
			t.Errorf("%q matches %q", g, name+"x")
		}
	}
	if ok, _ := path.Match(globLiteral("public.a*"), "public.abc"); ok {
		t.Error("a * in a name works as a wildcard")
	}
}
