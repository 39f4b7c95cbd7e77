package artifacts

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pgsnow/pgsnow/internal/golden"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type fixture struct {
	dsn string
	db  *catalog.Database
}

var (
	fixturesMu sync.Mutex
	fixtures   = map[string]fixture{}
)

// load returns a database loaded with setup, introspected and profiled
// with the introspection engineer's API. Each fixture is loaded once per
// test binary and shared (Map never modifies the catalog; round trips
// only read the source). The database lives in the shared throwaway
// cluster, so no test's cleanup drops it under another.
func load(t *testing.T, name string, setup func(ctx context.Context, dsn string) error) fixture {
	t.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f, ok := fixtures[name]; ok {
		return f
	}
	ctx := context.Background()
	c := pgtest.Shared(t)
	dbname := "artifacts_" + name
	if err := c.CreateDatabase(ctx, dbname); err != nil {
		t.Fatal(err)
	}
	dsn := c.DSN(dbname)
	if err := setup(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	f := fixture{dsn: dsn, db: inspectDSN(t, dsn)}
	fixtures[name] = f
	return f
}

func inspect(t *testing.T, name string, setup func(ctx context.Context, dsn string) error) *catalog.Database {
	return load(t, name, setup).db
}

// inspectDSN introspects and profiles the database at dsn.
func inspectDSN(t *testing.T, dsn string) *catalog.Database {
	t.Helper()
	ctx := context.Background()
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
	return db
}

func alltypes(ctx context.Context, dsn string) error {
	sql, err := os.ReadFile("../../providers/postgres/testdata/alltypes.sql")
	if err != nil {
		return err
	}
	return pgtest.ExecScript(ctx, dsn, string(sql))
}

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	golden.Check(t, path, []byte(got))
}

func writeAndCompare(t *testing.T, name string, m *typemap.Model, opts Options) {
	t.Helper()
	dir := t.TempDir()
	if err := Write(dir, m, opts); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ObjectsFile, DecisionsFile, RecommendationsFile} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, filepath.Join("testdata", name, f), string(got))
	}
}

func TestChinookGolden(t *testing.T) {
	db := inspect(t, "chinook", pgtest.LoadChinook)
	m, err := typemap.Map(db, typemap.Options{SourceName: "main"})
	if err != nil {
		t.Fatalf("Chinook must map without problems: %v", err)
	}
	writeAndCompare(t, "chinook", m, Options{})
}

// allTypesFixes resolves every refusal of the all-types fixture; each is
// what the error message proposed (or allow_lossy where that is the point).
var allTypesFixes = typemap.Options{
	SourceName: "main",
	Tables: []typemap.TableOverride{
		{Schema: "public", Table: "all_scalars", Columns: []typemap.ColumnOverride{
			{Column: "c_numeric", Type: "VARCHAR"},
			{Column: "c_numeric_50_10", Type: "VARCHAR"},
			{Column: "c_date", Type: "VARCHAR"},
			{Column: "c_timestamp", Type: "VARCHAR"},
			{Column: "c_timestamp_3", Type: "VARCHAR"},
			{Column: "c_timestamptz", Type: "VARCHAR"},
			{Column: "c_time", Type: "VARCHAR"},
			{Column: "c_jsonb", Type: "VARCHAR"},
			{Column: "c_int_array", Type: "VARCHAR"},
			{Column: "c_text_2d", AllowLossy: true},
		}},
		{Schema: "public", Table: "typed_things", Columns: []typemap.ColumnOverride{{Column: "numbers", Type: "VARCHAR"}}},
		{Schema: "public", Table: "measurements", Columns: []typemap.ColumnOverride{{Column: "logdate", Type: "VARCHAR(16)"}}},
		{Schema: "public", Table: "ORDER", TargetName: "ORDER_UPPER"},
	},
	Types: []typemap.TypeOverride{{PostgresType: "money", Type: "NUMBER(19,2)"}},
}

func TestAllTypesGolden(t *testing.T) {
	db := inspect(t, "alltypes", alltypes)
	_, err := typemap.Map(db, typemap.Options{SourceName: "main"})
	var me *typemap.Error
	if !errors.As(err, &me) {
		t.Fatalf("the all-types fixture holds values Snowflake cannot hold; Map returned %v", err)
	}
	var lines []string
	for _, p := range me.Problems {
		lines = append(lines, p.String())
	}
	checkGolden(t, "testdata/alltypes/problems.txt", strings.Join(lines, "\n")+"\n")

	m, err := typemap.Map(db, allTypesFixes)
	var probs []typemap.Problem
	if errors.As(err, &me) {
		probs = me.Problems
		for _, p := range probs {
			t.Errorf("still refused with the fixes: %s", p)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	writeAndCompare(t, "alltypes", m, Options{Problems: probs})
}
