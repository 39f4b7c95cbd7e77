package typemap

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const extractFixture = `
SET TimeZone = 'Europe/Paris';
CREATE TABLE x (
    id int PRIMARY KEY, f8 float8, f4 real, m money, ts timestamp, tstz timestamptz, d date,
    t time, b bytea, bp char(5), arr int[], js jsonb, iv interval, n numeric(10,3), bo boolean, tx text, bpx bpchar);
INSERT INTO x VALUES
 (1, 'Infinity', 1.1, 12.34, '2024-02-29 12:34:56.5', '2024-02-29 12:34:56.789012+02', '2024-02-29',
  '12:34:56', '\xdeadbeef', 'ab', '{1,2}', '{"a": [1, "x"]}', '1 year 2 days 00:00:01.5', 1.5, true, 'a"b,c', 'ab  '),
 (2, '-Infinity', 'NaN', -0.01, '0001-01-01 00:00:00', '1900-01-01 00:00:00+00', '0044-03-15 BC',
  '24:00:00', '', '', '[0:1]={7,8}', 'null', '-1 day', -0.001, false, '', ''),
 (3, 'NaN', '-0', NULL, 'infinity', '-infinity', 'infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, 1e300, 3.4e38, 0, '1999-12-31 23:59:59.999999', '2000-01-01 00:00:00.000001+00', '10000-01-01',
  '00:00:00.000001', '\x00', 'abcde', '{{1},{2}}', '"s"', '0', 0, true, E'line\nbreak\\', ' x ');
`

// TestExtractionOnPostgreSQL runs the generated COPY on a real server in
// the documented extraction session and checks every value's text.
func TestExtractionOnPostgreSQL(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	if err := pgtest.ExecScript(ctx, dsn, extractFixture); err != nil {
		t.Fatal(err)
	}
	src, err := postgres.NewSource("main", dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := src.Inspect(ctx, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Profile(ctx, db, postgres.ProfileOptions{}); err != nil {
		t.Fatal(err)
	}
	// The refusals are expected (that is the fixture's point); the model
	// still carries the decisions, whose extraction must never rewrite a
	// value Snowflake would then accept as something else.
	m, _ := Map(db, Options{})
	tb := m.Schemas[0].Tables[0]

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, s := range ExtractSession {
		if _, err := conn.Exec(ctx, "SELECT set_config($1, $2, false)", s.Name, s.Value); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := conn.PgConn().CopyTo(ctx, &buf, tb.CopyQuery("true ORDER BY id")); err != nil {
		t.Fatalf("%v\n%s", err, tb.CopyQuery(""))
	}
	want := strings.Join([]string{
		`1,inf,1.1,12.34,2024-02-29 12:34:56.500000,2024-02-29 10:34:56.789012,2024-02-29,12:34:56.000000,deadbeef,ab   ,"[1,2]","{""a"": [1, ""x""]}",P1Y2DT1.5S,1.500,t,"a""b,c",ab  `,
		`2,-inf,NaN,-0.01,0001-01-01 00:00:00.000000,1900-01-01 00:00:00.000000,0044-03-15 BC,24:00:00.000000,"",     ,"[7,8]",null,P-1D,-0.001,f,"",""`,
		`3,NaN,-0,,infinity,-infinity,infinity,,,,,,,,,,`,
		`4,1e+300,3.4e+38,0.00,1999-12-31 23:59:59.999999,2000-01-01 00:00:00.000001,10000-01-01,00:00:00.000001,00,abcde,"[[1],[2]]","""s""",PT0S,0.000,t,"line` + "\n" + `break\", x `,
		``,
	}, "\n")
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("COPY output (-want +got):\n%s", diff)
	}

	// The validation expressions must run, and agree with the extraction
	// for VARCHAR targets.
	var sum int64
	q := "SELECT coalesce(sum(" + tb.FingerprintPG() + "), 0)::bigint FROM " + PGIdent("public") + "." + PGIdent("x")
	if err := conn.QueryRow(ctx, q).Scan(&sum); err != nil {
		t.Fatalf("fingerprint: %v\n%s", err, q)
	}
	if sum == 0 {
		t.Errorf("fingerprint sum is 0")
	}
}
