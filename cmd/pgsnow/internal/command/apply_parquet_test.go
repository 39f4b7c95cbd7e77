package command

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state/local"
)

// parquetEdgesSQL has the values a native Parquet field could change:
// timestamps before 1970 and after 2262 (nanoseconds overflow int64 there),
// years 1 and 9999, old time zone offsets, the last microsecond of a day,
// float specials and extremes, and one-column tables with NULL and ”.
const parquetEdgesSQL = `
CREATE TABLE pq_edges (id int PRIMARY KEY, ts timestamp, tz timestamptz, t time, d date, f float8, r real,
  n numeric(38,10), b bytea, u uuid, j jsonb, a int[], s text, ok bool);
INSERT INTO pq_edges VALUES
 (1, '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', '00:00:00', '0001-01-01', 'NaN', 'NaN', -9999999999999999999999999999.9999999999,
  '\x', '00000000-0000-0000-0000-000000000000', '{"a": [1, 2.5, null], "é": "\u00e9"}', '{1,NULL,3}', '', false),
 (2, '1969-12-31 23:59:59.999999', '1850-06-01 12:00:00+05:53:28', '23:59:59.999999', '1969-12-31', 'Infinity', 'Infinity',
  0.0000000001, '\x00ff5c0a', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]', '{}', E'\\N', true),
 (3, '2262-04-11 23:47:16.854776', '2262-04-12 00:00:00+00', '12:00:00.5', '2262-04-12', '-Infinity', '-Infinity', 1, '\x5c4e', NULL,
  'null', NULL, E'a "quoted", back\\slash\nnew line', NULL),
 (4, '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59.999999+00', NULL, '9999-12-31', -0.0, 3.4028235e38, NULL, NULL, NULL,
  '{"n": 123456789012345}', '{-2147483648}', NULL, NULL),
 (5, NULL, NULL, NULL, NULL, 5e-324, 1.17549435e-38, NULL, NULL, NULL, NULL, NULL, 'x', NULL),
 (6, '1900-02-28 01:02:03.000001', '1969-07-20 20:17:40-04', '01:02:03.000004', '1900-03-01', 1.7976931348623157e308, 0.1, NULL, NULL, NULL, '"s"', NULL, ' ', NULL);
CREATE TABLE pq_one_text (v text);
INSERT INTO pq_one_text VALUES (NULL), (''), ('\N');
CREATE TABLE pq_one_ts (v timestamptz);
INSERT INTO pq_one_ts VALUES (NULL), ('2000-01-01 00:00:00+00');
`

// TestApplyParquet migrates the all-types fixture, Chinook and
// parquetEdgesSQL with
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
			if err := pgtest.ExecScript(ctx, ch.srcDSN, string(script)+parquetEdgesSQL); err != nil {
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

			// The source changes: the changed tables are reloaded through
			// staging tables, with the same transformation (compareMapped
			// fails if they are not).
			if err := pgtest.ExecScript(ctx, ch.srcDSN, `UPDATE pq_edges SET s = 'changed', tz = '2000-01-01 00:00:00+14' WHERE id = 1;
INSERT INTO pq_one_text VALUES ('new'); INSERT INTO genre VALUES (26, 'Séga');`); err != nil {
				t.Fatal(err)
			}
			waitStats(t, ch.srcDSN)
			if code, out, errs := pgsnow("apply", "-auto-approve"); code != 0 {
				t.Fatalf("second apply: exit %d\n%s\n%s", code, out, errs)
			}
			compareMapped(t, ch)
		})
	}
}

// compareMapped compares every table of the mapping apply used (computed
// again from the spec and the source) value by value, with the canonical
// helpers of TestApplyAllTypes (extractedRows, snowflakeRows).
func compareMapped(t *testing.T, ch *chinook) {
	t.Helper()
	spec, model := remapped(t)
	pg := extractSession(t, ch.srcDSN)
	defer pg.Close(context.Background())
	sf := ch.snowflake(t, spec.Target.Database)
	tables, rows, native := 0, 0, 0
	for _, s := range model.Schemas {
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
	if tables < 23 || rows < 15000 || native < 10 {
		t.Errorf("compared %d tables, %d rows, %d native columns; want the fixture's and Chinook's", tables, rows, native)
	}
}
