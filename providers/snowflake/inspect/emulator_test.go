package inspect_test

import (
	"context"
	"net"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/inspect"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// emulator starts sfemu on a fresh PostgreSQL database and connects.
func emulator(t *testing.T) *snowflakeDB {
	t.Helper()
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: pgtest.NewDatabase(t), StageDir: t.TempDir(),
		Users: []sfemu.User{{Name: "U", Password: "p"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	host, portStr, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(portStr)
	db, err := snowflake.Open(context.Background(), snowflake.Config{Account: "test", User: "U", Host: host, Port: port,
		Protocol: "http", Auth: snowflake.Auth{Method: "password", Password: "p"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &snowflakeDB{t: t, DB: db}
}

func TestInspectEmulator(t *testing.T) {
	ctx := context.Background()
	e := emulator(t)
	e.exec(
		`CREATE DATABASE ANALYTICS`,
		`CREATE SCHEMA ANALYTICS.APP COMMENT = 'from pgsnow'`,
		`CREATE TABLE ANALYTICS.APP.ORDERS (ID NUMBER(19,0) NOT NULL, AMOUNT NUMBER(12,2), NOTE VARCHAR(40), BODY STRING, RAW BINARY, AT TIMESTAMP_TZ(6), F FLOAT, OK BOOLEAN, V VARIANT, CONSTRAINT ORDERS_PK PRIMARY KEY (ID))`,
		`CREATE TABLE ANALYTICS.APP."Refunds 2026" ("order_id" NUMBER(10,0))`,
		`INSERT INTO ANALYTICS.APP."Refunds 2026" VALUES (1), (2)`,
		`CREATE SEQUENCE ANALYTICS.APP.ORDERS_SEQ START = 10 INCREMENT = 5`,
		`CREATE VIEW ANALYTICS.APP.BIG_ORDERS AS SELECT ID FROM ANALYTICS.APP.ORDERS WHERE AMOUNT > 100`,
		`CREATE STAGE ANALYTICS.APP.PGSNOW_STAGE`,
		`CREATE FILE FORMAT ANALYTICS.APP.PGSNOW_CSV TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"'`,
		`CREATE SCHEMA ANALYTICS."lower"`,
		`CREATE DATABASE OTHER`,
		`CREATE TABLE OTHER.PUBLIC.NOT_MINE (X NUMBER)`,
	)
	got, err := inspect.Inspect(ctx, e.DB, "ANALYTICS")
	if err != nil {
		t.Fatal(err)
	}
	two := int64(2)
	zero := int64(0)
	want := &inspect.Database{Name: "ANALYTICS", Exists: true, Schemas: []*inspect.Schema{
		{Name: "APP", Comment: "from pgsnow",
			Tables: []*inspect.Table{
				{Schema: "APP", Name: "ORDERS", Type: "BASE TABLE", RowCount: &zero, Columns: []inspect.Column{
					{Name: "ID", Position: 1, Type: "NUMBER(19,0)", DataType: "NUMBER"},
					{Name: "AMOUNT", Position: 2, Type: "NUMBER(12,2)", DataType: "NUMBER", Nullable: true},
					{Name: "NOTE", Position: 3, Type: "VARCHAR(40)", DataType: "TEXT", Nullable: true},
					{Name: "BODY", Position: 4, Type: "VARCHAR(16777216)", DataType: "TEXT", Nullable: true},
					{Name: "RAW", Position: 5, Type: "BINARY(8388608)", DataType: "BINARY", Nullable: true},
					{Name: "AT", Position: 6, Type: "TIMESTAMP_TZ(6)", DataType: "TIMESTAMP_TZ", Nullable: true},
					{Name: "F", Position: 7, Type: "FLOAT", DataType: "FLOAT", Nullable: true},
					{Name: "OK", Position: 8, Type: "BOOLEAN", DataType: "BOOLEAN", Nullable: true},
					{Name: "V", Position: 9, Type: "VARIANT", DataType: "VARIANT", Nullable: true},
				}, Constraints: []inspect.Constraint{{Name: "ORDERS_PK", Type: "PRIMARY KEY"}}},
				{Schema: "APP", Name: "Refunds 2026", Type: "BASE TABLE", RowCount: &two, Columns: []inspect.Column{
					{Name: "order_id", Position: 1, Type: "NUMBER(10,0)", DataType: "NUMBER", Nullable: true},
				}, Constraints: []inspect.Constraint{}},
			},
			Views: []*inspect.View{{Schema: "APP", Name: "BIG_ORDERS",
				Definition: `SELECT ID FROM ANALYTICS.APP.ORDERS WHERE AMOUNT > 100`}},
			Sequences:   []*inspect.Sequence{{Schema: "APP", Name: "ORDERS_SEQ", Start: "10", Increment: "5", Next: "10"}},
			Stages:      []*inspect.Stage{{Schema: "APP", Name: "PGSNOW_STAGE", Type: "Internal Named"}},
			FileFormats: []*inspect.FileFormat{{Schema: "APP", Name: "PGSNOW_CSV", Type: "CSV"}},
		},
		{Name: "PUBLIC"},
		{Name: "lower"},
	}}
	opts := []cmp.Option{cmpopts.IgnoreFields(inspect.Table{}, "Bytes"), cmpopts.IgnoreFields(inspect.View{}, "Columns")}
	if d := cmp.Diff(want, got, opts...); d != "" {
		t.Errorf("Inspect (-want +got):\n%s", d)
	}
	for _, tb := range got.Schema("APP").Tables {
		if tb.Bytes == nil {
			t.Errorf("%s: no BYTES", tb.Name)
		}
	}

	e.exec(`CREATE DATABASE "Mixed db"`, `CREATE SCHEMA "Mixed db".s`)
	mixed, err := inspect.Inspect(ctx, e.DB, "Mixed db")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&inspect.Database{Name: "Mixed db", Exists: true, Schemas: []*inspect.Schema{{Name: "PUBLIC"}, {Name: "S"}}}, mixed); d != "" {
		t.Errorf("quoted database (-want +got):\n%s", d)
	}

	missing, err := inspect.Inspect(ctx, e.DB, "analytics") // exact names: the lower-case database does not exist
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&inspect.Database{Name: "analytics"}, missing); d != "" {
		t.Errorf("missing database (-want +got):\n%s", d)
	}
}
