package sfemu_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSmoke(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE TABLE orders (id NUMBER(10,0) NOT NULL, name VARCHAR(5), amt NUMBER(12,2))",
		"INSERT INTO orders VALUES (1, 'abc', 1.5), (2, NULL, NULL)")
	got := queryStrings(t, db, "SELECT id, name, amt FROM orders ORDER BY id")
	want := [][]string{{"1", "abc", "1.50"}, {"2", "NULL", "NULL"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatal(d)
	}
}
