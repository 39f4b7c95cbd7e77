package sftype

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseAliases(t *testing.T) {
	n38 := Type{Kind: Number, Precision: 38}
	vc := Type{Kind: Varchar, Length: DefaultVarcharLength}
	ntz9 := Type{Kind: TimestampNTZ, Precision: 9}
	tests := []struct {
		in   string
		want Type
		str  string
	}{
		{"NUMBER", n38, "NUMBER(38,0)"},
		{"number(10)", Type{Kind: Number, Precision: 10}, "NUMBER(10,0)"},
		{"NUMBER(12, 2)", Type{Kind: Number, Precision: 12, Scale: 2}, "NUMBER(12,2)"},
		{"DECIMAL", n38, "NUMBER(38,0)"},
		{"DEC(5,5)", Type{Kind: Number, Precision: 5, Scale: 5}, "NUMBER(5,5)"},
		{"NUMERIC(38,37)", Type{Kind: Number, Precision: 38, Scale: 37}, "NUMBER(38,37)"},
		{"INT", n38, ""}, {"INTEGER", n38, ""}, {"BIGINT", n38, ""}, {"SMALLINT", n38, ""},
		{"TINYINT", n38, ""}, {"BYTEINT", n38, ""},
		{"FLOAT", Type{Kind: Float}, "FLOAT"}, {"FLOAT4", Type{Kind: Float}, ""}, {"FLOAT8", Type{Kind: Float}, ""},
		{"DOUBLE", Type{Kind: Float}, ""}, {"double   precision", Type{Kind: Float}, ""}, {"REAL", Type{Kind: Float}, ""},
		{"VARCHAR", vc, "VARCHAR(16777216)"}, {"STRING", vc, ""}, {"TEXT", vc, ""}, {"NVARCHAR", vc, ""},
		{"NVARCHAR2", vc, ""}, {"CHAR VARYING", vc, ""}, {"NCHAR VARYING", vc, ""},
		{"VARCHAR(5)", Type{Kind: Varchar, Length: 5}, "VARCHAR(5)"},
		{"VARCHAR(134217728)", Type{Kind: Varchar, Length: MaxVarcharLength}, ""},
		{"CHAR", Type{Kind: Varchar, Length: 1}, "VARCHAR(1)"}, {"CHARACTER", Type{Kind: Varchar, Length: 1}, ""},
		{"NCHAR", Type{Kind: Varchar, Length: 1}, ""}, {"CHAR(10)", Type{Kind: Varchar, Length: 10}, ""},
		{"BINARY", Type{Kind: Binary, Length: DefaultBinaryLength}, "BINARY(8388608)"},
		{"VARBINARY(16)", Type{Kind: Binary, Length: 16}, "BINARY(16)"},
		{"BINARY(67108864)", Type{Kind: Binary, Length: MaxBinaryLength}, ""},
		{"BOOLEAN", Type{Kind: Boolean}, "BOOLEAN"}, {"DATE", Type{Kind: Date}, "DATE"},
		{"TIME", Type{Kind: Time, Precision: 9}, "TIME(9)"}, {"TIME(0)", Type{Kind: Time}, "TIME(0)"},
		{"DATETIME", ntz9, "TIMESTAMP_NTZ(9)"}, {"TIMESTAMP", ntz9, ""}, {"TIMESTAMP_NTZ", ntz9, ""},
		{"TIMESTAMPNTZ", ntz9, ""}, {"TIMESTAMP WITHOUT TIME ZONE", ntz9, ""},
		{"TIMESTAMP(6)", Type{Kind: TimestampNTZ, Precision: 6}, "TIMESTAMP_NTZ(6)"},
		{"TIMESTAMP_LTZ", Type{Kind: TimestampLTZ, Precision: 9}, "TIMESTAMP_LTZ(9)"},
		{"TIMESTAMPLTZ(3)", Type{Kind: TimestampLTZ, Precision: 3}, ""},
		{"TIMESTAMP WITH LOCAL TIME ZONE", Type{Kind: TimestampLTZ, Precision: 9}, ""},
		{"TIMESTAMP_TZ(6)", Type{Kind: TimestampTZ, Precision: 6}, "TIMESTAMP_TZ(6)"},
		{"TIMESTAMPTZ", Type{Kind: TimestampTZ, Precision: 9}, ""},
		{"timestamp with time zone", Type{Kind: TimestampTZ, Precision: 9}, ""},
		{"VARIANT", Type{Kind: Variant}, "VARIANT"}, {"OBJECT", Type{Kind: Object}, "OBJECT"},
		{"ARRAY", Type{Kind: Array}, "ARRAY"}, {"GEOGRAPHY", Type{Kind: Geography}, "GEOGRAPHY"},
		{"GEOMETRY", Type{Kind: Geometry}, "GEOMETRY"},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
		}
		if tt.str != "" && got.String() != tt.str {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got.String(), tt.str)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"NUMBER(0)", "SQL compilation error: Unsupported data type 'NUMBER(0,0)'."},
		{"NUMBER(39,0)", "SQL compilation error: Unsupported data type 'NUMBER(39,0)'."},
		{"NUMBER(5,6)", "SQL compilation error: Scale 6 must be less or equal to precision 5"},
		{"NUMBER(38,38)", "SQL compilation error: Unsupported data type 'NUMBER(38,38)'."},
		{"VARCHAR(0)", "SQL compilation error: Unsupported data type 'VARCHAR(0)'."},
		{"VARCHAR(134217729)", "SQL compilation error: Unsupported data type 'VARCHAR(134217729)'."},
		{"BINARY(0)", "SQL compilation error: Unsupported data type 'BINARY(0)'."},
		{"BINARY(67108865)", "SQL compilation error: Unsupported data type 'BINARY(67108865)'."},
		{"TIME(10)", "SQL compilation error: Unsupported data type 'TIME(10)'."},
		{"TIMESTAMP_TZ(10)", "SQL compilation error: Unsupported data type 'TIMESTAMP_TZ(10)'."},
		{"INT(10)", "SQL compilation error: Unsupported data type 'INT(10)'."},
		{"FLOAT(5)", "SQL compilation error: Unsupported data type 'FLOAT(5)'."},
		{"NUMBER(1,2,3)", "SQL compilation error: Unsupported data type 'NUMBER(1,2,3)'."},
		{"NUMBER(a)", "SQL compilation error: Unsupported data type 'NUMBER(a)'."},
		{"VARCHAR(5", "SQL compilation error: Unsupported data type 'VARCHAR(5'."},
		{"BLOB", "SQL compilation error: Unsupported data type 'BLOB'."},
		{"", "SQL compilation error: Unsupported data type ''."},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q): no error", tt.in)
			continue
		}
		if diff := cmp.Diff(tt.msg, err.Error()); diff != "" {
			t.Errorf("Parse(%q) error (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestTypeNames(t *testing.T) {
	tests := []struct{ in, info, row, pg string }{
		{"NUMBER(19,0)", "NUMBER", "fixed", "numeric(19,0)"},
		{"FLOAT", "FLOAT", "real", "double precision"},
		{"VARCHAR(40)", "TEXT", "text", "varchar(40)"},
		{"STRING", "TEXT", "text", "text"},
		{"BINARY(8)", "BINARY", "binary", "bytea"},
		{"BOOLEAN", "BOOLEAN", "boolean", "boolean"},
		{"DATE", "DATE", "date", "date"},
		{"TIME(3)", "TIME", "time", "time(3)"},
		{"TIME", "TIME", "time", "time(6)"},
		{"TIMESTAMP_NTZ(9)", "TIMESTAMP_NTZ", "timestamp_ntz", "timestamp(6)"},
		{"TIMESTAMP_LTZ(0)", "TIMESTAMP_LTZ", "timestamp_ltz", "timestamptz(0)"},
		{"TIMESTAMP_TZ(6)", "TIMESTAMP_TZ", "timestamp_tz", "timestamptz(6)"},
		{"VARIANT", "VARIANT", "variant", "jsonb"},
		{"OBJECT", "OBJECT", "object", "jsonb"},
		{"ARRAY", "ARRAY", "array", "jsonb"},
		{"GEOGRAPHY", "GEOGRAPHY", "geography", "text"},
		{"GEOMETRY", "GEOMETRY", "geometry", "text"},
	}
	for _, tt := range tests {
		ty := MustParse(tt.in)
		got := []string{ty.InfoSchemaName(), ty.RowType(), ty.PGType()}
		if diff := cmp.Diff([]string{tt.info, tt.row, tt.pg}, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestCanWidenTo(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{"NUMBER(10,2)", "NUMBER(12,2)", true},
		{"NUMBER(10,2)", "NUMBER(12,3)", false},
		{"NUMBER(10,2)", "NUMBER(8,2)", false},
		{"VARCHAR(10)", "VARCHAR(20)", true},
		{"VARCHAR(20)", "VARCHAR(10)", false},
		{"VARCHAR(10)", "NUMBER(10,0)", false},
		{"TIMESTAMP_NTZ(6)", "TIMESTAMP_NTZ(9)", false},
		{"DATE", "DATE", true},
	}
	for _, tt := range tests {
		if got := MustParse(tt.from).CanWidenTo(MustParse(tt.to)); got != tt.want {
			t.Errorf("%s → %s = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}
