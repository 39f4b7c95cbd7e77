package command

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// Issue 7's two benchmark acceptance items. Both start a dedicated
// cluster (source database "postgres", emulator backing database "emu")
// and the emulator in this process, and take minutes at full size:
//
//	scripts/bench-apply.sh [memory|throughput]

// benchEnv is a source table in a dedicated cluster and the emulator,
// with a spec pointing at both in a fresh working directory.
type benchEnv struct {
	srcDSN   string
	stageDir string
	host     string
	port     int
}

func startBench(b *testing.B, settings string) *benchEnv {
	b.Helper()
	ctx := context.Background()
	cluster := pgtest.Start(b)
	if err := cluster.CreateDatabase(ctx, "emu"); err != nil {
		b.Fatal(err)
	}
	e := &benchEnv{srcDSN: cluster.DSN("postgres"), stageDir: b.TempDir()}
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: cluster.DSN("emu"), StageDir: e.stageDir,
		Users: []sfemu.User{{Name: "LOADER", Password: testSFPassword}}})
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close() })
	host, portText, _ := net.SplitHostPort(srv.Addr())
	e.host = host
	e.port, _ = strconv.Atoi(portText)
	b.Chdir(b.TempDir())
	b.Setenv("PGSNOW_TEST_SOURCE_DSN", e.srcDSN)
	b.Setenv("PGSNOW_TEST_SF_PASSWORD", testSFPassword)
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, specHCL, e.host, e.port, settings), 0o644); err != nil {
		b.Fatal(err)
	}
	return e
}

// generate runs the table's DDL and INSERT, then VACUUM ANALYZE so the
// planner has statistics and the heap has its final size.
func (e *benchEnv) generate(b *testing.B, script string) {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	if err := pgtest.ExecScript(ctx, e.srcDSN, script); err != nil {
		b.Fatal(err)
	}
	if err := pgtest.ExecScript(ctx, e.srcDSN, "VACUUM (FREEZE, ANALYZE) public.bench"); err != nil {
		b.Fatal(err)
	}
	b.Logf("setup: %s (heap %.0f MB)", time.Since(start).Round(time.Second), float64(e.heapBytes(b))/1e6)
}

func (e *benchEnv) heapBytes(b *testing.B) int64 {
	b.Helper()
	var n int64
	e.query(b, "SELECT pg_relation_size('public.bench')", &n)
	return n
}

func (e *benchEnv) query(b *testing.B, q string, dst ...any) {
	b.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, e.srcDSN)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if err := conn.QueryRow(ctx, q).Scan(dst...); err != nil {
		b.Fatalf("%s: %v", q, err)
	}
}

func (e *benchEnv) snowflake(b *testing.B) *sql.DB {
	b.Helper()
	db, err := snowflake.Open(context.Background(), snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: e.host, Port: e.port,
		Protocol: "http", Database: "ANALYTICS", LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: testSFPassword}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func envInt(b *testing.B, name string, def int64) int64 {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a positive integer", name, s)
	}
	return n
}

// memBenchRowBytes is the heap bytes per row of memBenchSQL's table
// (measured: tuple header, 7 columns, a 200-char text, line pointer).
const memBenchRowBytes = 293

const memBenchSQL = `
CREATE TABLE public.bench (id bigint, i int, n numeric(12,2), t text, ts timestamptz, b bool, u uuid);
INSERT INTO public.bench
SELECT g, (g %% 100000)::int, (g %% 10000000) / 100.0, repeat(md5(g::text), 6) || left(md5((g + 1)::text), 8),
       '2020-01-01'::timestamptz + g * interval '1 second', g %% 2 = 0, md5(g::text)::uuid
FROM generate_series(1, %d) g;`

// BenchmarkApplyMemory runs 'pgsnow apply -auto-approve -parallelism 2'
// in process on one table of PGSNOW_BENCH_BYTES heap bytes (default 5 GB,
// as pg_relation_size), in CSV or (PGSNOW_BENCH_FORMAT=parquet) Parquet
// with zstd pages, and samples this process's VmRSS every 100 ms;
// peak-RSS-MB is the highest sample or VmHWM (reset before apply), which
// ever is higher. The emulator serves in this same process (it receives
// the PUT files and streams them into PostgreSQL on COPY INTO), so the
// figure is pgsnow's and the emulator's together: an upper bound for
// pgsnow alone.
func BenchmarkApplyMemory(b *testing.B) {
	want := envInt(b, "PGSNOW_BENCH_BYTES", 5_000_000_000)
	rows := max(want/memBenchRowBytes, 1)
	settings := "settings {\n  profile = false\n}\n"
	switch f := os.Getenv("PGSNOW_BENCH_FORMAT"); f {
	case "", "csv":
	case "parquet":
		settings = "settings {\n  profile = false\n  format = \"parquet\"\n  compression = \"zstd\"\n}\n"
	default:
		b.Fatalf("PGSNOW_BENCH_FORMAT=%q: want csv or parquet", f)
	}
	e := startBench(b, settings)
	e.generate(b, fmt.Sprintf(memBenchSQL, rows))
	heap := e.heapBytes(b)
	sf := e.snowflake(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 {
			b.Fatal("run with -benchtime 1x: a second apply has nothing to load")
		}
		resetPeakRSS()
		stop := sampleRSS(100 * time.Millisecond)
		start := time.Now()
		code, out, errs := pgsnow("apply", "-auto-approve", "-parallelism", "2")
		wall := time.Since(start)
		peak, samples := stop()
		if code != 0 || !strings.Contains(out, "Apply complete!") {
			b.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
		}
		var loaded int64
		if err := sf.QueryRow("SELECT COUNT(*) FROM ANALYTICS.PUBLIC.BENCH").Scan(&loaded); err != nil {
			b.Fatal(err)
		}
		if loaded != rows {
			b.Fatalf("Snowflake has %d rows, the source %d", loaded, rows)
		}
		hwm := peakRSS()
		b.Logf("%d rows, heap %.0f MB, apply %.1fs, %d RSS samples, sampled peak %.0f MB, VmHWM %.0f MB",
			rows, float64(heap)/1e6, wall.Seconds(), samples, float64(peak)/1e6, float64(hwm)/1e6)
		b.ReportMetric(float64(max(peak, hwm))/1e6, "peak-RSS-MB")
		b.ReportMetric(float64(peak)/1e6, "sampled-peak-RSS-MB")
		b.ReportMetric(float64(heap)/1e6/wall.Seconds(), "heap-MB/s")
		b.ReportMetric(wall.Seconds(), "apply_s")
		b.ReportMetric(float64(heap)/1e6, "heap_MB")
	}
}

// sampleRSS reads VmRSS every interval until stop, which returns the
// highest reading and the number of readings.
func sampleRSS(interval time.Duration) (stop func() (int64, int)) {
	var peak atomic.Int64
	var n atomic.Int64
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			peak.Store(max(peak.Load(), procStatus("VmRSS:")))
			n.Add(1)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() (int64, int) {
		close(done)
		<-finished
		return peak.Load(), int(n.Load())
	}
}

// resetPeakRSS resets VmHWM (Linux: 5 to clear_refs) so that peakRSS
// covers only what follows.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

func peakRSS() int64 { return procStatus("VmHWM:") }

// procStatus reads one kB field of /proc/self/status, in bytes.
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
