package inspect

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ns(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
func ni(n int64) sql.NullInt64   { return sql.NullInt64{Int64: n, Valid: true} }

func TestCanonicalType(t *testing.T) {
	tests := []struct {
		row  ColumnRow
		want string
	}{
		{ColumnRow{DataType: "NUMBER", Precision: ni(12), Scale: ni(2)}, "NUMBER(12,2)"},
		{ColumnRow{DataType: "NUMBER"}, "NUMBER(38,0)"},
		{ColumnRow{DataType: "FIXED", Precision: ni(5), Scale: ni(0)}, "NUMBER(5,0)"},
		{ColumnRow{DataType: "TEXT", Length: ni(40)}, "VARCHAR(40)"},
		{ColumnRow{DataType: "TEXT"}, "VARCHAR(16777216)"},
		{ColumnRow{DataType: "text", Length: ni(134217728)}, "VARCHAR(134217728)"},
		{ColumnRow{DataType: "BINARY", Length: ni(16)}, "BINARY(16)"},
		{ColumnRow{DataType: "BINARY"}, "BINARY(8388608)"},
		{ColumnRow{DataType: "TIMESTAMP_TZ", DatetimePrecision: ni(3)}, "TIMESTAMP_TZ(3)"},
		{ColumnRow{DataType: "TIMESTAMP_NTZ"}, "TIMESTAMP_NTZ(9)"},
		{ColumnRow{DataType: "TIME", DatetimePrecision: ni(0)}, "TIME(0)"},
		{ColumnRow{DataType: "FLOAT"}, "FLOAT"},
		{ColumnRow{DataType: "DOUBLE"}, "FLOAT"},
		{ColumnRow{DataType: "VARIANT"}, "VARIANT"},
		{ColumnRow{DataType: "DATE"}, "DATE"},
	}
	for _, tt := range tests {
		got, err := CanonicalType(tt.row)
		if err != nil || got != tt.want {
			t.Errorf("CanonicalType(%+v) = %q, %v; want %q", tt.row, got, err, tt.want)
		}
	}
	if _, err := CanonicalType(ColumnRow{Schema: "S", Table: "T", Name: "C"}); err == nil || !strings.Contains(err.Error(), "S.T.C: empty DATA_TYPE") {
		t.Errorf("empty DATA_TYPE: err = %v", err)
	}
}

// Build maps hand-made rows; rows arrive in an order the server chose.
func TestBuild(t *testing.T) {
	r := Rows{
		Schemata: []SchemaRow{{Name: "Z"}, {Name: "INFORMATION_SCHEMA"}, {Name: "APP", Transient: ns("YES"), Comment: ns("c")}},
		Tables: []TableRow{
			{Schema: "APP", Name: "T", Type: "BASE TABLE", RowCount: ni(3), Bytes: ni(1024), Transient: ns("NO")},
			{Schema: "APP", Name: "V", Type: "VIEW"},
			{Schema: "INFORMATION_SCHEMA", Name: "TABLES", Type: "VIEW"},
			{Schema: "APP", Name: "A", Type: "BASE TABLE"},
		},
		Columns: []ColumnRow{
			{Schema: "APP", Table: "T", Name: "b", Position: 2, Nullable: "YES", DataType: "TEXT", Length: ni(5), Default: ns("'x'")},
			{Schema: "APP", Table: "T", Name: "A", Position: 1, Nullable: "NO", DataType: "NUMBER", Precision: ni(38), Scale: ni(0), Identity: ns("YES")},
			{Schema: "APP", Table: "V", Name: "A", Position: 1, Nullable: "YES", DataType: "NUMBER", Precision: ni(38), Scale: ni(0)},
			{Schema: "APP", Table: "GONE", Name: "X", Position: 1, Nullable: "YES", DataType: "DATE"},
			{Schema: "INFORMATION_SCHEMA", Table: "TABLES", Name: "TABLE_NAME", Position: 1, Nullable: "YES", DataType: "TEXT"},
		},
		Sequences:   []SequenceRow{{Schema: "APP", Name: "S", Start: ns("1"), Increment: ns("1"), Next: ns("7")}},
		Views:       []ViewRow{{Schema: "APP", Name: "V", Definition: ns("SELECT A FROM T"), Secure: ns("YES")}},
		Constraints: []ConstraintRow{{Schema: "APP", Table: "T", Name: "T_PK", Type: "PRIMARY KEY"}, {Schema: "APP", Table: "GONE", Name: "G", Type: "UNIQUE"}},
		Stages:      []StageRow{{Schema: "APP", Name: "ST", Type: ns("Internal Named")}},
		FileFormats: []FileFormatRow{{Schema: "APP", Name: "FF", Type: ns("PARQUET"), Comment: ns("pgsnow")}},
	}
	got, err := Build("DB", r)
	if err != nil {
		t.Fatal(err)
	}
	three, kb := int64(3), int64(1024)
	want := &Database{Name: "DB", Exists: true, Schemas: []*Schema{
		{Name: "APP", Comment: "c", Transient: true,
			Tables: []*Table{
				{Schema: "APP", Name: "A", Type: "BASE TABLE", Columns: []Column{}, Constraints: []Constraint{}},
				{Schema: "APP", Name: "T", Type: "BASE TABLE", RowCount: &three, Bytes: &kb, Columns: []Column{
					{Name: "A", Position: 1, Type: "NUMBER(38,0)", DataType: "NUMBER", Identity: true},
					{Name: "b", Position: 2, Type: "VARCHAR(5)", DataType: "TEXT", Nullable: true, Default: "'x'"},
				}, Constraints: []Constraint{{Name: "T_PK", Type: "PRIMARY KEY"}}},
			},
			Views: []*View{{Schema: "APP", Name: "V", Definition: "SELECT A FROM T", Secure: true,
				Columns: []Column{{Name: "A", Position: 1, Type: "NUMBER(38,0)", DataType: "NUMBER", Nullable: true}}}},
			Sequences:   []*Sequence{{Schema: "APP", Name: "S", Start: "1", Increment: "1", Next: "7"}},
			Stages:      []*Stage{{Schema: "APP", Name: "ST", Type: "Internal Named"}},
			FileFormats: []*FileFormat{{Schema: "APP", Name: "FF", Type: "PARQUET", Comment: "pgsnow"}},
		},
		{Name: "Z"},
	}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Build (-want +got):\n%s", d)
	}
	if got.Table("APP", "t") != nil || got.Table("APP", "T") == nil || got.Table("APP", "T").Column("B") != nil {
		t.Errorf("lookups must be exact, not case-insensitive")
	}
}

func TestBuildErrors(t *testing.T) {
	_, err := Build("DB", Rows{Schemata: []SchemaRow{{Name: "S"}}, Tables: []TableRow{{Schema: "S", Name: "T", Type: "BASE TABLE"}},
		Columns: []ColumnRow{{Schema: "S", Table: "T", Name: "C", Nullable: "MAYBE", DataType: "DATE"}}})
	if err == nil || !strings.Contains(err.Error(), `S.T.C: IS_NULLABLE is "MAYBE"`) {
		t.Errorf("err = %v", err)
	}
	d, err := Build("DB", Rows{})
	if err != nil || d.Exists {
		t.Errorf("no schemata: %+v, %v", d, err)
	}
}

func TestQueriesQuoteDatabase(t *testing.T) {
	q := Queries(`My "db"`)
	if len(q) != 8 {
		t.Fatalf("%d queries, want 8", len(q))
	}
	for _, s := range q {
		if !strings.Contains(s, `FROM "My ""db""".INFORMATION_SCHEMA.`) {
			t.Errorf("database not quoted: %s", s)
		}
	}
}
