package main

import (
	"database/sql"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sf "github.com/snowflakedb/gosnowflake"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

func TestParseFault(t *testing.T) {
	tests := []struct {
		in      string
		want    sfemu.FaultRule
		wantErr bool
	}{
		{"query:COPY:every=3:503", sfemu.FaultRule{Endpoint: "query", Statement: "COPY", Every: 3, Mode: "503"}, false},
		{"login:nth=1:drop", sfemu.FaultRule{Endpoint: "login", Nth: 1, Mode: "drop"}, false},
		{"query:nth=0:503", sfemu.FaultRule{}, true},
		{"query:every=2:teapot", sfemu.FaultRule{}, true},
		{"query", sfemu.FaultRule{}, true},
	}
	for _, tc := range tests {
		got, err := parseFault(tc.in)
		if (err != nil) != tc.wantErr {
			t.Fatalf("%s: err = %v", tc.in, err)
		}
		if err == nil {
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("%s: %s", tc.in, d)
			}
		}
	}
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// syncBuf is an io.Writer safe to read while run writes.
type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRun starts the program on a test database, logs in with gosnowflake
// and stops it with a signal.
func TestRun(t *testing.T) {
	stop := make(chan os.Signal, 1)
	var out syncBuf
	done := make(chan error, 1)
	go func() {
		done <- run([]string{"-listen", "127.0.0.1:0", "-postgres", pgtest.NewDatabase(t), "-stage-dir", t.TempDir(),
			"-user", "demo", "-password", "pw", "-account", "DEMO"}, &out, stop)
	}()
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if s := out.String(); strings.HasPrefix(s, "sfemu listening on http://") {
			addr = strings.TrimSpace(strings.TrimPrefix(strings.SplitN(s, "\n", 2)[0], "sfemu listening on http://"))
		}
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v", err)
		default:
		}
	}
	if addr == "" {
		t.Fatalf("no listening line; output %q", out.String())
	}
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	db := sql.OpenDB(sf.NewConnector(sf.SnowflakeDriver{}, sf.Config{Account: "DEMO", User: "demo", Password: "pw",
		Host: host, Port: p, Protocol: "http", DisableTelemetry: true}))
	var n int
	if err := db.QueryRow("SELECT 40 + 2").Scan(&n); err != nil || n != 42 {
		t.Fatalf("query through the program: %d, %v", n, err)
	}
	db.Close()
	stop <- os.Interrupt
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "shutting down") {
		t.Errorf("output %q", out.String())
	}
}
