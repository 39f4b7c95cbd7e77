package load_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	gosf "github.com/snowflakedb/gosnowflake"

	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	account  = "ACME"
	user     = "LOADER"
	password = "load-secret-pw-42"
)

// fast retries: the policy's shape is tested, not its patience.
var fast = load.Policy{Attempts: 3, Initial: time.Millisecond, Max: 5 * time.Millisecond}

var backing struct {
	once sync.Once
	dsn  string
	err  error
}

var seq atomic.Int64

// env is one emulator and a pgsnow connection to it, working in its own
// Snowflake database DB with schema S and stage "DB"."S"."PGSNOW_STAGE".
type env struct {
	t     testing.TB
	srv   *sfemu.Server
	db    *sql.DB
	name  string
	stage load.Stage
}

func start(t testing.TB, faults sfemu.Faults) *env { return startWith(t, "local", faults) }

// startWith chooses how the emulator receives PUT: "local" (LOCAL_FS, the
// driver copies files into the stage directory) or "http" (presigned URLs
// and client-side encryption as on a GCS-backed account; needed for
// stream PUT).
func startWith(t testing.TB, transport string, faults sfemu.Faults) *env {
	t.Helper()
	backing.once.Do(func() {
		c := pgtest.Shared(t)
		backing.err = c.CreateDatabase(context.Background(), "sfemu_load")
		backing.dsn = c.DSN("sfemu_load")
	})
	if backing.err != nil {
		t.Fatal(backing.err)
	}
	srv, err := sfemu.New(sfemu.Config{
		PostgresDSN:  backing.dsn,
		StageDir:     t.TempDir(),
		Accounts:     []string{account},
		Users:        []sfemu.User{{Name: user, Password: password}},
		Faults:       faults,
		PutTransport: transport,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	host, portText, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(portText)
	ctx := context.Background()
	db, err := snowflake.Open(ctx, snowflake.Config{Account: account, User: user, Host: host, Port: port, Protocol: "http",
		LoginTimeout: 20 * time.Second, Auth: snowflake.Auth{Method: "password", Password: password}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(2)
	name := fmt.Sprintf("LOADTEST_%d", seq.Add(1))
	e := &env{t: t, srv: srv, db: db, name: name, stage: load.Stage(`"` + name + `"."S"."PGSNOW_STAGE"`)}
	e.exec(`CREATE DATABASE "`+name+`"`, `CREATE SCHEMA "`+name+`"."S"`, `USE SCHEMA "`+name+`"."S"`)
	if err := e.stage.Ensure(ctx, db); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) table(name string) load.Table {
	return load.Table{Database: e.name, Schema: "S", Name: name}
}

func (e *env) exec(stmts ...string) {
	e.t.Helper()
	for _, s := range stmts {
		if _, err := e.db.ExecContext(context.Background(), s); err != nil {
			e.t.Fatalf("%s: %v", s, err)
		}
	}
}

// rows returns all rows as strings ("NULL" for NULL).
func (e *env) rows(q string) [][]string {
	e.t.Helper()
	rs, err := e.db.Query(q)
	if err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out [][]string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			e.t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = "NULL"
			if v.Valid {
				row[i] = v.String
			}
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) loader() *load.Loader {
	return &load.Loader{DB: e.db, Stage: e.stage, Policy: fast, SpillDir: e.t.TempDir()}
}

// csvFormat is pgsnow's CSV file format as planner/typemap renders it.
func csvFormat(compression string) string {
	var parts []string
	for _, s := range typemap.FileFormatOptions(compression) {
		parts = append(parts, s.Name+" = "+s.Value)
	}
	return strings.Join(parts, " ")
}

var extFor = map[string]string{"ZSTD": ".csv.zst", "GZIP": ".csv.gz", "NONE": ".csv"}

// compressed writes data through the codec, as the extractor does.
func compressed(t testing.TB, w io.Writer, compression string, data []byte) {
	t.Helper()
	var wc io.WriteCloser
	var err error
	switch compression {
	case "ZSTD":
		wc, err = zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedFastest))
	case "GZIP":
		wc, err = gzip.NewWriterLevel(w, gzip.BestSpeed)
	case "NONE":
		_, err = w.Write(data)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wc.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := wc.Close(); err != nil {
		t.Fatal(err)
	}
}

// csvProducer produces data compressed and claims rows.
func csvProducer(t testing.TB, compression string, data string, rows int64) func(io.Writer) (load.Extracted, error) {
	return func(w io.Writer) (load.Extracted, error) {
		var buf bytes.Buffer
		compressed(t, io.MultiWriter(w, &buf), compression, []byte(data))
		sum := sha256.Sum256(buf.Bytes())
		return load.Extracted{Rows: rows, Checksum: "sha256:" + hex.EncodeToString(sum[:])}, nil
	}
}

func sfemuNone() sfemu.Faults { return sfemu.Faults{} }

// impatientDB is a second connection whose driver gives up after one
// retry of a failed HTTP request, so that failures reach pgsnow's own
// retry instead of being absorbed by the driver.
func (e *env) impatientDB() *sql.DB {
	e.t.Helper()
	host, portText, _ := net.SplitHostPort(e.srv.Addr())
	port, _ := strconv.Atoi(portText)
	db := sql.OpenDB(gosf.NewConnector(gosf.SnowflakeDriver{}, gosf.Config{
		Account: account, User: user, Password: password, Host: host, Port: port, Protocol: "http",
		Database: e.name, Schema: "S", MaxRetryCount: 1, DisableTelemetry: true,
		LoginTimeout: 20 * time.Second,
	}))
	e.t.Cleanup(func() { _ = db.Close() })
	return db
}
