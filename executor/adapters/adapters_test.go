package adapters

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/extract"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

func TestIsTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"postgres restarted mid-chunk", &extract.ChunkError{Schema: "public", Table: "t", Err: &pgconn.PgError{Code: "57P01"}}, true},
		{"postgres type error", &extract.ChunkError{Schema: "public", Table: "t", Err: &pgconn.PgError{Code: "22P02"}}, false},
		{"extract error inside a PUT", &load.Error{Op: "PUT", Transient: false, Err: &extract.ChunkError{Err: io.ErrUnexpectedEOF}}, true},
		{"snowflake says transient", &load.Error{Op: "PUT", Transient: true, Err: errors.New("503")}, true},
		{"COPY after the loader's own retries", &load.Error{Op: "COPY", Transient: true, Err: errors.New("503")}, false},
		{"snowflake says permanent", &load.Error{Op: "COPY", Transient: false, Err: errors.New("100038")}, false},
		{"a swap is never retried", permanent{&load.Error{Op: "SWAP", Transient: true, Err: errors.New("503")}}, false},
		{"wrapped", fmt.Errorf("chunk 3: %w", &load.Error{Op: "PUT", Transient: true, Err: errors.New("reset")}), true},
		{"plain error", errors.New("something else"), false},
	}
	for _, tc := range tests {
		if got := IsTransient(tc.err); got != tc.want {
			t.Errorf("%s: IsTransient = %t, want %t", tc.name, got, tc.want)
		}
	}
}

func TestFileFormat(t *testing.T) {
	col := &typemap.Decision{Column: "a", Target: "A"}
	many := fileFormat((&typemap.Table{Columns: []*typemap.Decision{col, col, col}}).FileFormatOptions("ZSTD"))
	one := fileFormat((&typemap.Table{Columns: []*typemap.Decision{col}}).FileFormatOptions("GZIP"))
	for _, want := range []string{"TYPE = CSV", "NULL_IF = ()", "EMPTY_FIELD_AS_NULL = TRUE", "COMPRESSION = ZSTD", "ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE"} {
		if !strings.Contains(many, want) {
			t.Errorf("file format %q lacks %q", many, want)
		}
	}
	// One-column records carry a padding field that must not count.
	if !strings.Contains(one, "ERROR_ON_COLUMN_COUNT_MISMATCH = FALSE") || !strings.Contains(one, "COMPRESSION = GZIP") {
		t.Errorf("one-column file format %q", one)
	}
}

func TestTables(t *testing.T) {
	tableAddr := plan.Address(plan.KindTable, "DW", "APP", "ORDERS")
	loadAddr := plan.Address(plan.KindLoad, "src", "public", "orders")
	num, vc := sftype.Type{Name: "NUMBER", Precision: 38}, sftype.Type{Name: "VARCHAR", Length: 40}
	model := &typemap.Model{Schemas: []*typemap.Schema{{Source: "public", Target: "APP", Tables: []*typemap.Table{{
		Schema: "APP", Target: "ORDERS",
		Columns: []*typemap.Decision{
			{Column: "id", Target: "ID", Type: num, Extract: `"id"`},
			{Column: "note", Target: "NOTE", Type: vc, Extract: `"note"`},
		},
	}}}}}
	mk := func(cols ...plan.ColumnMapping) *plan.Plan {
		return &plan.Plan{Changes: []plan.Change{
			{Address: tableAddr, Kind: plan.KindTable, Name: []string{"DW", "APP", "ORDERS"}, Action: plan.Create},
			{Address: loadAddr, Kind: plan.KindLoad, Name: []string{"src", "public", "orders"}, Action: plan.Load,
				Load: &plan.LoadDetail{Source: plan.TableRef{Source: "src", Schema: "public", Table: "orders"}, Target: tableAddr,
					Format: "csv", Compression: "zstd", Columns: cols}},
		}}
	}
	ok := mk(plan.ColumnMapping{Source: "id", Target: "ID", TargetType: num.String()}, plan.ColumnMapping{Source: "note", Target: "NOTE", TargetType: vc.String()})
	got, err := Tables(ok, model, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Table{
		Extract:     extract.Table{Schema: "public", Name: "orders", Columns: []extract.Column{{Name: "ID", Expr: `"id"`}, {Name: "NOTE", Expr: `"note"`}}},
		Output:      extract.Options{Format: extract.CSV, Compression: extract.Zstd},
		Live:        load.Table{Database: "DW", Schema: "APP", Name: "ORDERS"},
		Compression: "ZSTD", FileFormat: fileFormat(typemap.FileFormatOptions("ZSTD")),
	}
	if diff := cmp.Diff(map[string]*Table{loadAddr: want}, got); diff != "" {
		t.Errorf("Tables (-want +got):\n%s", diff)
	}

	// The mapping changed since the plan: refused, naming the column.
	changed := mk(plan.ColumnMapping{Source: "id", Target: "ID", TargetType: "NUMBER(10,0)"}, plan.ColumnMapping{Source: "note", Target: "NOTE", TargetType: vc.String()})
	if _, err := Tables(changed, model, nil); err == nil || !strings.Contains(err.Error(), "column 1 is id → ID NUMBER(10,0) in the plan") {
		t.Errorf("changed mapping: error = %v", err)
	}
	if _, err := Tables(mk(plan.ColumnMapping{Source: "id", Target: "ID", TargetType: num.String()}), model, nil); err == nil || !strings.Contains(err.Error(), "1 columns, the mapping now has 2") {
		t.Errorf("column count: error = %v", err)
	}
}
