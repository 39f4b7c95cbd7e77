package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/internal/units"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

func base(name string) *catalog.Type {
	return &catalog.Type{Declared: name, Schema: "pg_catalog", Name: name, Kind: catalog.KindBase}
}

func pk(cols ...string) *catalog.Constraint {
	return &catalog.Constraint{Name: "pk", Kind: catalog.ConstraintPrimaryKey, Columns: cols}
}

// codes returns "severity code object" for each finding.
func codes(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+" "+f.Code+" "+f.Object)
	}
	return out
}

func TestAssess(t *testing.T) {
	sized := func(n int64) *catalog.ColumnProfile {
		return &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: n}}
	}
	tests := []struct {
		name  string
		table *catalog.Table
		opts  Options
		want  []string
	}{
		{"clean table", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"),
			Columns: []*catalog.Column{{Name: "id", Type: base("int4")}}}, Options{}, nil},
		{"large values", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"), Columns: []*catalog.Column{
			{Name: "id", Type: base("int4")},
			{Name: "big", Type: base("text"), Profile: sized(20 << 20)},
			{Name: "huge", Type: base("text"), Profile: sized(200 << 20)},
			{Name: "blob", Type: base("bytea"), Profile: sized(9 << 20)},
			{Name: "ok", Type: base("bytea"), Profile: sized(8 << 20)},
		}}, Options{}, []string{
			"error value_too_large s.t.huge",
			"warning value_large s.t.big",
			"warning value_large s.t.blob",
		}},
		{"collisions upper and preserve", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"), Columns: []*catalog.Column{
			{Name: "id", Type: base("int4")}, {Name: "ID", Type: base("int4")}, {Name: "Id", Type: base("int4")},
		}}, Options{}, []string{"error identifier_collision s.t"}},
		{"no collision when preserving case", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"), Columns: []*catalog.Column{
			{Name: "id", Type: base("int4")}, {Name: "ID", Type: base("int4")},
		}}, Options{CaseMode: ident.Preserve}, nil},
		{"reserved only when it becomes the keyword", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"), Columns: []*catalog.Column{
			{Name: "id", Type: base("int4")}, {Name: "select", Type: base("int4")}, {Name: "Select", Type: base("int4")},
		}}, Options{}, []string{"warning reserved_identifier s.t.select"}},
		{"sampled and skipped profiles", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"),
			Profile: &catalog.TableProfile{Method: catalog.ProfileSample, SamplePercent: 5, RowsScanned: 10},
			Columns: []*catalog.Column{{Name: "id", Type: base("int4")}, {Name: "n", Type: base("numeric"), Profile: &catalog.ColumnProfile{}}}},
			Options{}, []string{"info profile_sampled s.t"}},
		{"skipped profile without risky columns says nothing", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"),
			Profile: &catalog.TableProfile{Method: catalog.ProfileSkipped, Reason: "profile = false in the spec"},
			Columns: []*catalog.Column{{Name: "id", Type: base("int4")}}}, Options{}, nil},
		{"unknown and extension types", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"), Columns: []*catalog.Column{
			{Name: "id", Type: base("int4")},
			{Name: "path", Type: &catalog.Type{Declared: "ltree", Schema: "public", Name: "ltree", Kind: catalog.KindBase, Extension: "ltree"}},
			{Name: "email", Type: &catalog.Type{Declared: "citext", Schema: "public", Name: "citext", Kind: catalog.KindBase, Extension: "citext"}},
		}}, Options{}, []string{"error type_unknown s.t.path", "info type_citext s.t.email"}},
		{"wide foreign table", func() *catalog.Table {
			tb := &catalog.Table{Schema: "s", Name: "f", Kind: catalog.TableForeign}
			for i := 0; i < 501; i++ {
				tb.Columns = append(tb.Columns, &catalog.Column{Name: "c" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Type: base("int4")})
			}
			return tb
		}(), Options{}, []string{"warning foreign_table s.f", "warning wide_table s.f"}},
		{"numeric fits when declared", &catalog.Table{Schema: "s", Name: "t", PrimaryKey: pk("id"), Columns: []*catalog.Column{
			{Name: "id", Type: base("int4")},
			{Name: "wide", Type: base("numeric"), Profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 30, MaxScale: 9}}},
			{Name: "fits", Type: base("numeric"), Profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 30, MaxScale: 8}}},
		}}, Options{}, []string{"error value_numeric_too_wide s.t.wide"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := &catalog.Database{Name: "db", Schemas: []*catalog.Schema{{Name: "s", Tables: []*catalog.Table{tt.table}}}}
			got := codes(Assess("src", db, tt.opts))
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("findings (-want +got):\n%s", d)
			}
		})
	}
}

func TestPartitionWithoutParent(t *testing.T) {
	part := &catalog.Table{Schema: "s", Name: "p1", PrimaryKey: pk("id"), PartitionOf: &catalog.QualifiedName{Schema: "s", Name: "parent"},
		Columns: []*catalog.Column{{Name: "id", Type: base("int4")}}}
	db := &catalog.Database{Name: "db", Schemas: []*catalog.Schema{{Name: "s", Tables: []*catalog.Table{part}}}}
	if d := cmp.Diff([]string{"warning partition_without_parent s.p1"}, codes(Assess("src", db, Options{}))); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestBytesText(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 16 << 20: "16.0 MiB", 3 << 30: "3.0 GiB"} {
		if got := units.Bytes(n); got != want {
			t.Errorf("units.Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
