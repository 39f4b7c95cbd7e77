package verify

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/state"
)

func s(v string) *string { return &v }

// row is a query row written as strings, "NULL" for NULL.
func row(vals ...string) []*string {
	out := make([]*string, len(vals))
	for i, v := range vals {
		if v != "NULL" {
			out[i] = s(v)
		}
	}
	return out
}

var cols = []Column{{Name: "x", Mode: typemap.CheckAggregate}, {Name: "doc", Mode: typemap.CheckCount}}

func TestCompare(t *testing.T) {
	// PostgreSQL's and Snowflake's spellings of the same values.
	pgRow := row("1000", "576460752303423487000", "998", "2", "-2.5e+300", "Infinity", "0.30000000000000004", "0.6", "900")
	tests := []struct {
		name string
		sf   []*string
		want []Mismatch
	}{
		{"same values, other spellings", row("1000", "576460752303423487000", "998", "2", "-2.5e+300", "inf", "0.30000000000000004", "0.6", "900"), nil},
		{"sum rounded differently", row("1000", "576460752303423487000", "998", "2", "-2.5e+300", "inf", "0.3", "0.6", "900"), nil},
		{"row missing", row("999", "576460752303423486001", "998", "2", "-2.5e+300", "inf", "0.30000000000000004", "0.6", "900"), []Mismatch{
			{Check: "row count", Postgres: "1000", Snowflake: "999"},
			{Check: "fingerprint", Postgres: "576460752303423487000", Snowflake: "576460752303423486001"},
		}},
		{"float changed", row("1000", "576460752303423487000", "997", "3", "-2.4e+300", "1", "1.3", "1.6", "899"), []Mismatch{
			{Check: "non-NULL count", Column: "x", Postgres: "998", Snowflake: "997"},
			{Check: "NaN count", Column: "x", Postgres: "2", Snowflake: "3"},
			{Check: "min", Column: "x", Postgres: "-2.5e+300", Snowflake: "-2.4e+300"},
			{Check: "max", Column: "x", Postgres: "Infinity", Snowflake: "1"},
			{Check: "sum", Column: "x", Postgres: "0.30000000000000004", Snowflake: "1.3", Detail: "differ by 1, more than the rounding bound 3.55e-13"},
			{Check: "non-NULL count", Column: "doc", Postgres: "900", Snowflake: "899"},
		}},
		{"all NULL on one side", row("1000", "576460752303423487000", "998", "2", "NULL", "NULL", "NULL", "NULL", "900"), []Mismatch{
			{Check: "min", Column: "x", Postgres: "-2.5e+300", Snowflake: "NULL"},
			{Check: "max", Column: "x", Postgres: "Infinity", Snowflake: "NULL"},
			{Check: "sum", Column: "x", Postgres: "0.30000000000000004", Snowflake: "NULL"},
		}},
	}
	pg, err := Parse(cols, pgRow)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sf, err := Parse(cols, tt.sf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, Compare(pg, sf)); diff != "" {
				t.Errorf("Compare (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, tt := range []struct {
		vals []*string
		want string
	}{
		{row("1", "2"), "returned 2 values, want 9"},
		{row("x", "0", "0", "0", "NULL", "NULL", "NULL", "NULL", "0"), `row count: "x" is not an integer`},
		{row("1", "NULL", "0", "0", "NULL", "NULL", "NULL", "NULL", "0"), "fingerprint is NULL"},
		{row("1", "1.5", "0", "0", "NULL", "NULL", "NULL", "NULL", "0"), `fingerprint "1.5" is not an integer`},
		{row("1", "0", "1", "0", "one", "NULL", "NULL", "NULL", "0"), `x: "one" is not a number`},
	} {
		if _, err := Parse(cols, tt.vals); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%v) = %v, want %q", tt.vals, err, tt.want)
		}
	}
}

func TestResultFinish(t *testing.T) {
	r := Result{Tables: []Table{{Source: "b", Status: StatusMismatch}, {Source: "a", Status: StatusMatch}, {Source: "c", Status: StatusNotLoaded}, {Source: "d", Status: StatusError}}}
	r.Finish()
	if diff := cmp.Diff(Summary{Tables: 4, Matched: 1, Mismatched: 1, NotLoaded: 1, Errors: 1}, r.Summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if r.Tables[0].Source != "a" || r.OK() {
		t.Errorf("not sorted or OK: %+v", r)
	}
}

func TestCompareColumns(t *testing.T) {
	got := CompareColumns([]string{"id", "name", "note"}, row("10", "20", "30"), row("10", "21", "NULL"))
	want := []Mismatch{
		{Check: "fingerprint", Column: "name", Postgres: "20", Snowflake: "21"},
		{Check: "fingerprint", Column: "note", Postgres: "30", Snowflake: "NULL"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CompareColumns (-want +got):\n%s", diff)
	}
}

func TestMappingChanged(t *testing.T) {
	tb := &typemap.Table{Columns: []*typemap.Decision{
		{Target: "ID", Type: sftype.Type{Name: "NUMBER", Precision: 10}},
		{Target: "NAME", Type: sftype.Type{Name: "VARCHAR", Length: 200}},
	}}
	same := &state.Object{Columns: []state.Column{{Name: "ID", Type: "NUMBER(10,0)"}, {Name: "NAME", Type: "VARCHAR(200)"}}}
	if got := MappingChanged(same, tb); got != "" || MappingChanged(nil, tb) != "" {
		t.Errorf("unchanged mapping reported: %q", got)
	}
	was := &state.Object{Columns: []state.Column{{Name: "ID", Type: "NUMBER(10,0)"}, {Name: "NAME", Type: "VARCHAR(120)"}}}
	if diff := cmp.Diff("created as ID NUMBER(10,0), NAME VARCHAR(120), mapped now as ID NUMBER(10,0), NAME VARCHAR(200)", MappingChanged(was, tb)); diff != "" {
		t.Errorf("MappingChanged (-want +got):\n%s", diff)
	}
}
