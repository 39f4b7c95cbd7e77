package sfemu_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIdentifierFolding(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db,
		`CREATE TABLE "orders" ("id" NUMBER, "Note" VARCHAR)`,
		`CREATE TABLE orders (id NUMBER, note VARCHAR)`,
		`INSERT INTO "orders" VALUES (1, 'lower')`,
		`INSERT INTO ORDERS VALUES (2, 'upper')`)
	tests := []struct {
		query string
		want  [][]string
		code  int
	}{
		{`SELECT "id", "Note" FROM "orders"`, [][]string{{"1", "lower"}}, 0},
		{`SELECT id, note FROM orders`, [][]string{{"2", "upper"}}, 0},
		{`SELECT ID, NOTE FROM Orders`, [][]string{{"2", "upper"}}, 0},
		{`SELECT "ID", "NOTE" FROM "ORDERS"`, [][]string{{"2", "upper"}}, 0},
		{`SELECT id FROM "orders"`, nil, 904},   // unquoted id is ID, which "orders" lacks
		{`SELECT "note" FROM orders`, nil, 904}, // quoted is exact
		{`SELECT * FROM "Orders"`, nil, 2003},   // no such table
		{`SELECT t."Note" FROM "` + e.name + `".public."orders" t`, [][]string{{"lower"}}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			if tc.code != 0 {
				_, err := db.Query(tc.query)
				if got := sfCode(err); got != tc.code {
					t.Fatalf("code = %d (%v), want %d", got, err, tc.code)
				}
				return
			}
			if d := cmp.Diff(tc.want, queryStrings(t, db, tc.query)); d != "" {
				t.Error(d)
			}
		})
	}
	var names []string
	for _, r := range queryStrings(t, db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC' ORDER BY table_name") {
		names = append(names, r[0])
	}
	if d := cmp.Diff([]string{"ORDERS", "orders"}, names); d != "" {
		t.Errorf("INFORMATION_SCHEMA.TABLES names (-want +got):\n%s", d)
	}
}

func TestTypeLimits(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE TABLE lim (n NUMBER(38,0), s VARCHAR(5), b BINARY(2), d NUMBER(5,2))")
	tests := []struct {
		stmt string
		code int
		msg  string // expected message (when set)
	}{
		{"INSERT INTO lim (n) VALUES (99999999999999999999999999999999999999)", 0, ""},
		{"INSERT INTO lim (n) VALUES (999999999999999999999999999999999999999)", 100039,
			"Numeric value '999999999999999999999999999999999999999' is out of range"},
		{"INSERT INTO lim (n) SELECT 999999999999999999999999999999999999999", 100039, ""}, // caught by PostgreSQL
		{"INSERT INTO lim (s) VALUES ('héllo')", 0, ""},                                    // 5 characters, 6 bytes
		{"INSERT INTO lim (s) VALUES ('abcdef')", 100078, "String 'abcdef' is too long and would be truncated"},
		{"INSERT INTO lim (s) VALUES ('ab'), ('abc' || 'def')", 100078, ""},
		{"INSERT INTO lim (s) VALUES ('abcd ')", 0, ""},
		{"INSERT INTO lim (s) VALUES ('abcd  ')", 100078, ""}, // trailing spaces count (no silent trim)
		{"INSERT INTO lim (b) VALUES (TO_BINARY('0102'))", 0, ""},
		{"INSERT INTO lim (b) VALUES (TO_BINARY('010203'))", 100078, ""},
		{"INSERT INTO lim (b) VALUES (NO_SUCH_FUNCTION('0102'))", 2140, ""},
		{"INSERT INTO lim (d) VALUES (999.99)", 0, ""},
		{"INSERT INTO lim (d) VALUES (-1000)", 100039, "Numeric value '-1000' is out of range"},
		{"INSERT INTO lim (n) VALUES ('abc')", 100038, "Numeric value 'abc' is not recognized"},
		{"CREATE TABLE bad (n NUMBER(39,0))", 2040, ""},
	}
	for _, tc := range tests {
		t.Run(tc.stmt, func(t *testing.T) {
			_, err := db.Exec(tc.stmt)
			if tc.code == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if got := sfCode(err); got != tc.code {
				t.Fatalf("code = %d (%v), want %d", got, err, tc.code)
			}
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message = %q, want %q", err.Error(), tc.msg)
			}
		})
	}
}

func TestResultEncoding(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, `CREATE TABLE ty (n NUMBER(10,2), i INT, f FLOAT, s VARCHAR(7), b BINARY(3), t BOOLEAN, d DATE,
		tm TIME(3), ntz TIMESTAMP_NTZ(6), ltz TIMESTAMP_LTZ, v VARIANT)`,
		`INSERT INTO ty SELECT 12.5, 42, 1.25, 'hé', TO_BINARY('ABCDEF'), TRUE, '1969-07-20', '13:14:15.123',
		 '1960-01-02 03:04:05.678901', '2020-05-06 07:08:09+00:00', PARSE_JSON('{"a":[1,2]}')`)
	rows, err := db.Query("SELECT * FROM ty")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	type colInfo struct {
		Name, DBType string
		Len          int64
		Prec, Scale  int64
	}
	var gotCols []colInfo
	for _, ct := range cts {
		c := colInfo{Name: ct.Name(), DBType: ct.DatabaseTypeName()}
		c.Len, _ = ct.Length()
		c.Prec, c.Scale, _ = ct.DecimalSize()
		gotCols = append(gotCols, c)
	}
	wantCols := []colInfo{
		{"N", "FIXED", 0, 10, 2}, {"I", "FIXED", 0, 38, 0}, {"F", "REAL", 0, 0, 0}, {"S", "TEXT", 7, 0, 0},
		{"B", "BINARY", 3, 0, 0}, {"T", "BOOLEAN", 0, 0, 0}, {"D", "DATE", 0, 0, 0}, {"TM", "TIME", 0, 3, 0},
		{"NTZ", "TIMESTAMP_NTZ", 0, 0, 0}, {"LTZ", "TIMESTAMP_LTZ", 0, 0, 0}, {"V", "VARIANT", 16777216, 0, 0},
	}
	if d := cmp.Diff(wantCols, gotCols); d != "" {
		t.Errorf("column types (-want +got):\n%s", d)
	}
	if !rows.Next() {
		t.Fatal("no row")
	}
	var (
		n, s, v    string
		i          int64
		f          float64
		b          []byte
		bo         bool
		d, tm, ntz sql.NullTime
		ltz        sql.NullTime
	)
	if err := rows.Scan(&n, &i, &f, &s, &b, &bo, &d, &tm, &ntz, &ltz, &v); err != nil {
		t.Fatal(err)
	}
	got := []string{n, v, s}
	if d := cmp.Diff([]string{"12.50", "{\n  \"a\": [\n    1,\n    2\n  ]\n}", "hé"}, got); d != "" {
		t.Errorf("values (-want +got):\n%s", d)
	}
	if i != 42 || f != 1.25 || !bo || string(b) != "\xab\xcd\xef" {
		t.Errorf("i=%d f=%v bool=%v binary=%x", i, f, bo, b)
	}
	if got := d.Time.Format("2006-01-02"); got != "1969-07-20" {
		t.Errorf("date = %s", got)
	}
	if got := tm.Time.Format("15:04:05.000"); got != "13:14:15.123" {
		t.Errorf("time = %s", got)
	}
	if got := ntz.Time.UTC().Format("2006-01-02 15:04:05.000000"); got != "1960-01-02 03:04:05.678901" {
		t.Errorf("timestamp_ntz = %s", got)
	}
	if got := ltz.Time.UTC().Format("2006-01-02 15:04:05"); got != "2020-05-06 07:08:09" {
		t.Errorf("timestamp_ltz = %s", got)
	}
}

func TestFunctions(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	tests := []struct{ expr, want string }{
		{"TO_NUMBER('FF', 'XX')", "255"},
		{"TO_NUMBER(SUBSTR(MD5('abc'), 1, 15), 'XXXXXXXXXXXXXXX')", "648541476951500027"},
		{"MD5('abc')", "900150983cd24fb0d6963f7d28e17f72"},
		{"SUBSTR('abcdef', 0, 2)", "ab"},
		{"SUBSTR('abcdef', -2)", "ef"},
		{"IFF(1 > 2, 'yes', 'no')", "no"},
		{"COALESCE(NULL, 'x')", "x"},
		{"HEX_ENCODE('AB')", "4142"},
		{"HEX_ENCODE('\u00ff', 0)", "c3bf"},
		{"HEX_ENCODE(TO_BINARY('0A1B', 'HEX'), 1)", "0A1B"},
		{"TO_VARCHAR(12.50)", "12.50"},
		{"TRY_PARSE_JSON('{bad')", "NULL"},
		{"PARSE_JSON('[1, 2.50]')", "[\n  1,\n  2.50\n]"},
		{`PARSE_JSON('{"b": 1, "aa": "<x>"}')`, "{\n  \"aa\": \"<x>\",\n  \"b\": 1\n}"},
		{"CONVERT_TIMEZONE('UTC', 'America/New_York', '2024-01-01 12:00:00'::TIMESTAMP_NTZ)::VARCHAR", "2024-01-01 07:00:00"},
		{"COUNT(*)", "1"},
		{"TO_CHAR(CONVERT_TIMEZONE('UTC', '2024-01-01 12:00:00 +02:00'::TIMESTAMP_TZ), 'YYYY-MM-DD HH24:MI:SS.FF6')", "2024-01-01 10:00:00.000000"},
		{"CAST('12.345' AS NUMBER(10,2))", "12.35"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			got := queryStrings(t, db, "SELECT "+tc.expr)
			if got[0][0] != tc.want {
				t.Errorf("SELECT %s = %q, want %q", tc.expr, got[0][0], tc.want)
			}
		})
	}
	if _, err := db.Query("SELECT NO_SUCH_FUNC(1)"); sfCode(err) != 2140 {
		t.Errorf("unknown function: code %d (%v), want 2140", sfCode(err), err)
	}
}

func TestInformationSchemaColumns(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, `CREATE TABLE c (a NUMBER(12,2) NOT NULL, b VARCHAR(5), c STRING, d BINARY(4), e FLOAT,
		f BOOLEAN, g DATE, h TIMESTAMP_NTZ(6), i TIMESTAMP_TZ, j VARIANT, k INTEGER)`)
	got := queryStrings(t, db, `SELECT column_name, data_type, is_nullable, character_maximum_length, character_octet_length,
		numeric_precision, numeric_scale, datetime_precision FROM information_schema.columns WHERE table_name = 'C' ORDER BY ordinal_position`)
	want := [][]string{
		{"A", "NUMBER", "NO", "NULL", "NULL", "12", "2", "NULL"},
		{"B", "TEXT", "YES", "5", "20", "NULL", "NULL", "NULL"},
		{"C", "TEXT", "YES", "16777216", "16777216", "NULL", "NULL", "NULL"},
		{"D", "BINARY", "YES", "4", "4", "NULL", "NULL", "NULL"},
		{"E", "FLOAT", "YES", "NULL", "NULL", "NULL", "NULL", "NULL"},
		{"F", "BOOLEAN", "YES", "NULL", "NULL", "NULL", "NULL", "NULL"},
		{"G", "DATE", "YES", "NULL", "NULL", "NULL", "NULL", "NULL"},
		{"H", "TIMESTAMP_NTZ", "YES", "NULL", "NULL", "NULL", "NULL", "6"},
		{"I", "TIMESTAMP_TZ", "YES", "NULL", "NULL", "NULL", "NULL", "9"},
		{"J", "VARIANT", "YES", "NULL", "NULL", "NULL", "NULL", "NULL"},
		{"K", "NUMBER", "YES", "NULL", "NULL", "38", "0", "NULL"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("INFORMATION_SCHEMA.COLUMNS (-want +got):\n%s", d)
	}
}

func TestShow(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE SCHEMA s1", "CREATE TABLE t1 (x NUMBER)", "CREATE TABLE t2 (y VARCHAR)", "CREATE STAGE stg",
		"INSERT INTO t1 VALUES (1), (2)")
	pick := func(q string, cols ...string) [][]string {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		names, _ := rows.Columns()
		idx := map[string]int{}
		for i, n := range names {
			idx[n] = i
		}
		var out [][]string
		for rows.Next() {
			vals := make([]sql.NullString, len(names))
			ptrs := make([]any, len(names))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var row []string
			for _, c := range cols {
				i, ok := idx[c]
				if !ok {
					t.Fatalf("%s: no column %q in %v", q, c, names)
				}
				row = append(row, vals[i].String)
			}
			out = append(out, row)
		}
		return out
	}
	tests := []struct {
		q    string
		cols []string
		want [][]string
	}{
		{"SHOW DATABASES LIKE '" + strings.ToLower(e.name) + "'", []string{"name", "is_current"}, [][]string{{e.name, "Y"}}},
		{"SHOW SCHEMAS IN DATABASE " + e.name, []string{"name", "database_name"}, [][]string{{"PUBLIC", e.name}, {"S1", e.name}}},
		{"SHOW TABLES IN SCHEMA s1", []string{"name", "schema_name", "rows"}, [][]string{{"T1", "S1", "2"}, {"T2", "S1", "0"}}},
		{"SHOW TABLES LIKE '%1'", []string{"name"}, [][]string{{"T1"}}},
		{"SHOW COLUMNS IN TABLE t2", []string{"table_name", "column_name", "data_type"},
			[][]string{{"T2", "Y", `{"type" : "VARCHAR", "nullable" : true}`}}},
		{"SHOW STAGES", []string{"name", "type"}, [][]string{{"STG", "INTERNAL"}}},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			if d := cmp.Diff(tc.want, pick(tc.q, tc.cols...)); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestTransactions(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE TABLE acct (id NUMBER NOT NULL)")
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO acct VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	// A failing statement rolls back alone; the transaction stays usable.
	if _, err := tx.Exec("INSERT INTO acct VALUES (NULL)"); sfCode(err) != 100072 {
		t.Fatalf("NULL into NOT NULL: code %d (%v), want 100072", sfCode(err), err)
	}
	if _, err := tx.Exec("INSERT INTO acct VALUES (2)"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := queryStrings(t, db, "SELECT COUNT(*) FROM acct"); got[0][0] != "0" {
		t.Errorf("after ROLLBACK: %s rows", got[0][0])
	}
	tx, _ = db.Begin()
	if _, err := tx.Exec("INSERT INTO acct VALUES (3)"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec("DELETE FROM acct WHERE id = 3")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Errorf("DELETE affected %d rows, want 1", n)
	}
}

func TestDDL(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db,
		"CREATE TABLE a (id NUMBER(10,0), PRIMARY KEY (id))",
		"CREATE TABLE b (id NUMBER(10,0), a_id NUMBER(10,0) REFERENCES a (id), note VARCHAR(10) COMMENT 'n')",
		"CREATE SEQUENCE seq START = 10 INCREMENT = 5",
		"CREATE VIEW v AS SELECT id FROM a",
		"ALTER TABLE b ADD COLUMN extra VARCHAR(3)",
		"ALTER TABLE b ALTER COLUMN note SET DATA TYPE VARCHAR(20)",
		"ALTER TABLE b DROP COLUMN extra",
		"COMMENT ON TABLE b IS 'the b table'",
		"CREATE TABLE b2 (x NUMBER)",
		"INSERT INTO b2 VALUES (7)",
		"ALTER TABLE b SWAP WITH b2",
		"CREATE OR REPLACE TABLE a2 (z NUMBER)",
		"CREATE TABLE IF NOT EXISTS a2 (z NUMBER)",
		"CREATE VIEW IF NOT EXISTS a AS SELECT 1 AS x",
		"CREATE OR REPLACE SEQUENCE seq2 START = 3",
		"CREATE OR REPLACE SEQUENCE seq2 START = 4",
		"CREATE OR REPLACE TABLE b3 LIKE b2",
		"DROP TABLE IF EXISTS nothere",
	)
	tests := []struct {
		q    string
		want [][]string
	}{
		{"SELECT x FROM b", [][]string{{"7"}}},
		{"SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns WHERE table_name = 'B3' ORDER BY ordinal_position",
			[][]string{{"ID", "NUMBER", "NULL", "YES"}, {"A_ID", "NUMBER", "NULL", "YES"}, {"NOTE", "TEXT", "20", "YES"}}},
		{"SELECT COUNT(*) FROM b3", [][]string{{"0"}}},
		{"SELECT seq.NEXTVAL, seq.NEXTVAL", [][]string{{"10", "15"}}},
		{"SELECT seq2.NEXTVAL", [][]string{{"4"}}},
		{"SELECT constraint_type, table_name FROM information_schema.table_constraints ORDER BY 2", [][]string{{"PRIMARY KEY", "A"}, {"FOREIGN KEY", "B2"}}},
		{"SELECT is_nullable FROM information_schema.columns WHERE table_name = 'A'", [][]string{{"NO"}}},
		{"SELECT data_type, character_maximum_length FROM information_schema.columns WHERE table_name = 'B2' AND column_name = 'NOTE'", [][]string{{"TEXT", "20"}}},
		{"SELECT comment FROM information_schema.tables WHERE table_name = 'B2'", [][]string{{"the b table"}}},
		{"SELECT table_name FROM information_schema.views", [][]string{{"V"}}},
		{"SELECT sequence_name, increment FROM information_schema.sequences", [][]string{{"SEQ", "5"}, {"SEQ2", "1"}}},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			if d := cmp.Diff(tc.want, queryStrings(t, db, tc.q)); d != "" {
				t.Error(d)
			}
		})
	}
	errs := []struct {
		stmt string
		code int
	}{
		{"CREATE TABLE a (id NUMBER)", 2002},
		{"CREATE OR REPLACE VIEW a AS SELECT 1 AS x", 2002},
		{"CREATE OR REPLACE TABLE v (x NUMBER)", 2002},
		{"CREATE SEQUENCE seq", 2002},
		{"ALTER TABLE b2 ALTER COLUMN note SET DATA TYPE VARCHAR(5)", 2108},
		{"DROP TABLE nothere", 2003},
		{"MERGE INTO a USING b ON a.id = b.id WHEN MATCHED THEN DELETE", 2029},
		{"CREATE TASK t1 AS SELECT 1", 2029},
		{"GRANT SELECT ON TABLE a TO ROLE r", 2029},
		{"SELECT 1; SELECT 2", 8},
	}
	for _, tc := range errs {
		t.Run(tc.stmt, func(t *testing.T) {
			_, err := db.Exec(tc.stmt)
			if got := sfCode(err); got != tc.code {
				t.Fatalf("code = %d (%v), want %d", got, err, tc.code)
			}
		})
	}
}
