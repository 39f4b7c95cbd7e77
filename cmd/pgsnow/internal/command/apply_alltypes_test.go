package command

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/internal/applycheck"
	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// allTypesOverrides keep as text what Snowflake's types cannot hold (the
// planner refuses the defaults and suggests exactly these), and rename
// one of "ORDER"/"order".
const allTypesOverrides = `
table "app.public.all_scalars" {
  column "c_int_array" { type = "VARCHAR" }
  column "c_jsonb" { type = "VARCHAR" }
  column "c_numeric" { type = "VARCHAR" }
  column "c_numeric_50_10" { type = "VARCHAR" }
  column "c_text_2d" { type = "VARCHAR" }
  column "c_time" { type = "VARCHAR" }
  column "c_timestamp" { type = "VARCHAR" }
  column "c_timestamp_3" { type = "VARCHAR" }
  column "c_timestamptz" { type = "VARCHAR" }
  column "c_date" { type = "VARCHAR" }
}
table "app.public.measurements" {
  column "logdate" { type = "VARCHAR" }
}
table "app.public.typed_things" {
  column "numbers" { type = "VARCHAR" }
}
table "app.public.order" {
  target_name = "ORDER_LOWER"
}
`

// TestApplyAllTypes migrates the all-types fixture (with Chinook in the
// same database) and compares every value of every table: the source side
// is each column's extraction expression evaluated in the extraction
// session, the Snowflake side the value gosnowflake returns, both in the
// canonical text of the column's Snowflake type.
func TestApplyAllTypes(t *testing.T) {
	script, err := os.ReadFile("../../../../providers/postgres/testdata/alltypes.sql")
	if err != nil {
		t.Fatal(err)
	}
	ch := newChinook(t, sfemu.Faults{}, allTypesOverrides)
	ctx := context.Background()
	if err := pgtest.ExecScript(ctx, ch.srcDSN, string(script)); err != nil {
		t.Fatal(err)
	}
	code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "3")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	noSecrets(t, out+errs, ".")

	// The mapping apply used, computed again the same way.
	spec, model := remapped(t)
	pg := extractSession(t, ch.srcDSN)
	defer pg.Close(context.Background())
	sf, err := snowflake.Open(ctx, snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: ch.host, Port: ch.port, Protocol: "http",
		Database: spec.Target.Database, LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: testSFPassword}})
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()

	tables, rows, values := 0, 0, 0
	types := map[string]bool{}
	for _, s := range model.Schemas {
		for _, tb := range s.Tables {
			want := extractedRows(t, pg, tb)
			got := snowflakeRows(t, sf, spec.Target.Database, tb)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s.%s: values differ (-source +snowflake):\n%s", tb.SourceName.Schema, tb.SourceName.Name, diff)
			}
			tables++
			rows += len(want)
			values += len(want) * len(tb.Columns)
			for _, d := range tb.Columns {
				types[d.Type.Name] = true
			}
		}
	}
	t.Logf("compared %d tables, %d rows, %d values; Snowflake types %v", tables, rows, values, slices.Sorted(func(yield func(string) bool) {
		for k := range types {
			if !yield(k) {
				return
			}
		}
	}))
	if tables < 20 || len(types) < 10 {
		t.Errorf("compared %d tables of %d types; want the fixture's and Chinook's", tables, len(types))
	}
}

// extractedRows evaluates each column's extraction expression.
func extractedRows(t *testing.T, pg *pgx.Conn, tb *typemap.Table) []string {
	t.Helper()
	var cols []string
	for _, d := range tb.Columns {
		e := "(" + d.Extract + ")"
		switch d.Type.Name {
		case "NUMBER":
			e = fmt.Sprintf("round(%s::text::numeric, %d)", e, d.Type.Scale)
		case "VARIANT", "OBJECT", "ARRAY":
			// As text: pgx scans a JSON null into a nil pointer, which
			// would compare equal to SQL NULL.
			e += "::text"
		}
		cols = append(cols, e)
	}
	from := pgx.Identifier{tb.SourceName.Schema, tb.SourceName.Name}.Sanitize()
	if tb.Only {
		from = "ONLY " + from
	}
	// The simple protocol returns every value as its output function's
	// text, as COPY writes it.
	rows, err := pg.Query(context.Background(), "SELECT "+strings.Join(cols, ", ")+" FROM "+from, pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]*string, len(cols))
		dst := make([]any, len(cols))
		for i := range vals {
			dst[i] = &vals[i]
		}
		if err := rows.Scan(dst...); err != nil {
			t.Fatal(err)
		}
		for i, d := range tb.Columns {
			if vals[i] != nil {
				s := canonicalSource(t, d.Type, *vals[i])
				vals[i] = &s
			}
		}
		out = append(out, applycheck.Row(vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func canonicalSource(t *testing.T, typ sftype.Type, s string) string {
	switch typ.Name {
	case "BOOLEAN":
		return canonicalBool(t, s)
	case "FLOAT":
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("float %q: %v", s, err)
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case "VARIANT", "OBJECT", "ARRAY":
		return canonicalJSON(t, s)
	}
	return s
}

// canonicalBool reads PostgreSQL's t/f and Snowflake's 1/0 or true/false.
func canonicalBool(t *testing.T, s string) string {
	switch strings.ToLower(s) {
	case "t", "true", "1":
		return "true"
	case "f", "false", "0":
		return "false"
	}
	t.Fatalf("boolean %q", s)
	return ""
}

func canonicalJSON(t *testing.T, s string) string {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("JSON %q: %v", s, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// snowflakeRows reads the table through gosnowflake.
func snowflakeRows(t *testing.T, sf *sql.DB, database string, tb *typemap.Table) []string {
	t.Helper()
	var cols []string
	for _, d := range tb.Columns {
		cols = append(cols, ident.Quote(d.Target))
	}
	q := fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), ident.Qualified(database, tb.Schema, tb.Target))
	return applycheck.QueryRows(t, sf, q, func(col int, v any) string { return canonicalSnowflake(t, tb.Columns[col].Type, v) })
}

func canonicalSnowflake(t *testing.T, typ sftype.Type, v any) string {
	switch v := v.(type) {
	case time.Time:
		switch typ.Name {
		case "DATE":
			return v.Format("2006-01-02")
		case "TIME":
			return v.Format("15:04:05.000000")
		}
		return v.UTC().Format("2006-01-02 15:04:05.000000")
	case []byte:
		if typ.Name == "BINARY" {
			return hex.EncodeToString(v)
		}
		return string(v)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case string:
		switch typ.Name {
		case "BOOLEAN":
			return canonicalBool(t, v)
		case "VARIANT", "OBJECT", "ARRAY":
			return canonicalJSON(t, v)
		case "FLOAT":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("float %q: %v", v, err)
			}
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		return v
	}
	return fmt.Sprint(v)
}
