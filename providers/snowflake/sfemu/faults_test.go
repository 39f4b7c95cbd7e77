package sfemu_test

import (
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

func TestFault503IsRetried(t *testing.T) {
	t.Parallel()
	e := startEmu(t, sfemu.Faults{Rules: []sfemu.FaultRule{{Endpoint: "query", Statement: "SELECT", Nth: 1, Mode: "503"}}})
	db := e.open(e.config())
	var n int
	if err := db.QueryRow("SELECT 41 + 1").Scan(&n); err != nil {
		t.Fatalf("query after an injected 503: %v", err)
	}
	c := e.srv.Counters()
	if n != 42 || c.Injected != 1 || c.Requests["query"] != 2 {
		t.Errorf("n=%d injected=%d query requests=%d, want 42, 1, 2", n, c.Injected, c.Requests["query"])
	}
}

func TestFaultDroppedConnectionIsRetried(t *testing.T) {
	t.Parallel()
	e := startEmu(t, sfemu.Faults{Rules: []sfemu.FaultRule{{Endpoint: "query", Nth: 1, Mode: "drop"}}})
	db := e.open(e.config())
	var n int
	if err := db.QueryRow("SELECT 7").Scan(&n); err != nil {
		t.Fatalf("query after a dropped connection: %v", err)
	}
	if c := e.srv.Counters(); n != 7 || c.Injected != 1 {
		t.Errorf("n=%d injected=%d", n, c.Injected)
	}
}

func TestTokenExpiryRenews(t *testing.T) {
	t.Parallel()
	e := startEmu(t, sfemu.Faults{TokenTTL: time.Second})
	db := e.open(e.config())
	db.SetMaxOpenConns(1)
	mustExec(t, db, "CREATE DATABASE "+e.name)
	time.Sleep(1100 * time.Millisecond) // let the session token expire
	var name string
	if err := db.QueryRow("SELECT CURRENT_DATABASE()").Scan(&name); err != nil {
		t.Fatalf("query after token expiry: %v", err)
	}
	if c := e.srv.Counters(); c.Renewals < 1 || name != e.name {
		t.Errorf("renewals=%d current database %q", c.Renewals, name)
	}
}

func TestFaultEveryThirdCopy(t *testing.T) {
	t.Parallel()
	e := startEmu(t, sfemu.Faults{Rules: []sfemu.FaultRule{{Endpoint: "query", Statement: "COPY", Every: 3, Mode: "503"}}})
	db := e.db()
	mustExec(t, db, "CREATE STAGE st", "CREATE TABLE t (id NUMBER)")
	putFile(t, db, "a.csv", "1\n", "@st")
	for i := 0; i < 3; i++ {
		mustExec(t, db, "COPY INTO t FROM @st FORCE = TRUE")
	}
	if c := e.srv.Counters(); c.Injected != 1 {
		t.Errorf("injected = %d, want 1", c.Injected)
	}
	if got := queryStrings(t, db, "SELECT COUNT(*) FROM t"); got[0][0] != "3" {
		t.Errorf("rows = %s, want 3 (the retried COPY must load once)", got[0][0])
	}
}
