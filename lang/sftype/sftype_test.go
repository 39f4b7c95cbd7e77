package sftype

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"NUMBER(18,2)", "NUMBER(18,2)"},
		{"number( 18 , 2 )", "NUMBER(18,2)"},
		{"NUMBER", "NUMBER(38,0)"},
		{"decimal(10)", "NUMBER(10,0)"},
		{"NUMERIC(38,37)", "NUMBER(38,37)"},
		{"BIGINT", "NUMBER(38,0)"},
		{"int", "NUMBER(38,0)"},
		{"DOUBLE PRECISION", "FLOAT"},
		{"double  precision", "FLOAT"},
		{"REAL", "FLOAT"},
		{"VARCHAR", "VARCHAR(16777216)"},
		{"VARCHAR(134217728)", "VARCHAR(134217728)"},
		{"text", "VARCHAR(16777216)"},
		{"CHAR", "VARCHAR(1)"},
		{"CHAR VARYING(20)", "VARCHAR(20)"},
		{"BINARY(16)", "BINARY(16)"},
		{"VARBINARY", "BINARY(8388608)"},
		{"BOOLEAN", "BOOLEAN"},
		{"DATE", "DATE"},
		{"TIME", "TIME(9)"},
		{"TIME(0)", "TIME(0)"},
		{"TIMESTAMP", "TIMESTAMP_NTZ(9)"},
		{"DATETIME", "TIMESTAMP_NTZ(9)"},
		{"timestamp_ltz(6)", "TIMESTAMP_LTZ(6)"},
		{"TIMESTAMP WITH TIME ZONE(3)", "TIMESTAMP_TZ(3)"},
		{"TIMESTAMPTZ", "TIMESTAMP_TZ(9)"},
		{"VARIANT", "VARIANT"},
		{"OBJECT", "OBJECT"},
		{"ARRAY", "ARRAY"},
		{"GEOGRAPHY", "GEOGRAPHY"},
		{"GEOMETRY", "GEOMETRY"},
		{"VECTOR(FLOAT, 256)", "VECTOR(FLOAT,256)"},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got.String()); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "empty type"},
		{"NUMBER(39,2)", "precision 39 out of range 1..38"},
		{"NUMBER(0)", "precision 0 out of range"},
		{"NUMBER(10,11)", "scale 11 out of range 0..10"},
		{"NUMBER(38,38)", "scale 38 out of range 0..37"},
		{"NUMBER(10,-1)", "not a non-negative integer"},
		{"NUMBER(1,2,3)", "takes (precision)"},
		{"NUMBER()", "not a non-negative integer"},
		{"VARCHAR(0)", "length 0 out of range"},
		{"VARCHAR(134217729)", "out of range"},
		{"VARCHAR(99999999999999999999999)", "too large"},
		{"BINARY(67108865)", "out of range"},
		{"TIME(10)", "precision 10 out of range 0..9"},
		{"TIMESTAMP_TZ(x)", "not a non-negative integer"},
		{"INT(10)", "takes no parameters"},
		{"FLOAT(2)", "takes no parameters"},
		{"BOOLEAN(1)", "takes no parameters"},
		{"NUMBER(18,2", "unbalanced"},
		{"NUMBER18,2)", "unbalanced"},
		{"ARRAY(INT)", "takes no parameters"},
		{"MONEY", `unknown Snowflake type "MONEY"`},
		{"(1)", "missing type name"},
		{"VECTOR(TEXT, 3)", "INT or FLOAT"},
		{"VECTOR(INT, 5000)", "out of range"},
		{"VECTOR", "VECTOR takes"},
	}
	for _, tc := range tests {
		_, err := Parse(tc.in)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %q", tc.in, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %q, want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for name := range aliases {
		ty, err := Parse(name)
		if err != nil {
			if name == "VECTOR" {
				continue
			}
			t.Fatalf("Parse(%q): %v", name, err)
		}
		again, err := Parse(ty.String())
		if err != nil {
			t.Fatalf("Parse(%q) of canonical form: %v", ty.String(), err)
		}
		if diff := cmp.Diff(ty, again); diff != "" {
			t.Errorf("round trip of %q (-first +second):\n%s", name, diff)
		}
	}
}
