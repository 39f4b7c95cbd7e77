package postgres

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// checkOneLine asserts the error is one line, mentions every want and
// never contains the secret.
func checkOneLine(t *testing.T, err error, secret string, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if strings.Contains(msg, "\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	if secret != "" && strings.Contains(msg, secret) {
		t.Errorf("error contains the password: %q", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not mention %q", msg, w)
		}
	}
	t.Logf("error: %s", msg)
}

func withUser(dsn, user, password string) string {
	u, _ := url.Parse(dsn)
	u.User = url.UserPassword(user, password)
	return u.String()
}

func TestConnectWrongPassword(t *testing.T) {
	// A dedicated cluster whose pg_hba.conf asks for passwords (the shared
	// one trusts every local connection).
	dir, err := os.MkdirTemp("", "pgsnow-hba-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o755) // the server may run as the postgres user
	hba := filepath.Join(dir, "pg_hba.conf")
	conf := "host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
	if err := os.WriteFile(hba, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := pgtest.New(pgtest.Options{Settings: map[string]string{"hba_file": hba}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	if err := pgtest.ExecScript(ctx, c.DSN("postgres"), `CREATE ROLE alice LOGIN PASSWORD 'Right-Pa55'`); err != nil {
		t.Fatal(err)
	}
	good := mustSource(t, withUser(c.DSN("postgres"), "alice", "Right-Pa55"))
	conn, err := good.Connect(ctx)
	if err != nil {
		t.Fatalf("the right password fails: %v", err)
	}
	conn.Close(ctx)

	secret := "Wr0ng-Secret-Pa55"
	_, err = mustSource(t, withUser(c.DSN("postgres"), "alice", secret)).Connect(ctx)
	checkOneLine(t, err, secret, "wrong password", `user "alice"`)
}

func TestConnectUnreachableHost(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens there now
	secret := "Unused-Pa55word"
	dsn := fmt.Sprintf("postgres://bob:%s@127.0.0.1:%d/db?sslmode=disable", secret, port)
	_, err = mustSource(t, dsn).Inspect(context.Background(), Options{})
	checkOneLine(t, err, secret, "host unreachable", "connection refused", fmt.Sprintf("127.0.0.1:%d", port))
}

func TestConnectMissingDatabase(t *testing.T) {
	c := pgtest.Shared(t)
	secret := "Some-Pa55word"
	dsn := withUser(c.DSN("no_such_database_xyz"), "postgres", secret)
	_, err := mustSource(t, dsn).Inspect(context.Background(), Options{})
	checkOneLine(t, err, secret, `database "no_such_database_xyz" does not exist`)
}

func TestMissingPrivilege(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	role := "reader_" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_"))
	setup := fmt.Sprintf(`CREATE ROLE %[1]s LOGIN;
CREATE TABLE visible (id int PRIMARY KEY);
CREATE TABLE hidden (id int PRIMARY KEY, secret text);
GRANT SELECT ON visible TO %[1]s;`, role)
	if err := pgtest.ExecScript(ctx, dsn, setup); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pgtest.ExecScript(context.Background(), dsn, fmt.Sprintf("DROP OWNED BY %[1]s; DROP ROLE %[1]s", role))
	})
	secret := "Reader-Pa55"
	src := mustSource(t, withUser(dsn, role, secret))
	db, err := src.Inspect(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkOneLine(t, src.CheckPrivileges(db), secret, "missing privilege", role, "public.hidden")
	if db.Table("public", "visible").CanSelect != true {
		t.Error("visible: CanSelect = false")
	}
	// Profiling anyway fails on the first unreadable table, in one line.
	err = src.Profile(ctx, db, ProfileOptions{Concurrency: 1})
	checkOneLine(t, err, secret, "missing privilege", "permission denied", "hidden")
}

func TestInvalidConnectionString(t *testing.T) {
	secret := "Pa55-in-bad-dsn"
	_, err := NewSource("src", "postgres://u:"+secret+"@127.0.0.1:notaport/db")
	checkOneLine(t, err, secret, "invalid connection string")
	_, err = NewSource("src", "host=127.0.0.1 port=abc user=u password="+secret)
	checkOneLine(t, err, secret, "invalid connection string")
	_, err = NewSource("src", "postgres://u:"+secret+"@[::1/db")
	checkOneLine(t, err, secret, "invalid connection string")
}

func TestFilter(t *testing.T) {
	f := Filter{Schemas: []string{"public", "Sales"}, Include: []string{"public.*", "Sales.Region*"}, Exclude: []string{"public.tmp_*"}}
	tests := []struct {
		schema, table string
		want          bool
	}{
		{"public", "orders", true},
		{"public", "tmp_x", false},
		{"Sales", "Region Totals", true},
		{"Sales", "other", false},
		{"audit", "log", false},
	}
	for _, tt := range tests {
		if got := f.Match(tt.schema, tt.table); got != tt.want {
			t.Errorf("Match(%s, %s) = %v, want %v", tt.schema, tt.table, got, tt.want)
		}
	}
	if !(Filter{}).Match("any", "thing") {
		t.Error("the zero Filter must select everything")
	}
}
