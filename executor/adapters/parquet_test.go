package adapters

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/extract"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

func TestTablesParquet(t *testing.T) {
	tableAddr := plan.Address(plan.KindTable, "DW", "APP", "ORDERS")
	loadAddr := plan.Address(plan.KindLoad, "src", "public", "orders")
	num, vc, ts := sftype.Type{Name: "NUMBER", Precision: 10}, sftype.Type{Name: "VARCHAR", Length: 40}, sftype.Type{Name: "TIMESTAMP_NTZ", Precision: 6}
	cols := []*typemap.Decision{
		{Column: "id", Target: "ID", SourceType: "integer", Type: num, Extract: `"id"`},
		{Column: "note", Target: "NOTE", SourceType: "integer", Type: vc, Extract: `"note"`}, // an override to text
		{Column: "at", Target: "AT", SourceType: "timestamp without time zone", Type: ts, Extract: `CASE … END`},
	}
	model := &typemap.Model{Schemas: []*typemap.Schema{{Source: "public", Target: "APP", Tables: []*typemap.Table{{Schema: "APP", Target: "ORDERS", Columns: cols}}}}}
	var mapping []plan.ColumnMapping
	for _, d := range cols {
		mapping = append(mapping, plan.ColumnMapping{Source: d.Column, Target: d.Target, TargetType: d.Type.String()})
	}
	p := &plan.Plan{Changes: []plan.Change{
		{Address: tableAddr, Kind: plan.KindTable, Name: []string{"DW", "APP", "ORDERS"}, Action: plan.Create},
		{Address: loadAddr, Kind: plan.KindLoad, Name: []string{"src", "public", "orders"}, Action: plan.Load,
			Load: &plan.LoadDetail{Source: plan.TableRef{Source: "src", Schema: "public", Table: "orders"}, Target: tableAddr,
				Format: "parquet", Compression: "snappy", Columns: mapping}},
	}}
	got, err := Tables(p, model, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := &Table{
		Extract: extract.Table{Schema: "public", Name: "orders",
			Columns:     []extract.Column{{Name: "ID", Expr: `"id"`}, {Name: "NOTE", Expr: `"note"`}, {Name: "AT", Expr: `"at"`}},
			ParquetText: []string{"NOTE"}},
		Output:      extract.Options{Format: extract.Parquet, Compression: extract.Snappy},
		Live:        load.Table{Database: "DW", Schema: "APP", Name: "ORDERS"},
		Compression: "NONE",
		FileFormat:  "TYPE = PARQUET USE_VECTORIZED_SCANNER = TRUE BINARY_AS_TEXT = FALSE USE_LOGICAL_TYPE = TRUE NULL_IF = ()",
		Transform: &load.Transform{Columns: []string{"ID", "NOTE", "AT"},
			Select: []string{"GET($1, 'ID')::NUMBER(10,0)", "GET($1, 'NOTE')::VARCHAR", "GET($1, 'AT')::TIMESTAMP_NTZ(6)"}},
	}
	if diff := cmp.Diff(map[string]*Table{loadAddr: want}, got); diff != "" {
		t.Errorf("Tables (-want +got):\n%s", diff)
	}

	// Parquet pages are snappy or zstd, never gzip.
	p.Changes[1].Load.Compression = "gzip"
	if _, err := Tables(p, model, nil); err == nil {
		t.Error("parquet with gzip accepted")
	}
}
