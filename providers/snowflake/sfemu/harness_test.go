package sfemu_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	sf "github.com/snowflakedb/gosnowflake"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

func TestMain(m *testing.M) {
	_ = sf.GetLogger().SetLogLevel("fatal")
	pgtest.Main(m)
}

const (
	testAccount  = "TESTACCT"
	testUser     = "loader"
	testPassword = "correct horse"
	testToken    = "oauth-token-123"
)

var testKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

// emu is one emulator. All emulators of a test run share one backing
// database (creating a PostgreSQL database per test costs seconds); each test
// works in its own Snowflake database, named by e.db().
type emu struct {
	t    testing.TB
	srv  *sfemu.Server
	host string
	port int
	name string // the test's Snowflake database
}

var backing struct {
	once sync.Once
	dsn  string
	err  error
}

var dbSeq atomic.Int64

func backingDSN(t testing.TB) string {
	backing.once.Do(func() {
		c := pgtest.Shared(t)
		backing.err = c.CreateDatabase(context.Background(), "sfemu_conformance")
		backing.dsn = c.DSN("sfemu_conformance")
	})
	if backing.err != nil {
		t.Fatal(backing.err)
	}
	return backing.dsn
}

func startEmu(t testing.TB, faults sfemu.Faults) *emu {
	t.Helper()
	return startEmuWith(t, sfemu.Config{Faults: faults})
}

// startEmuWith starts an emulator with cfg plus the test accounts and users.
func startEmuWith(t testing.TB, cfg sfemu.Config) *emu {
	t.Helper()
	cfg.PostgresDSN = backingDSN(t)
	cfg.StageDir = t.TempDir()
	cfg.Accounts = []string{testAccount}
	cfg.Users = []sfemu.User{
		{Name: testUser, Password: testPassword, PublicKey: &testKey.PublicKey},
		{Name: "reader", Password: "other"},
	}
	cfg.OAuthTokens = map[string]string{testToken: testUser}
	srv, err := sfemu.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	host, port, _ := net.SplitHostPort(srv.Addr())
	p, _ := strconv.Atoi(port)
	name := strings.ToUpper(strings.NewReplacer("/", "_", " ", "_", ",", "_", "-", "_").Replace(t.Name()))
	if len(name) > 30 {
		name = name[:30]
	}
	return &emu{t: t, srv: srv, host: host, port: p, name: fmt.Sprintf("%s_%d", name, dbSeq.Add(1))}
}

func (e *emu) config() sf.Config {
	return sf.Config{
		Account: testAccount, User: testUser, Password: testPassword,
		Host: e.host, Port: e.port, Protocol: "http",
		LoginTimeout: 20 * time.Second, RequestTimeout: 60 * time.Second,
		DisableTelemetry: true,
	}
}

func (e *emu) open(cfg sf.Config) *sql.DB {
	e.t.Helper()
	db := sql.OpenDB(sf.NewConnector(sf.SnowflakeDriver{}, cfg))
	e.t.Cleanup(func() { _ = db.Close() })
	return db
}

// db opens a password connection with a fresh database (e.name) as current.
func (e *emu) db() *sql.DB {
	e.t.Helper()
	db := e.open(e.config())
	db.SetMaxOpenConns(1)
	mustExec(e.t, db, `CREATE DATABASE "`+e.name+`"`)
	return db
}

func mustExec(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// queryStrings returns all rows as strings ("NULL" for NULL).
func queryStrings(t testing.TB, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: scan: %v", q, err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			if v.Valid {
				row[i] = v.String
			} else {
				row[i] = "NULL"
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// sfCode returns the Snowflake error number of err, or -1.
func sfCode(err error) int {
	var se *sf.SnowflakeError
	if errors.As(err, &se) {
		return se.Number
	}
	return -1
}

func sfemuFaultsNone() sfemu.Faults { return sfemu.Faults{} }
