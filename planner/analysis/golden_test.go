package analysis

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/internal/golden"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fixtures are the shared all-types schema of the postgres provider and
// its arrays with special elements.
var fixtures = []string{
	filepath.Join("..", "..", "providers", "postgres", "testdata", "alltypes.sql"),
	filepath.Join("..", "..", "providers", "postgres", "testdata", "special_arrays.sql"),
}

// maskVolatile zeroes what differs between runs and machines: sizes,
// planner estimates, the generated database name and the server version.
func maskVolatile(r *Report) {
	r.Summary.TotalBytes = 0
	for i := range r.Sources {
		s := &r.Sources[i]
		s.Database, s.ServerVersion, s.ServerVersionNum = "<db>", "<version>", 0
		s.Totals.HeapBytes, s.Totals.ToastBytes, s.Totals.IndexBytes, s.Totals.TotalBytes, s.Totals.EstimatedRows = 0, 0, 0, 0, 0
		for j := range s.Tables {
			s.Tables[j].TotalBytes, s.Tables[j].EstimatedRows = 0, 0
		}
	}
}

func TestGoldenAllTypesReport(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	for _, f := range fixtures {
		sql, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := pgtest.ExecScript(ctx, dsn, string(sql)); err != nil {
			t.Fatalf("load %s: %v", f, err)
		}
	}
	src, err := postgres.NewSource("main", dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := src.Inspect(ctx, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Profile(ctx, db, postgres.ProfileOptions{
		Tables: map[string]postgres.TableProfileOptions{"public.events_no_pk": {Skip: true}},
	}); err != nil {
		t.Fatal(err)
	}
	r := Build([]Input{{Name: "main", DB: db}}, Options{}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), "test")
	maskVolatile(r)
	got, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var summary bytes.Buffer
	if err := r.WriteSummary(&summary); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "testdata/alltypes_report.json", got)
	checkGolden(t, "testdata/alltypes_summary.txt", summary.Bytes())
	// The report never carries connection details.
	if bytes.Contains(got, []byte("127.0.0.1")) || bytes.Contains(got, []byte("postgres://")) {
		t.Error("report contains connection details")
	}
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}
