package sfemu_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sf "github.com/snowflakedb/gosnowflake"
)

// TestBindings inserts Go values through ? placeholders (gosnowflake sends
// them as typed bindings) and reads them back.
func TestBindings(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE TABLE b (i NUMBER(38,0), f FLOAT, s VARCHAR(20), ok BOOLEAN, d DATE, ts TIMESTAMP_NTZ(6), n VARCHAR, raw BINARY(4))")
	ts := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	// gosnowflake binds []byte as BINARY only after the DataTypeBinary marker.
	if _, err := db.Exec("INSERT INTO b VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		int64(-42), 2.5, "it's \"q\"", true, ts, ts, nil, sf.DataTypeBinary, []byte{0xde, 0xad}); err != nil {
		t.Fatal(err)
	}
	got := queryStrings(t, db, `SELECT i, f, s, ok, TO_VARCHAR(raw), TO_VARCHAR(d), TO_VARCHAR(ts), n, TO_CHAR(ts, 'YYYY-MM-DD"T"HH24:MI:SS.FF6') FROM b WHERE s = ?`, `it's "q"`)
	want := [][]string{{"-42", "2.5", `it's "q"`, "1", "DEAD", "2024-02-29", "2024-02-29 13:14:15.123", "NULL", "2024-02-29T13:14:15.123456"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
