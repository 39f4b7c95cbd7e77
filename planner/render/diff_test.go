package render

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDDLDiff(t *testing.T) {
	tests := []struct {
		name, before, after, want string
	}{
		{"same", "CREATE TABLE t (\n  a INT\n);", "CREATE TABLE t (\n  a INT\n);", ""},
		{"added line", "CREATE TABLE t (\n  a INT\n);", "CREATE TABLE t (\n  a INT,\n  b INT\n);",
			"  CREATE TABLE t (\n-   a INT\n+   a INT,\n+   b INT\n  );\n"},
		{"from nothing", "", "CREATE STAGE s;", "+ CREATE STAGE s;\n"},
		{"changed type", "x NUMBER(12,2)\ny", "x FLOAT\ny", "- x NUMBER(12,2)\n+ x FLOAT\n  y\n"},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, DDLDiff(tt.before, tt.after)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}
