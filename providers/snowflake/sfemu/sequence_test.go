package sfemu_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSequenceDefaults follows a column default through the replacement of
// its sequence, as Snowflake documents it: the replace succeeds, the
// default still names the dropped sequence (an INSERT using it fails rather
// than writing NULL), and ALTER COLUMN … SET DEFAULT seq.NEXTVAL binds the
// new one; changing any other default is refused.
func TestSequenceDefaults(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db,
		"CREATE SCHEMA s",
		"CREATE SEQUENCE s.seq START = 1 INCREMENT = 1",
		"CREATE SEQUENCE s.other START = 500 INCREMENT = 10",
		"CREATE TABLE s.t (id NUMBER(10,0) DEFAULT s.seq.NEXTVAL, v VARCHAR(5) DEFAULT 'x', n NUMBER(10,0))",
		"INSERT INTO s.t (v) VALUES ('a')",
		"CREATE OR REPLACE SEQUENCE s.seq START = 100 INCREMENT = 5",
	)
	// The old sequence is gone; the default still names it.
	_, err := db.Exec("INSERT INTO s.t (v) VALUES ('b')")
	if got := sfCode(err); got != 2003 {
		t.Fatalf("INSERT through a replaced sequence's default: code %d (%v), want 2003", got, err)
	}
	// CREATE TABLE … LIKE copies the dangling default, as it copies defaults.
	mustExec(t, db, "CREATE TABLE s.t2 LIKE s.t")
	if _, err := db.Exec("INSERT INTO s.t2 (v) VALUES ('b')"); sfCode(err) != 2003 {
		t.Fatalf("INSERT into the LIKE copy: %v, want 2003", err)
	}
	mustExec(t, db,
		`ALTER TABLE s.t ALTER COLUMN id SET DEFAULT s.seq.NEXTVAL`,
		`ALTER TABLE s.t2 MODIFY id SET DEFAULT "`+e.name+`".S.SEQ.NEXTVAL`,
		"INSERT INTO s.t (v) VALUES ('c')",
		"INSERT INTO s.t2 (v) VALUES ('d')",
		// A column whose default is a live sequence may move to another.
		"ALTER TABLE s.t ALTER id SET DEFAULT s.other.NEXTVAL",
		"INSERT INTO s.t (v) VALUES ('e')",
	)
	got := queryStrings(t, db, "SELECT id, v FROM s.t ORDER BY v")
	want := [][]string{{"1", "a"}, {"100", "c"}, {"500", "e"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]string{{"105", "d"}}, queryStrings(t, db, "SELECT id, v FROM s.t2")); d != "" {
		t.Errorf("LIKE copy rows (-want +got):\n%s", d)
	}
	// DROP SEQUENCE succeeds while a default names it (RESTRICT is ignored).
	mustExec(t, db, "DROP SEQUENCE s.other RESTRICT")
	if _, err := db.Exec("INSERT INTO s.t (v) VALUES ('f')"); sfCode(err) != 2003 {
		t.Errorf("INSERT after DROP SEQUENCE: %v, want 2003", err)
	}

	// A schema dropped with its sequence: a table elsewhere keeps a
	// default naming it (not a silent NULL).
	mustExec(t, db,
		"CREATE SCHEMA s3",
		"CREATE SEQUENCE s3.gone",
		"CREATE TABLE s.t3 (id NUMBER(10,0) DEFAULT s3.gone.NEXTVAL, v VARCHAR(5))",
		"DROP SCHEMA s3",
	)
	if _, err := db.Exec("INSERT INTO s.t3 (v) VALUES ('g')"); sfCode(err) != 2003 {
		t.Errorf("INSERT after the sequence's schema was dropped: %v, want 2003", err)
	}

	errs := []struct {
		stmt string
		code int
	}{
		{"ALTER TABLE s.t ALTER COLUMN v SET DEFAULT s.seq.NEXTVAL", 2029},      // the default is not a sequence
		{"ALTER TABLE s.t ALTER COLUMN n SET DEFAULT s.seq.NEXTVAL", 2029},      // no default: adding one is unsupported
		{"ALTER TABLE s.t ALTER COLUMN v SET DEFAULT 'y'", 2029},                // only a sequence may be set
		{"ALTER TABLE s.t ALTER COLUMN id SET DEFAULT 42", 2029},                // even on a sequence column
		{"ALTER TABLE s.t ALTER COLUMN id SET DEFAULT s.nothere.NEXTVAL", 2003}, // no such sequence
		{"ALTER TABLE s.t ALTER COLUMN nocol SET DEFAULT s.seq.NEXTVAL", 904},
	}
	for _, tc := range errs {
		t.Run(tc.stmt, func(t *testing.T) {
			_, err := db.Exec(tc.stmt)
			if got := sfCode(err); got != tc.code {
				t.Fatalf("code = %d (%v), want %d", got, err, tc.code)
			}
		})
	}
	// The refused statements changed nothing.
	mustExec(t, db, "INSERT INTO s.t (id) VALUES (7)")
	if d := cmp.Diff([][]string{{"x"}}, queryStrings(t, db, "SELECT v FROM s.t WHERE id = 7")); d != "" {
		t.Errorf("v's default after the refused changes:\n%s", d)
	}
}
