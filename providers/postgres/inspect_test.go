package postgres

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) { pgtest.Main(m) }

func mustSource(t testing.TB, dsn string) *Source {
	t.Helper()
	s, err := NewSource("test", dsn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestInspectChinook(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	if err := pgtest.LoadChinook(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	db, err := mustSource(t, dsn).Inspect(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range db.AllTables() {
		names = append(names, tb.QualifiedName().String())
	}
	wantNames := []string{"public.album", "public.artist", "public.customer", "public.employee", "public.genre",
		"public.invoice", "public.invoice_line", "public.media_type", "public.playlist", "public.playlist_track", "public.track"}
	if d := cmp.Diff(wantNames, names); d != "" {
		t.Fatalf("tables (-want +got):\n%s", d)
	}
	if db.ServerVersionNum < MinServerVersion || db.Name == "" {
		t.Errorf("server facts: %q %d %q", db.ServerVersion, db.ServerVersionNum, db.Name)
	}

	integer := func() *catalog.Type {
		return &catalog.Type{Declared: "integer", Schema: "pg_catalog", Name: "int4", Kind: catalog.KindBase, Category: catalog.CategoryNumeric}
	}
	varchar := func(n int) *catalog.Type {
		return &catalog.Type{Declared: fmt.Sprintf("character varying(%d)", n), Schema: "pg_catalog", Name: "varchar",
			Kind: catalog.KindBase, Category: catalog.CategoryString, Length: &n}
	}
	p, s := 10, 2
	numeric := &catalog.Type{Declared: "numeric(10,2)", Schema: "pg_catalog", Name: "numeric", Kind: catalog.KindBase,
		Category: catalog.CategoryNumeric, Precision: &p, Scale: &s}
	fk := func(name, col, refTable, refCol string) catalog.Constraint {
		return catalog.Constraint{Name: name, Kind: catalog.ConstraintForeignKey, Columns: []string{col},
			Definition: fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s(%s)", col, refTable, refCol),
			References: &catalog.QualifiedName{Schema: "public", Name: refTable}, ReferencedColumns: []string{refCol},
			OnUpdate: "no action", OnDelete: "no action", MatchType: "simple"}
	}
	index := func(name string, cols ...string) catalog.Index {
		return catalog.Index{Name: name, Method: "btree", Columns: cols, Valid: true}
	}
	tests := []struct {
		table string
		want  *catalog.Table
	}{
		{"album", &catalog.Table{
			Schema: "public", Name: "album", Kind: catalog.TableRegular,
			Columns: []*catalog.Column{
				{Name: "album_id", Position: 1, Type: integer(), NotNull: true},
				{Name: "title", Position: 2, Type: varchar(160), NotNull: true},
				{Name: "artist_id", Position: 3, Type: integer(), NotNull: true},
			},
			PrimaryKey:  &catalog.Constraint{Name: "album_pkey", Kind: catalog.ConstraintPrimaryKey, Columns: []string{"album_id"}, Definition: "PRIMARY KEY (album_id)"},
			Constraints: []catalog.Constraint{fk("album_artist_id_fkey", "artist_id", "artist", "artist_id")},
			Indexes: []catalog.Index{
				index("album_artist_id_idx", "artist_id"),
				{Name: "album_pkey", Method: "btree", Unique: true, Primary: true, Columns: []string{"album_id"}, Constraint: "album_pkey", Valid: true},
			},
		}},
		{"playlist_track", &catalog.Table{
			Schema: "public", Name: "playlist_track", Kind: catalog.TableRegular,
			Columns: []*catalog.Column{
				{Name: "playlist_id", Position: 1, Type: integer(), NotNull: true},
				{Name: "track_id", Position: 2, Type: integer(), NotNull: true},
			},
			PrimaryKey: &catalog.Constraint{Name: "playlist_track_pkey", Kind: catalog.ConstraintPrimaryKey,
				Columns: []string{"playlist_id", "track_id"}, Definition: "PRIMARY KEY (playlist_id, track_id)"},
			Constraints: []catalog.Constraint{
				fk("playlist_track_playlist_id_fkey", "playlist_id", "playlist", "playlist_id"),
				fk("playlist_track_track_id_fkey", "track_id", "track", "track_id"),
			},
			Indexes: []catalog.Index{
				{Name: "playlist_track_pkey", Method: "btree", Unique: true, Primary: true, Columns: []string{"playlist_id", "track_id"}, Constraint: "playlist_track_pkey", Valid: true},
				index("playlist_track_playlist_id_idx", "playlist_id"),
				index("playlist_track_track_id_idx", "track_id"),
			},
		}},
		{"invoice_line", &catalog.Table{
			Schema: "public", Name: "invoice_line", Kind: catalog.TableRegular,
			Columns: []*catalog.Column{
				{Name: "invoice_line_id", Position: 1, Type: integer(), NotNull: true},
				{Name: "invoice_id", Position: 2, Type: integer(), NotNull: true},
				{Name: "track_id", Position: 3, Type: integer(), NotNull: true},
				{Name: "unit_price", Position: 4, Type: numeric, NotNull: true},
				{Name: "quantity", Position: 5, Type: integer(), NotNull: true},
			},
			PrimaryKey: &catalog.Constraint{Name: "invoice_line_pkey", Kind: catalog.ConstraintPrimaryKey,
				Columns: []string{"invoice_line_id"}, Definition: "PRIMARY KEY (invoice_line_id)"},
			Constraints: []catalog.Constraint{
				fk("invoice_line_invoice_id_fkey", "invoice_id", "invoice", "invoice_id"),
				fk("invoice_line_track_id_fkey", "track_id", "track", "track_id"),
			},
			Indexes: []catalog.Index{
				index("invoice_line_invoice_id_idx", "invoice_id"),
				{Name: "invoice_line_pkey", Method: "btree", Unique: true, Primary: true, Columns: []string{"invoice_line_id"}, Constraint: "invoice_line_pkey", Valid: true},
				index("invoice_line_track_id_idx", "track_id"),
			},
		}},
	}
	// Volumetrics and index definitions vary; compared separately.
	ignore := cmpopts.IgnoreFields(catalog.Table{}, "Stats", "CanSelect")
	ignoreDef := cmpopts.IgnoreFields(catalog.Index{}, "Definition")
	for _, tt := range tests {
		got := db.Table("public", tt.table)
		if d := cmp.Diff(tt.want, got, ignore, ignoreDef); d != "" {
			t.Errorf("table %s (-want +got):\n%s", tt.table, d)
		}
		if got != nil && !got.CanSelect {
			t.Errorf("table %s: CanSelect = false for the owner", tt.table)
		}
	}
	if tr := db.Table("public", "track"); tr == nil || len(tr.Constraints) != 3 {
		t.Errorf("track: want 3 foreign keys, got %+v", tr)
	}
}

// TestInspectFilter: excluded tables never reach the catalog; a listed
// schema that does not exist is an error.
func TestInspectFilter(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	if err := pgtest.LoadChinook(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	src := mustSource(t, dsn)
	db, err := src.Inspect(ctx, Options{Filter: Filter{Schemas: []string{"public"}, Include: []string{"public.a*", "public.track"}, Exclude: []string{"public.album"}}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tb := range db.AllTables() {
		names = append(names, tb.Name)
	}
	if d := cmp.Diff([]string{"artist", "track"}, names); d != "" {
		t.Errorf("filtered tables (-want +got):\n%s", d)
	}
	// A foreign key to an excluded table still names its target.
	if fk := db.Table("public", "track").Constraints; len(fk) != 3 || fk[0].References == nil {
		t.Errorf("track foreign keys = %+v", fk)
	}
	_, err = src.Inspect(ctx, Options{Filter: Filter{Schemas: []string{"public", "nope"}}})
	if err == nil || !strings.Contains(err.Error(), `schema "nope" does not exist`) {
		t.Errorf("missing schema: err = %v", err)
	}
}
