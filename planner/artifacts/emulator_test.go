package artifacts

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sf "github.com/snowflakedb/gosnowflake"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// openEmulator starts the project's Snowflake emulator and returns a
// gosnowflake connection with database TESTDB current.
func openEmulator(t *testing.T) *sql.DB {
	t.Helper()
	_ = sf.GetLogger().SetLogLevel("fatal")
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: pgtest.NewDatabase(t), StageDir: t.TempDir(),
		Users: []sfemu.User{{Name: "planner", Password: "pw"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	host, port, _ := net.SplitHostPort(srv.Addr())
	p, _ := strconv.Atoi(port)
	db := sql.OpenDB(sf.NewConnector(sf.SnowflakeDriver{}, sf.Config{Account: "EMU", User: "planner", Password: "pw",
		Host: host, Port: p, Protocol: "http", LoginTimeout: 20 * time.Second, RequestTimeout: 60 * time.Second, DisableTelemetry: true}))
	t.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(1)
	for _, s := range []string{"CREATE DATABASE TESTDB", "USE DATABASE TESTDB"} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return db
}

// infoColumn is what Snowflake documents for INFORMATION_SCHEMA.COLUMNS.
type infoColumn struct {
	Table, Column, DataType string
	CharLen, Precision      sql.NullInt64
	Scale, DatetimePrec     sql.NullInt64
	Nullable                string
}

func n(v int) sql.NullInt64 { return sql.NullInt64{Int64: int64(v), Valid: true} }

// documented returns the INFORMATION_SCHEMA.COLUMNS shape Snowflake
// documents for a type: VARCHAR reports as TEXT with its length, NUMBER
// with precision and scale, time types with their fractional precision.
func documented(table, column string, t sftype.Type, notNull bool) infoColumn {
	c := infoColumn{Table: table, Column: column, DataType: t.Name, Nullable: "YES"}
	if notNull {
		c.Nullable = "NO"
	}
	switch t.Name {
	case "VARCHAR":
		c.DataType, c.CharLen = "TEXT", n(t.Length)
	case "BINARY":
		c.CharLen = n(t.Length)
	case "NUMBER":
		c.Precision, c.Scale = n(t.Precision), n(t.Scale)
	case "TIME", "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "TIMESTAMP_LTZ":
		c.DatetimePrec = n(t.Precision)
	}
	return c
}

func runOnEmulator(t *testing.T, m *typemap.Model) {
	t.Helper()
	db := openEmulator(t)
	ctx := context.Background()
	for _, st := range m.Script(typemap.ScriptOptions{}).Statements() {
		if _, err := db.ExecContext(ctx, st.SQL); err != nil {
			t.Fatalf("emulator rejected %s %s.%s: %v\n%s", st.Kind, st.Schema, st.Name, err, st.SQL)
		}
	}
	for _, s := range m.Schemas {
		var want []infoColumn
		for _, tb := range s.Tables {
			for _, d := range tb.Columns {
				want = append(want, documented(tb.Target, d.Target, d.Type, d.NotNull))
			}
		}
		rows, err := db.QueryContext(ctx, `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION,
			NUMERIC_SCALE, DATETIME_PRECISION, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS
			WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE')
			ORDER BY TABLE_NAME, ORDINAL_POSITION`, s.Target, s.Target)
		if err != nil {
			t.Fatal(err)
		}
		var got []infoColumn
		for rows.Next() {
			var c infoColumn
			if err := rows.Scan(&c.Table, &c.Column, &c.DataType, &c.CharLen, &c.Precision, &c.Scale, &c.DatetimePrec, &c.Nullable); err != nil {
				t.Fatal(err)
			}
			got = append(got, c)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 && len(want) > 0 {
			t.Fatalf("schema %s: the emulator lists no columns", s.Target)
		}
		t.Logf("schema %s: %d columns as planned", s.Target, len(got))
		sortInfo(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("schema %s: INFORMATION_SCHEMA.COLUMNS differs from the plan (-planned +emulator):\n%s", s.Target, diff)
		}
	}
}

// sortInfo orders planned columns like the query: by table, then position.
func sortInfo(cs []infoColumn) {
	pos := map[string]int{}
	for i, c := range cs {
		if _, ok := pos[c.Table]; !ok {
			pos[c.Table] = i
		}
	}
	type keyed struct {
		c   infoColumn
		key string
	}
	ks := make([]keyed, len(cs))
	for i, c := range cs {
		ks[i] = keyed{c, fmt.Sprintf("%s\x00%08d", c.Table, i)}
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j].key < ks[j-1].key; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	for i := range ks {
		cs[i] = ks[i].c
	}
}

func TestChinookDDLOnEmulator(t *testing.T) {
	db := inspect(t, "chinook", pgtest.LoadChinook)
	m, err := typemap.Map(db, typemap.Options{SourceName: "main"})
	if err != nil {
		t.Fatal(err)
	}
	runOnEmulator(t, m)
}

func TestChinookPreserveCaseDDLOnEmulator(t *testing.T) {
	db := inspect(t, "chinook", pgtest.LoadChinook)
	m, err := typemap.Map(db, typemap.Options{SourceName: "main", IdentifierCase: ident.Preserve})
	if err != nil {
		t.Fatal(err)
	}
	if m.Schemas[0].Target != "public" || m.Schemas[0].Tables[0].Target != "album" {
		t.Fatalf("preserve mode mapped %s.%s", m.Schemas[0].Target, m.Schemas[0].Tables[0].Target)
	}
	runOnEmulator(t, m)
}

func TestAllTypesDDLOnEmulator(t *testing.T) {
	db := inspect(t, "alltypes", alltypes)
	m, err := typemap.Map(db, allTypesFixes)
	if err != nil {
		t.Fatal(err)
	}
	runOnEmulator(t, m)
}
