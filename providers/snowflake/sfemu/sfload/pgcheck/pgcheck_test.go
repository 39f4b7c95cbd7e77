package pgcheck_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sfload"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestRoundTrip loads one row of every type through Convert into columns of
// each type's PGType with PostgreSQL COPY, and reads it back: the backing
// types accept what Convert writes, and nothing changes on the way.

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SET TimeZone='UTC'"); err != nil {
		t.Fatal(err)
	}
	specs := []string{"NUMBER(19,0)", "NUMBER(12,2)", "FLOAT", "VARCHAR(10)", "BINARY(4)", "BOOLEAN", "DATE", "TIMESTAMP_NTZ(6)",
		"TIMESTAMP_TZ(6)", "TIME(6)", "VARIANT", "ARRAY", "STRING", "TIMESTAMP_LTZ(9)", "TIME(0)", "GEOGRAPHY"}
	var cols []sfload.Column
	var ddl []string
	for i, s := range specs {
		ty := sftype.MustParse(s)
		name := "C" + string(rune('A'+i))
		cols = append(cols, sfload.Column{Name: name, Type: ty})
		ddl = append(ddl, `"`+name+`" `+ty.PGType())
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE t ("+strings.Join(ddl, ", ")+")"); err != nil {
		t.Fatal(err)
	}
	in := `-9223372036854775808,1234567890.125,-inf,"tab	""q""\",DEADbeef,t,0001-01-01,9999-12-31 23:59:59.999999,` +
		`2024-02-29 12:00:00.000001+05:30,23:59:59.999999,"{""k"": [1, 2.5, null], ""s"": ""a\nb""}","[""x""]","l1` + "\r\n" + `l2",2024-01-02 03:04:05.123456000 -08:00,13:14:15.9,POINT(1 2)` + "\n" +
		`0,0,NaN,"",,f,2024-01-02,2024-01-02 00:00:00,2024-01-02 00:00:00-08:00,00:00:00,,,,,,` + "\n"
	path := filepath.Join(t.TempDir(), "f.csv")
	if err := os.WriteFile(path, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	ff, err := sfload.ParseFileFormatOptions(sfload.DefaultFileFormat("CSV"), `FIELD_OPTIONALLY_ENCLOSED_BY='"' ESCAPE=NONE ESCAPE_UNENCLOSED_FIELD=NONE NULL_IF=()`)
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := sfload.ParseCopyOptions("")
	var buf bytes.Buffer
	if _, err := sfload.Convert(ctx, path, "f.csv", ff, cols, opts, &buf); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.PgConn().CopyFrom(ctx, bytes.NewReader(buf.Bytes()), "COPY t FROM STDIN"); err != nil {
		t.Fatalf("COPY: %v\n%s", err, buf.String())
	}
	rows, err := conn.Query(ctx, `SELECT t::text FROM t ORDER BY "CA"`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	want := []string{
		`(-9223372036854775808,1234567890.13,-Infinity,"tab	""q""\\","\\xdeadbeef",t,0001-01-01,"9999-12-31 23:59:59.999999",` +
			`"2024-02-29 06:30:00.000001+00",23:59:59.999999,"{""k"": [1, 2.5, null], ""s"": ""a\\nb""}","[""x""]","l1` + "\r\n" +
			`l2","2024-01-02 11:04:05.123456+00",13:14:15,"POINT(1 2)")`,
		`(0,0.00,NaN,"",,f,2024-01-02,"2024-01-02 00:00:00","2024-01-02 08:00:00+00",00:00:00,,,,,,)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows read back (-want +got):\n%s", diff)
	}
}
