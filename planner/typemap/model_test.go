package typemap

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

func i64(n int64) *int64 { return &n }

func table(schema, name string, cols ...*catalog.Column) *catalog.Table {
	for i, c := range cols {
		c.Position = i + 1
	}
	return &catalog.Table{Schema: schema, Name: name, Kind: catalog.TableRegular, Columns: cols, Profile: &catalog.TableProfile{Method: catalog.ProfileFull}}
}

func problems(err error) []string {
	var me *Error
	if !errors.As(err, &me) {
		return nil
	}
	var out []string
	for _, p := range me.Problems {
		out = append(out, p.Object+": "+p.Message)
	}
	return out
}

func TestIdentifiers(t *testing.T) {
	intT := pgType("int4", "integer")
	db := &catalog.Database{Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{
		table("public", "order", col("select", intT, nil), col("Mixed Case", intT, nil), col("x$1", intT, nil)),
	}}}}
	cases := []struct {
		mode  ident.CaseMode
		table string
		cols  []string
	}{
		{ident.Upper, "ORDER", []string{"SELECT", "Mixed Case", "X$1"}},
		{ident.Preserve, "order", []string{"select", "Mixed Case", "x$1"}},
	}
	for _, c := range cases {
		m, err := Map(db, Options{IdentifierCase: c.mode})
		if err != nil {
			t.Fatal(err)
		}
		tb := m.Schemas[0].Tables[0]
		var cols []string
		for _, d := range tb.Columns {
			cols = append(cols, d.Target)
		}
		if diff := cmp.Diff(c.cols, cols); diff != "" || tb.Target != c.table {
			t.Errorf("%s: table %q, columns (-want +got):\n%s", c.mode, tb.Target, diff)
		}
	}
}

func TestCollisions(t *testing.T) {
	intT := pgType("int4", "integer")
	db := &catalog.Database{Schemas: []*catalog.Schema{
		{Name: "public", Tables: []*catalog.Table{
			table("public", "a", col("id", intT, nil), col("ID", intT, nil)),
			table("public", "USERS", col("id", intT, nil)),
			table("public", "users", col("id", intT, nil)),
		}},
		{Name: "sales", Tables: []*catalog.Table{table("sales", "x", col("id", intT, nil))}},
	}}
	_, err := Map(db, Options{IdentifierCase: ident.Preserve})
	if got := problems(err); len(got) != 0 {
		t.Errorf("preserve: unexpected problems %v", got)
	}
	_, err = Map(db, Options{})
	want := []string{
		`public: tables/views "USERS" and "users" map to the same Snowflake name "USERS"; give one a target_name`,
		`public.a: columns "ID" and "id" map to the same Snowflake name "ID"; give one a target_name`,
	}
	if diff := cmp.Diff(want, problems(err)); diff != "" {
		t.Errorf("upper (-want +got):\n%s", diff)
	}
	// target_name resolves it; schema_map onto an existing schema collides.
	_, err = Map(db, Options{SchemaMap: map[string]string{"sales": "public"}, Tables: []TableOverride{
		{Schema: "public", Table: "USERS", TargetName: "users_upper"},
		{Schema: "public", Table: "a", Columns: []ColumnOverride{{Column: "ID", TargetName: "id_upper"}}},
	}})
	want = []string{`schemas [public sales]: map to the same Snowflake schema "PUBLIC"; rename one with schema_map`}
	if diff := cmp.Diff(want, problems(err)); diff != "" {
		t.Errorf("renames (-want +got):\n%s", diff)
	}
}

func TestSchemaMap(t *testing.T) {
	db := &catalog.Database{Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{table("public", "t", col("id", pgType("int4", "integer"), nil))}}}}
	m, err := Map(db, Options{SchemaMap: map[string]string{"public": "analytics", "ghost": "x"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Note{{Object: "ghost", Text: "schema_map renames a schema that is not in the migrated set"}}, m.Notes); diff != "" {
		t.Error(diff)
	}
	if s := m.Schemas[0]; s.Target != "ANALYTICS" || s.Tables[0].Schema != "ANALYTICS" {
		t.Errorf("schema %q table schema %q", s.Target, s.Tables[0].Schema)
	}
}

func TestDefaultsSequencesPartitions(t *testing.T) {
	intT, tsT := pgType("int4", "integer"), pgType("timestamptz", "timestamp with time zone")
	id := col("id", intT, nil)
	id.Default, id.NotNull = "nextval('orders_id_seq'::regclass)", true
	id.Sequence = &catalog.QualifiedName{Schema: "public", Name: "orders_id_seq"}
	created := col("created", tsT, &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{}})
	created.Default = "now()"
	note := col("note", pgType("text", "text"), &catalog.ColumnProfile{Size: &catalog.SizeFacts{}})
	note.Default = "'it''s \\ new'::text"
	weird := col("weird", intT, nil)
	weird.Default = "(random() * 10)::integer"
	total := col("total", numericT(ip(10), ip(2)), &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{}})
	total.Generated, total.GenerationExpression = catalog.GeneratedStored, "(id * 2)"
	ident1 := col("n", pgType("int8", "bigint"), nil)
	ident1.Identity = catalog.IdentityAlways
	ident1.Sequence = &catalog.QualifiedName{Schema: "public", Name: "orders_n_seq"}
	orders := table("public", "orders", id, created, note, weird, total, ident1)
	orders.Kind = catalog.TablePartitioned
	orders.PrimaryKey = &catalog.Constraint{Name: "orders_pkey", Kind: catalog.ConstraintPrimaryKey, Columns: []string{"id"}}
	orders.Constraints = []catalog.Constraint{{Name: "positive", Kind: catalog.ConstraintCheck, Definition: "CHECK ((total > (0)::numeric))"}}
	p1 := table("public", "orders_2024", col("id", intT, nil))
	p1.PartitionOf = &catalog.QualifiedName{Schema: "public", Name: "orders"}
	db := &catalog.Database{Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{orders, p1},
		Sequences: []*catalog.Sequence{
			{Schema: "public", Name: "orders_id_seq", Start: 1, Increment: 1, LastValue: i64(41)},
			{Schema: "public", Name: "orders_n_seq", Start: 100, Increment: 5},
		}}}}
	m, err := Map(db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := m.Schemas[0]
	if len(s.Tables) != 1 || s.Tables[0].Only || len(s.Tables[0].Partitions) != 1 {
		t.Fatalf("partitioned parent: %+v", s.Tables)
	}
	got := map[string]string{}
	for _, d := range s.Tables[0].Columns {
		got[d.Column] = d.Default + " | " + d.Comment
	}
	want := map[string]string{
		"id":      `"PUBLIC"."ORDERS_ID_SEQ".NEXTVAL | `,
		"created": "CURRENT_TIMESTAMP() | ",
		"note":    `'it''s \\ new' | `,
		"weird":   " | ",
		"total":   " | generated in PostgreSQL: GENERATED ALWAYS AS ((id * 2)) STORED; stored values loaded",
		"n":       `"PUBLIC"."ORDERS_N_SEQ".NEXTVAL | `,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if s.Sequences[0].Start != 42 || s.Sequences[1].Start != 100 {
		t.Errorf("sequence starts %d %d, want 42 100", s.Sequences[0].Start, s.Sequences[1].Start)
	}
	var notes []string
	for _, n := range m.Notes {
		notes = append(notes, n.Object+": "+n.Text)
	}
	for _, w := range []string{
		"public.orders.weird: default (random() * 10)::integer dropped",
		"public.orders.positive: check constraint not created",
		"public.orders: partitioned: one Snowflake table; partitions [public.orders_2024]",
	} {
		if !strings.Contains(strings.Join(notes, "\n"), w) {
			t.Errorf("notes lack %q:\n%s", w, strings.Join(notes, "\n"))
		}
	}
	if q := s.Tables[0].CopyQuery(""); !strings.Contains(q, `FROM "public"."orders")`) {
		t.Errorf("partitioned parent must be read without ONLY: %s", q)
	}
}

func TestOneColumnTablePadsRecords(t *testing.T) {
	m, err := Map(oneTable(catalog.ProfileFull, col("c", pgType("int4", "integer"), nil)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb := m.Schemas[0].Tables[0]
	want := `COPY (SELECT "c", NULL FROM ONLY "public"."t") TO STDOUT (FORMAT csv)`
	if diff := cmp.Diff(want, tb.CopyQuery("")); diff != "" {
		t.Error(diff)
	}
	for _, o := range tb.FileFormatOptions("ZSTD") {
		if o.Name == "ERROR_ON_COLUMN_COUNT_MISMATCH" && o.Value != "FALSE" {
			t.Errorf("one-column table loads with %s = %s", o.Name, o.Value)
		}
	}
}

func TestViews(t *testing.T) {
	intT := pgType("int4", "integer")
	db := &catalog.Database{Schemas: []*catalog.Schema{{Name: "public",
		Tables: []*catalog.Table{table("public", "album", col("album_id", intT, nil), col("title", pgType("text", "text"), nil))},
		Views: []*catalog.View{
			{Schema: "public", Name: "long_titles", Kind: catalog.ViewPlain, Definition: " SELECT a.album_id,\n    a.title AS \"Title\"\n   FROM public.album a\n  WHERE (length((a.title)::text) > 10) AND a.title ~~ 'The%'::text;"},
			{Schema: "public", Name: "ratio", Kind: catalog.ViewPlain, Definition: " SELECT (album_id / 2) AS half\n   FROM album;"},
			{Schema: "public", Name: "plain", Kind: catalog.ViewPlain, Definition: " SELECT x.album_id, y.title\n   FROM album x,\n    album y\n  WHERE (x.album_id = y.album_id);"},
			{Schema: "public", Name: "fancy", Kind: catalog.ViewPlain, Definition: " SELECT regexp_replace(title, 'a', 'b') AS t\n   FROM album;"},
		}}}}
	m, err := Map(db, Options{SchemaMap: map[string]string{"public": "music"}})
	if err != nil {
		t.Fatal(err)
	}
	vs := m.Schemas[0].Views
	if len(vs) != 2 {
		t.Fatalf("views %+v", vs)
	}
	if want := `SELECT "X"."ALBUM_ID", "Y"."TITLE" FROM "MUSIC"."ALBUM" "X", "MUSIC"."ALBUM" "Y" WHERE ("X"."ALBUM_ID" = "Y"."ALBUM_ID")`; vs[1].Query != want {
		t.Errorf("plain view:\n got %s\nwant %s", vs[1].Query, want)
	}
	want := `SELECT "A"."ALBUM_ID", "A"."TITLE" AS "Title" FROM "MUSIC"."ALBUM" "A" WHERE (LENGTH(("A"."TITLE")::VARCHAR) > 10) AND "A"."TITLE" LIKE 'The%'::VARCHAR`
	if diff := cmp.Diff(want, vs[0].Query); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var notes []string
	for _, n := range m.Notes {
		notes = append(notes, n.Object+": "+n.Text)
	}
	wantNotes := []string{
		"public.fancy: view not created: function regexp_replace() has no checked Snowflake equivalent",
		"public.ratio: view not created: operator / has no checked Snowflake equivalent",
	}
	if diff := cmp.Diff(wantNotes, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestConstraintNamesUniquePerSchema(t *testing.T) {
	intT := pgType("int4", "integer")
	fk := func(tbl string) catalog.Constraint {
		return catalog.Constraint{Name: "fk_owner", Kind: catalog.ConstraintForeignKey, Columns: []string{"owner"},
			References: &catalog.QualifiedName{Schema: "public", Name: "owner"}, ReferencedColumns: []string{"id"}}
	}
	owner := table("public", "owner", col("id", intT, nil))
	owner.PrimaryKey = &catalog.Constraint{Name: "owner_pkey", Kind: catalog.ConstraintPrimaryKey, Columns: []string{"id"}}
	a := table("public", "a", col("owner", intT, nil))
	a.Constraints = []catalog.Constraint{fk("a")}
	b := table("public", "b", col("owner", intT, nil))
	b.Constraints = []catalog.Constraint{fk("b")}
	m, err := Map(&catalog.Database{Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{a, b, owner}}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tb := range m.Schemas[0].Tables {
		for _, c := range tb.Constraints {
			got = append(got, tb.Target+":"+c.Name+"->"+c.RefTable)
		}
	}
	if diff := cmp.Diff([]string{"A:FK_OWNER->OWNER", "B:B_FK_OWNER->OWNER", "OWNER:OWNER_PKEY->"}, got); diff != "" {
		t.Error(diff)
	}
}

func TestForeignKeyNeedsKeyedTarget(t *testing.T) {
	intT := pgType("int4", "integer")
	ref := table("public", "ref", col("code", intT, nil)) // unique index only: no constraint in the catalog
	a := table("public", "a", col("code", intT, nil))
	a.Constraints = []catalog.Constraint{{Name: "a_code_fkey", Kind: catalog.ConstraintForeignKey, Columns: []string{"code"},
		References: &catalog.QualifiedName{Schema: "public", Name: "ref"}, ReferencedColumns: []string{"code"}}}
	m, err := Map(&catalog.Database{Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{a, ref}}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := m.Schemas[0].Tables[0].Constraints; len(c) != 0 {
		t.Errorf("constraints %+v", c)
	}
	if len(m.Notes) != 1 || !strings.Contains(m.Notes[0].Text, "foreign key A_CODE_FKEY not created") {
		t.Errorf("notes %+v", m.Notes)
	}
}
