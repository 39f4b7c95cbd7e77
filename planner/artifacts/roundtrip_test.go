package artifacts

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/klauspost/compress/zstd"

	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// oneColumn adds the trap FIDELITY.md names: a one-column table whose
// NULL would be written as a blank line, next to an empty string.
const oneColumn = `CREATE TABLE one_col (v text); INSERT INTO one_col VALUES (NULL), (''), ('x'), (NULL);`

// TestRoundTripOnEmulator extracts every table of the all-types fixture
// with the generated COPY, loads the files with the generated file format
// into the generated tables, and compares row counts and the validation
// fingerprint computed on both sides: one decision drives all three.
func TestRoundTripOnEmulator(t *testing.T) {
	f := load(t, "alltypes_onecol", func(ctx context.Context, dsn string) error {
		if err := alltypes(ctx, dsn); err != nil {
			return err
		}
		return pgtest.ExecScript(ctx, dsn, oneColumn)
	})
	roundTripDatabase(t, f, allTypesFixes)
}

// TestChinookRoundTripOnEmulator covers DATE/TIMESTAMP_NTZ and NUMBER
// columns with thousands of rows.
func TestChinookRoundTripOnEmulator(t *testing.T) {
	roundTripDatabase(t, load(t, "chinook", pgtest.LoadChinook), typemap.Options{SourceName: "main"})
}

func roundTripDatabase(t *testing.T, f fixture, o typemap.Options) {
	ctx := context.Background()
	dsn := f.dsn
	m, err := typemap.Map(f.db, o)
	if err != nil {
		t.Fatal(err)
	}
	sfdb := openEmulator(t)
	for _, st := range m.Script(typemap.ScriptOptions{}).Statements() {
		if _, err := sfdb.ExecContext(ctx, st.SQL); err != nil {
			t.Fatalf("%s: %v", st.SQL, err)
		}
	}
	if _, err := sfdb.ExecContext(ctx, "ALTER SESSION SET TIMEZONE = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	pg, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	for _, s := range typemap.ExtractSession {
		if _, err := pg.Exec(ctx, "SELECT set_config($1, $2, false)", s.Name, s.Value); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	for _, s := range m.Schemas {
		for _, tb := range s.Tables {
			t.Run(tb.SourceName.String(), func(t *testing.T) {
				roundTrip(t, pg, sfdb, tb, dir)
			})
		}
	}
}

func roundTrip(t *testing.T, pg *pgx.Conn, sfdb *sql.DB, tb *typemap.Table, dir string) {
	ctx := context.Background()
	name := fmt.Sprintf("%s_%s", tb.Schema, tb.Target)
	name = strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
	path := filepath.Join(dir, name+".csv.zst")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw, _ := zstd.NewWriter(f, zstd.WithEncoderLevel(zstd.SpeedFastest))
	bw := bufio.NewWriterSize(zw, 256<<10)
	tag, err := pg.PgConn().CopyTo(ctx, bw, tb.CopyQuery(""))
	if err != nil {
		t.Fatalf("%v\n%s", err, tb.CopyQuery(""))
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	if _, err := sfdb.ExecContext(ctx, fmt.Sprintf(`PUT file://%s @"PGSNOW"."PGSNOW_STAGE"/%s AUTO_COMPRESS = FALSE OVERWRITE = TRUE`, path, name)); err != nil {
		t.Fatal(err)
	}
	var opts []string
	for _, o := range tb.FileFormatOptions("ZSTD") {
		opts = append(opts, o.Name+" = "+o.Value)
	}
	copyInto := fmt.Sprintf(`COPY INTO %s FROM @"PGSNOW"."PGSNOW_STAGE"/%s/ FILE_FORMAT = (%s) ON_ERROR = ABORT_STATEMENT`,
		ident.Qualified(tb.Schema, tb.Target), name, strings.Join(opts, " "))
	rows, err := sfdb.QueryContext(ctx, copyInto)
	if err != nil {
		t.Fatalf("COPY INTO failed: %v", err)
	}
	var loaded int64
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, c := range cols {
			if strings.EqualFold(c, "rows_loaded") {
				var n int64
				fmt.Sscan(vals[i].String, &n)
				loaded += n
			}
		}
	}
	rows.Close()
	if loaded != tag.RowsAffected() {
		t.Fatalf("rows_loaded %d, extracted %d", loaded, tag.RowsAffected())
	}

	from := typemap.PGIdent(tb.SourceName.Schema) + "." + typemap.PGIdent(tb.SourceName.Name)
	if tb.Only {
		from = "ONLY " + from
	}
	var pgCount int64
	var pgSum sql.NullString
	if err := pg.QueryRow(ctx, "SELECT count(*), sum("+tb.FingerprintPG()+")::text FROM "+from).Scan(&pgCount, &pgSum); err != nil {
		t.Fatalf("PostgreSQL fingerprint: %v", err)
	}
	var sfCount int64
	var sfSum sql.NullString
	q := "SELECT COUNT(*), TO_VARCHAR(SUM(" + tb.FingerprintSF() + ")) FROM " + ident.Qualified(tb.Schema, tb.Target)
	if err := sfdb.QueryRowContext(ctx, q).Scan(&sfCount, &sfSum); err != nil {
		t.Errorf("Snowflake fingerprint: %v", err)
	}
	if pgCount != sfCount || pgSum != sfSum {
		t.Errorf("PostgreSQL %d rows, fingerprint %v; Snowflake %d rows, fingerprint %v", pgCount, pgSum, sfCount, sfSum)
		for _, d := range tb.Columns {
			if d.Check.Mode != typemap.CheckHash {
				continue
			}
			diffColumn(t, pg, sfdb, tb, d, from)
		}
	}
}

// diffColumn prints per-row canonical text on both sides for one column
// when fingerprints differ, so the failing rule is visible.
func diffColumn(t *testing.T, pg *pgx.Conn, sfdb *sql.DB, tb *typemap.Table, d *typemap.Decision, from string) {
	ctx := context.Background()
	pgRows, err := pg.Query(ctx, "SELECT ("+d.Check.PG+") FROM "+from+" ORDER BY 1")
	if err != nil {
		t.Errorf("%s PG: %v", d.Column, err)
		return
	}
	var pv []string
	for pgRows.Next() {
		var v sql.NullString
		_ = pgRows.Scan(&v)
		pv = append(pv, fmt.Sprintf("%v:%q", v.Valid, v.String))
	}
	pgRows.Close()
	sfRows, err := sfdb.QueryContext(ctx, "SELECT ("+d.Check.SF+") FROM "+ident.Qualified(tb.Schema, tb.Target)+" ORDER BY 1")
	if err != nil {
		t.Errorf("column %s: Snowflake canonical expression %s: %v", d.Column, d.Check.SF, firstLine(err.Error()))
		return
	}
	var sv []string
	for sfRows.Next() {
		var v sql.NullString
		_ = sfRows.Scan(&v)
		sv = append(sv, fmt.Sprintf("%v:%q", v.Valid, v.String))
	}
	sfRows.Close()
	if strings.Join(pv, ",") != strings.Join(sv, ",") {
		t.Errorf("column %s (%s → %s):\n PG %v\n SF %v", d.Column, d.SourceType, d.Type, pv, sv)
	}
}

func firstLine(s string) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[:min(2, len(lines))], " ")
}

// TestExtensionTypesRoundTripOnEmulator covers citext and hstore (the
// fixture's extension part; both ship with PostgreSQL's contrib).
func TestExtensionTypesRoundTripOnEmulator(t *testing.T) {
	f := load(t, "extensions", func(ctx context.Context, dsn string) error {
		sql, err := os.ReadFile("../../providers/postgres/testdata/alltypes_extensions.sql")
		if err != nil {
			return err
		}
		return pgtest.ExecScript(ctx, dsn, string(sql))
	})
	// The fixture's foreign table points at a server that is never up:
	// it is introspected, not scanned, so it is left out here.
	local := *f.db
	local.Schemas = nil
	var got []string
	for _, sc := range f.db.Schemas {
		cp := *sc
		cp.Tables = nil
		for _, tb := range sc.Tables {
			if tb.Kind == catalog.TableForeign {
				continue
			}
			cp.Tables = append(cp.Tables, tb)
			for _, c := range tb.Columns {
				got = append(got, tb.Name+"."+c.Name+":"+c.Type.Name)
			}
		}
		local.Schemas = append(local.Schemas, &cp)
	}
	if strings.Join(got, " ") != "tagged.id:int4 tagged.email:citext tagged.attrs:hstore" {
		t.Fatalf("fixture columns %v", got)
	}
	f.db = &local
	roundTripDatabase(t, f, typemap.Options{SourceName: "main"})
}
