package command

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state/local"
)

// TestApplyParquet migrates the all-types fixture and Chinook with
// format = "parquet", once per page codec, and compares every value of
// every table with the source exactly as TestApplyAllTypes does for CSV
// (the CSV extraction expression is the truth both formats must load).
// Then the state must list only Parquet files and verify must pass.
func TestApplyParquet(t *testing.T) {
	script, err := os.ReadFile("../../../../providers/postgres/testdata/alltypes.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, codec := range []string{"zstd", "snappy"} {
		t.Run(codec, func(t *testing.T) {
			settings := fmt.Sprintf("settings {\n  format      = \"parquet\"\n  compression = %q\n}\n", codec) + allTypesOverrides
			ch := newChinook(t, sfemu.Faults{}, settings)
			ctx := context.Background()
			if err := pgtest.ExecScript(ctx, ch.srcDSN, string(script)); err != nil {
				t.Fatal(err)
			}
			code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "3")
			if code != 0 {
				t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
			}
			noSecrets(t, out+errs, ".")
			compareMapped(t, ch)

			st, err := local.New(lang.DefaultStatePath).Read(ctx)
			if err != nil || st == nil {
				t.Fatalf("state: %v", err)
			}
			files := 0
			for addr, l := range st.Loads {
				for _, f := range l.Files {
					files++
					if !strings.HasSuffix(f.Name, ".parquet") {
						t.Errorf("%s: staged %s, want a .parquet file", addr, f.Name)
					}
				}
			}
			if files < 20 {
				t.Errorf("the state lists %d files; want one per table at least", files)
			}
			if code, out, errs := pgsnow("verify"); code != ExitOK {
				t.Errorf("verify after a Parquet apply: exit %d\n%s\n%s", code, out, errs)
			}
		})
	}
}

// compareMapped compares every table of the mapping apply used (computed
// again from the spec and the source) value by value, with the canonical
// helpers of TestApplyAllTypes (extractedRows, snowflakeRows).
func compareMapped(t *testing.T, ch *chinook) {
	t.Helper()
	ctx := context.Background()
	spec, _, diags := lang.LoadDir(".")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	src, err := planSource(ctx, spec, spec.Sources[0], io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	res, err := planner.Plan(ctx, planner.Input{Spec: spec, Sources: []planner.Source{src}, Target: targetRef(spec), Now: time.Now(), Version: Version})
	if err != nil {
		t.Fatal(err)
	}
	pg, err := pgx.Connect(ctx, ch.srcDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	for _, s := range typemap.ExtractSession {
		if _, err := pg.Exec(ctx, fmt.Sprintf("SET %s = '%s'", s.Name, s.Value)); err != nil {
			t.Fatal(err)
		}
	}
	sf := ch.snowflake(t, spec.Target.Database)
	tables, rows, native := 0, 0, 0
	for _, s := range res.Model.Schemas {
		for _, tb := range s.Tables {
			want := extractedRows(t, pg, tb)
			got := snowflakeRows(t, sf, spec.Target.Database, tb)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s.%s: values differ (-source +snowflake):\n%s", tb.SourceName.Schema, tb.SourceName.Name, diff)
			}
			tables++
			rows += len(want)
			for _, d := range tb.Columns {
				if d.ParquetNative() {
					native++
				}
			}
		}
	}
	t.Logf("compared %d tables, %d rows; %d columns written in native Parquet types", tables, rows, native)
	if tables < 20 || rows < 15000 || native < 10 {
		t.Errorf("compared %d tables, %d rows, %d native columns; want the fixture's and Chinook's", tables, rows, native)
	}
}
