package postgres

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

// TestInspectAllTypes checks the structural facts of testdata/alltypes.sql
// that the type mapping and the planner rely on.
func TestInspectAllTypes(t *testing.T) {
	src := mustSource(t, loadFixture(t))
	db, err := src.Inspect(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tbl := func(name string) *catalog.Table {
		t.Helper()
		x := db.Table("public", name)
		if x == nil {
			t.Fatalf("table public.%s missing", name)
		}
		return x
	}
	col := func(table, name string) *catalog.Column {
		t.Helper()
		c := tbl(table).Column(name)
		if c == nil {
			t.Fatalf("column %s.%s missing", table, name)
		}
		return c
	}
	ip := func(v int) *int { return &v }

	// Modifiers, arrays, ranges.
	checks := []struct {
		name      string
		got, want any
	}{
		{"numeric(50,10)", col("all_scalars", "c_numeric_50_10").Type.Precision, ip(50)},
		{"numeric without precision", col("all_scalars", "c_numeric").Type.Precision, (*int)(nil)},
		{"timestamp(3)", col("all_scalars", "c_timestamp_3").Type.TimePrecision, ip(3)},
		{"interval fields", col("all_scalars", "c_interval_ds").Type.IntervalFields, "DAY TO SECOND"},
		{"char(5)", col("all_scalars", "c_char_5").Type.Length, ip(5)},
		{"2-D array dims", col("all_scalars", "c_text_2d").Type.Dims, 2},
		{"array element", col("all_scalars", "c_text_2d").Type.Element.Name, "text"},
		{"range subtype", col("all_scalars", "c_tstzrange").Type.RangeSubtype.Name, "timestamptz"},
		{"multirange kind", col("all_scalars", "c_int4multirange").Type.Kind, catalog.KindMultirange},
		{"money", col("all_scalars", "c_money").Type.Name, "money"},
		// Enums, domains, composites.
		{"enum labels", col("typed_things", "feeling").Type.EnumLabels, []string{"sad", "ok", "happy"}},
		{"enum default", col("typed_things", "feeling").Default, "'ok'::mood"},
		{"array of enum", col("typed_things", "feelings").Type.Element.Kind, catalog.KindEnum},
		{"domain base", col("typed_things", "amount").Type.Domain.Base.Declared, "numeric(12,2)"},
		{"domain not null", col("typed_things", "amount").Type.Domain.NotNull, true},
		{"domain check", col("typed_things", "amount").Type.Domain.Checks, []catalog.Check{{Name: "positive_amount_check", Expression: "CHECK ((VALUE > (0)::numeric))"}}},
		{"domain over array resolves", col("typed_things", "numbers").Type.Resolved().Kind, catalog.KindArray},
		{"composite fields", fieldNames(col("typed_things", "home").Type), []string{"street", "city", "zip"}},
		{"composite field domain", col("typed_things", "home").Type.Fields[2].Type.Kind, catalog.KindDomain},
		// Identity, generated, serial, defaults.
		{"identity", col("people", "id").Identity, catalog.IdentityAlways},
		{"identity sequence", col("people", "id").Sequence, &catalog.QualifiedName{Schema: "public", Name: "people_id_seq"}},
		{"generated", col("people", "full_name").Generated, catalog.GeneratedStored},
		{"generation expression", col("people", "full_name").GenerationExpression, "((first_name || ' '::text) || last_name)"},
		{"generated has no default", col("people", "full_name").Default, ""},
		{"serial default", col("people", "badge").Default, "nextval('people_badge_seq'::regclass)"},
		{"column comment", col("people", "full_name").Comment, "generated from first_name and last_name"},
		// Partitions and inheritance.
		{"partitioned kind", tbl("measurements").Kind, catalog.TablePartitioned},
		{"partition key", tbl("measurements").PartitionKey, "RANGE (logdate)"},
		{"partition parent", tbl("measurements_2024").PartitionOf, &catalog.QualifiedName{Schema: "public", Name: "measurements"}},
		{"default partition", tbl("measurements_other").PartitionBound, "DEFAULT"},
		{"inherits", tbl("capitals").Inherits, []catalog.QualifiedName{{Schema: "public", Name: "cities"}}},
		{"has children", tbl("cities").HasInheritanceChildren, true},
		{"no pk", tbl("cities").PrimaryKey, (*catalog.Constraint)(nil)},
		{"unlogged", tbl("scratch").Unlogged, true},
		{"table comment", tbl("all_scalars").Comment, "one column per PostgreSQL type family"},
		// Constraints, rules, triggers.
		{"constraints", constraintNames(tbl("bookings")), []string{"bookings_no_overlap:exclusion", "bookings_price_check:check", "bookings_room_positive:check"}},
		{"rule", tbl("bookings").Rules[0].Name, "bookings_keep"},
		{"trigger", tbl("people").Triggers[0].Name, "people_touch"},
		{"fk action", tbl("orders").Constraints[0].OnDelete, "cascade"},
		// Quoted names are kept exactly.
		{"quoted columns", columnNames(db.Table("public", "Order")), []string{"Id", "select", "CamelCase", "from", "group"}},
		{"quoted schema", db.Table("Sales", "Region Totals") != nil, true},
		{"wide table", len(tbl("wide_table").Columns), 521},
	}
	for _, c := range checks {
		if d := cmp.Diff(c.want, c.got); d != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, d)
		}
	}

	pub := db.Schema("public")
	var views []string
	for _, v := range pub.Views {
		views = append(views, v.Name+":"+string(v.Kind))
	}
	if d := cmp.Diff([]string{"measurement_totals:materialized_view", "people_names:view"}, views); d != "" {
		t.Errorf("views (-want +got):\n%s", d)
	}
	seqs := map[string]*catalog.Sequence{}
	for _, s := range pub.Sequences {
		seqs[s.Name] = s
	}
	inv := seqs["invoice_numbers"]
	if inv == nil || inv.Start != 1000 || inv.Increment != 10 || inv.OwnedBy != nil {
		t.Errorf("invoice_numbers = %+v", inv)
	}
	if s := seqs["people_id_seq"]; s == nil || !s.Identity || s.LastValue == nil || *s.LastValue != 2 {
		t.Errorf("people_id_seq = %+v", s)
	}
	if len(pub.Enums) != 1 || len(pub.Domains) != 3 || len(pub.Composites) != 2 || len(pub.Routines) != 1 {
		t.Errorf("user types: %d enums, %d domains, %d composites, %d routines; want 1, 3, 2, 1",
			len(pub.Enums), len(pub.Domains), len(pub.Composites), len(pub.Routines))
	}
}

// TestInspectExtensionTypes covers citext, hstore and a foreign table when
// the server has the extensions.
func TestInspectExtensionTypes(t *testing.T) {
	dsn := loadFixture(t)
	if !extensionsAvailable(t, dsn, "citext", "hstore", "postgres_fdw") {
		t.Skip("citext, hstore or postgres_fdw is not in pg_available_extensions on this server; extension types and foreign tables unchecked")
	}
	execFile(t, dsn, "testdata/alltypes_extensions.sql")
	src := mustSource(t, dsn)
	ctx := context.Background()
	db, err := src.Inspect(ctx, Options{Filter: Filter{Schemas: []string{"exttypes"}}})
	if err != nil {
		t.Fatal(err)
	}
	tb := db.Table("exttypes", "tagged")
	if tb == nil {
		t.Fatal("exttypes.tagged missing")
	}
	if got := tb.Column("email").Type; got.Extension != "citext" || got.Name != "citext" {
		t.Errorf("email type = %+v, want citext from extension citext", got)
	}
	if got := tb.Column("attrs").Type; got.Extension != "hstore" {
		t.Errorf("attrs type = %+v, want hstore from extension hstore", got)
	}
	if err := src.Profile(ctx, db, ProfileOptions{}); err != nil {
		t.Fatal(err)
	}
	if p := tb.Column("email").Profile; p == nil || p.Size == nil || p.Size.MaxOctetLength != 15 {
		t.Errorf("email profile = %+v, want max octet length 15", p)
	}
	ft := db.Table("exttypes", "remote_orders")
	if ft == nil || ft.Kind != catalog.TableForeign {
		t.Fatalf("remote_orders = %+v, want a foreign table", ft)
	}
	if ft.Profile == nil || ft.Profile.Method != catalog.ProfileSkipped {
		t.Errorf("foreign table profile = %+v, want skipped", ft.Profile)
	}
	if len(db.Schema("exttypes").Routines) != 0 {
		t.Error("extension functions listed as user routines")
	}
}

func fieldNames(t *catalog.Type) []string {
	var out []string
	for _, f := range t.Fields {
		out = append(out, f.Name)
	}
	return out
}

func columnNames(t *catalog.Table) []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Name)
	}
	return out
}

func constraintNames(t *catalog.Table) []string {
	var out []string
	for _, c := range t.Constraints {
		out = append(out, c.Name+":"+string(c.Kind))
	}
	return out
}
