package planner

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

func TestCanWiden(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{"NUMBER(10,2)", "NUMBER(12,2)", true},
		{"NUMBER(12,2)", "NUMBER(10,2)", false},
		{"NUMBER(10,2)", "NUMBER(12,3)", false}, // scale must stay
		{"VARCHAR(10)", "VARCHAR(20)", true},
		{"VARCHAR(20)", "VARCHAR(10)", false},
		{"NUMBER(12,2)", "FLOAT", false},
		{"BINARY(10)", "BINARY(20)", false}, // Snowflake documents only NUMBER and VARCHAR
		{"TIMESTAMP_NTZ(3)", "TIMESTAMP_NTZ(6)", false},
		{"not a type", "VARCHAR(10)", false},
	}
	for _, tc := range tests {
		if got := canWiden(tc.from, tc.to); got != tc.want {
			t.Errorf("canWiden(%s, %s) = %t, want %t", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestChunks(t *testing.T) {
	exact := int64(1_000_000)
	table := func(rows *int64, est, heap int64) *catalog.Table {
		return &catalog.Table{Stats: catalog.Volumetrics{ExactRows: rows, EstimatedRows: est, HeapBytes: heap}}
	}
	tests := []struct {
		name string
		t    *catalog.Table
		ts   lang.TableSettings
		want []plan.Chunk
	}{
		{"empty heap", table(nil, -1, 0), lang.TableSettings{ChunkRows: 10}, []plan.Chunk{{By: "full"}}},
		{"one chunk", table(&exact, 0, 1000*8192), lang.TableSettings{ChunkRows: 2_000_000},
			[]plan.Chunk{{By: "ctid", EstimatedRows: 1_000_000, EstimatedBytes: 1000 * 8192}}},
		{"by rows: 1000 rows per block, 400k rows per chunk = 400 blocks", table(&exact, 0, 1000*8192), lang.TableSettings{ChunkRows: 400_000},
			[]plan.Chunk{
				{Index: 0, By: "ctid", To: "400", EstimatedRows: 400_000, EstimatedBytes: 400 * 8192},
				{Index: 1, By: "ctid", From: "400", To: "800", EstimatedRows: 400_000, EstimatedBytes: 400 * 8192},
				{Index: 2, By: "ctid", From: "800", EstimatedRows: 200_000, EstimatedBytes: 200 * 8192},
			}},
		{"size wins when smaller", table(nil, 1_000_000, 1000*8192), lang.TableSettings{ChunkRows: 1_000_000, ChunkSize: 500 * 8192},
			[]plan.Chunk{
				{Index: 0, By: "ctid", To: "500", EstimatedRows: 500_000, EstimatedBytes: 500 * 8192},
				{Index: 1, By: "ctid", From: "500", EstimatedRows: 500_000, EstimatedBytes: 500 * 8192},
			}},
		{"by key: bounds at apply time", table(&exact, 0, 1000*8192), lang.TableSettings{ChunkRows: 500_000, ChunkBy: "pk"},
			[]plan.Chunk{
				{Index: 0, By: "pk", EstimatedRows: 500_000, EstimatedBytes: 500 * 8192},
				{Index: 1, By: "pk", EstimatedRows: 500_000, EstimatedBytes: 500 * 8192},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, chunks(tc.t, tc.ts)); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestColumnDrift(t *testing.T) {
	rec := []plan.Column{{Name: "A", Type: "NUMBER(10,0)"}, {Name: "B", Type: "VARCHAR(5)", Nullable: true}, {Name: "C", Type: "DATE", Nullable: true}}
	live := []plan.Column{{Name: "A", Type: "NUMBER(10,0)", Nullable: true}, {Name: "B", Type: "VARCHAR(9)", Nullable: true}, {Name: "D", Type: "FLOAT", Nullable: true}}
	var got []string
	for _, r := range columnDrift(rec, live) {
		got = append(got, r.Code+": "+r.Message)
	}
	want := []string{
		`drift_column_changed: drift: column "A" made nullable in Snowflake outside pgsnow`,
		`drift_column_changed: drift: column "B" type changed: VARCHAR(5) → VARCHAR(9) in Snowflake outside pgsnow`,
		`drift_column_changed: drift: column "C" dropped in Snowflake outside pgsnow`,
		`drift_column_changed: drift: column "D" FLOAT added in Snowflake outside pgsnow`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// Names the plan creates get the database; literals keep their text,
// except the stage's FORMAT_NAME.
func TestQualify(t *testing.T) {
	m := &typemap.Model{Schemas: []*typemap.Schema{{Target: "APP", Tables: []*typemap.Table{{Schema: "APP", Target: "T"}, {Schema: "APP", Target: "it's"}}}}}
	q := newQualifier("DB", m, typemap.ScriptOptions{})
	tests := []struct{ kind, schema, in, want string }{
		{"SCHEMA", "APP", `CREATE SCHEMA IF NOT EXISTS "APP" COMMENT = 'x'`, `CREATE SCHEMA IF NOT EXISTS "DB"."APP" COMMENT = 'x'`},
		{"TABLE", "APP", `CREATE TABLE IF NOT EXISTS "APP"."T" ("A" INT COMMENT 'see "APP"."T"') COMMENT = 'it''s "APP"."T"'`,
			`CREATE TABLE IF NOT EXISTS "DB"."APP"."T" ("A" INT COMMENT 'see "APP"."T"') COMMENT = 'it''s "APP"."T"'`},
		{"TABLE", "APP", `CREATE TABLE IF NOT EXISTS "APP"."it's" ("X" INT REFERENCES "APP"."T" ("A"))`,
			`CREATE TABLE IF NOT EXISTS "DB"."APP"."it's" ("X" INT REFERENCES "DB"."APP"."T" ("A"))`},
		{"STAGE", "PGSNOW", `CREATE STAGE IF NOT EXISTS "PGSNOW"."PGSNOW_STAGE" FILE_FORMAT = (FORMAT_NAME = '"PGSNOW"."PGSNOW_CSV"') COMMENT = '"PGSNOW"."PGSNOW_CSV"'`,
			`CREATE STAGE IF NOT EXISTS "DB"."PGSNOW"."PGSNOW_STAGE" FILE_FORMAT = (FORMAT_NAME = '"DB"."PGSNOW"."PGSNOW_CSV"') COMMENT = '"PGSNOW"."PGSNOW_CSV"'`},
		{"VIEW", "APP", `CREATE VIEW IF NOT EXISTS "APP"."V" AS SELECT 'a\'b "APP"."T"' FROM "APP"."T"`,
			`CREATE VIEW IF NOT EXISTS "APP"."V" AS SELECT 'a\'b "APP"."T"' FROM "DB"."APP"."T"`},
	}
	for _, tc := range tests {
		if got := q.statement("DB", tc.kind, tc.schema, tc.in); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.kind, got, tc.want)
		}
	}
}

// A partitioned parent's load is sized from its partitions, nested ones too.
func TestVolumePartitioned(t *testing.T) {
	parent := &catalog.Table{Schema: "s", Name: "p", Kind: catalog.TablePartitioned, Stats: catalog.Volumetrics{EstimatedRows: -1}}
	mid := &catalog.Table{Schema: "s", Name: "p1", Kind: catalog.TablePartitioned, PartitionOf: &catalog.QualifiedName{Schema: "s", Name: "p"}}
	leaf := func(name string, of *catalog.Table, rows, heap int64) *catalog.Table {
		return &catalog.Table{Schema: "s", Name: name, Kind: catalog.TableRegular, PartitionOf: &catalog.QualifiedName{Schema: of.Schema, Name: of.Name},
			Stats: catalog.Volumetrics{EstimatedRows: rows, HeapBytes: heap, ToastBytes: 1}}
	}
	other := &catalog.Table{Schema: "s", Name: "q", Kind: catalog.TablePartitioned}
	db := &catalog.Database{Schemas: []*catalog.Schema{{Name: "s", Tables: []*catalog.Table{parent, mid,
		leaf("p1a", mid, 10, 8192), leaf("p2", parent, 20, 16384), leaf("q1", other, 99, 99)}}}}
	v := volume(db, parent)
	got := [3]int64{v.Stats.EstimatedRows, v.Stats.HeapBytes, v.Stats.ToastBytes}
	if d := cmp.Diff([3]int64{30, 24576, 2}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if volume(db, leaf("x", parent, 1, 1)).Stats.HeapBytes != 1 {
		t.Error("a plain table's volume changed")
	}
}

// A table whose default names a sequence depends on that sequence: DDL
// runs in parallel in dependency order only.
func TestTableDependsOnItsSequence(t *testing.T) {
	num, err := sftype.Parse("NUMBER(38,0)")
	if err != nil {
		t.Fatal(err)
	}
	tb := &typemap.Table{Schema: "APP", Target: "T", Columns: []*typemap.Decision{
		{Column: "id", Target: "ID", Type: num, Default: `"APP"."T_ID_SEQ".NEXTVAL`},
		{Column: "n", Target: "N", Type: num},
	}}
	m := &typemap.Model{Schemas: []*typemap.Schema{{Target: "APP",
		Sequences: []*typemap.Sequence{{Schema: "APP", Target: "T_ID_SEQ", Start: 1, Increment: 1}, {Schema: "APP", Target: "OTHER", Start: 1, Increment: 1}},
		Tables:    []*typemap.Table{tb}}}}
	objs, err := desired("DB", m, map[*typemap.Table]string{tb: "src"}, typemap.ScriptOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs {
		if o.kind == plan.KindTable {
			want := []string{plan.Address(plan.KindSchema, "DB", "APP"), plan.Address(plan.KindSequence, "DB", "APP", "T_ID_SEQ")}
			if d := cmp.Diff(want, o.deps); d != "" {
				t.Errorf("table deps (-want +got):\n%s", d)
			}
			return
		}
	}
	t.Fatal("no table object")
}
