package command

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/providers/postgres/extract"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
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
// as pg_relation_size) and samples this process's VmRSS every 100 ms;
// peak-RSS-MB is the highest sample or VmHWM (reset before apply), which
// ever is higher. The emulator serves in this same process (it receives
// the PUT files and streams them into PostgreSQL on COPY INTO), so the
// figure is pgsnow's and the emulator's together: an upper bound for
// pgsnow alone.
func BenchmarkApplyMemory(b *testing.B) {
	want := envInt(b, "PGSNOW_BENCH_BYTES", 5_000_000_000)
	rows := max(want/memBenchRowBytes, 1)
	e := startBench(b, "settings {\n  profile = false\n}\n")
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

// throughputSQL is ARCHITECTURE.md's measured table (bigint, int,
// numeric(12,2), 40-char text, timestamptz, bool, small jsonb, uuid).
const throughputSQL = `
CREATE TABLE public.bench (id bigint, i int, n numeric(12,2), t text, ts timestamptz, b bool, j jsonb, u uuid);
INSERT INTO public.bench
SELECT g, (g %% 100000)::int, (g %% 10000000) / 100.0, md5(g::text) || left(md5((g + 1)::text), 8),
       '2020-01-01'::timestamptz + g * interval '1 second', g %% 2 = 0,
       jsonb_build_object('k', g %% 100, 'tag', 'x' || (g %% 7)), md5(g::text)::uuid
FROM generate_series(1, %d) g;`

// BenchmarkApplyThroughput measures in one run, over the same two CTID
// halves of a PGSNOW_BENCH_ROWS-row table (default 10 M): (a) two raw
// psql COPY (SELECT * …) TO STDOUT (FORMAT csv) streams into /dev/null,
// the limit, run before and after the others (the faster counts); (b)
// pgsnow's extract (the column expressions apply uses, from the planner's
// type mapping) + zstd level 1 + stage: PUT through a spill directory to
// the emulator's stage, as apply does, one worker per half; (c) the same
// uncompressed (compression = "none"). COPY INTO is not timed. For
// information: (a') psql with pgsnow's column expressions, and (b'), (c')
// the extraction alone into io.Discard (no spill file, no PUT).
func BenchmarkApplyThroughput(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Fatal("psql is not on PATH (apt-get install postgresql-client): the raw-COPY limit (a) cannot be measured")
	}
	rows := envInt(b, "PGSNOW_BENCH_ROWS", 10_000_000)
	e := startBench(b, "settings {\n  profile = false\n}\n")
	e.generate(b, fmt.Sprintf(throughputSQL, rows))
	ctx := context.Background()
	tbl := e.extractTable(b)
	c := extract.DSNConnector(e.srcDSN)
	snap, err := extract.BeginSnapshot(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	chunks, err := snap.Plan(ctx, tbl, extract.PlanOptions{ChunkBytes: (e.heapBytes(b)/8192 + 1) / 2 * 8192})
	snap.Close(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if len(chunks) != 2 {
		b.Fatalf("want two CTID halves, planned %d", len(chunks))
	}
	sf := e.snowflake(b)
	stage := load.Stage(`"ANALYTICS"."PUBLIC"."PGSNOW_BENCH"`)
	for _, q := range []string{"CREATE DATABASE IF NOT EXISTS ANALYTICS", "CREATE SCHEMA IF NOT EXISTS ANALYTICS.PUBLIC"} {
		if _, err := sf.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	if err := stage.Ensure(ctx, sf); err != nil {
		b.Fatal(err)
	}
	star := extract.Table{Schema: "public", Name: "bench", Columns: []extract.Column{{Name: "*", Expr: "*"}}}
	if _, err := runPsqlCopy(psql, e.srcDSN, star, chunks); err != nil { // warms the page cache
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		a1, err := runPsqlCopy(psql, e.srcDSN, star, chunks)
		if err != nil {
			b.Fatal(err)
		}
		z := runStage(b, ctx, c, sf, stage, tbl, chunks, extract.Zstd, rows)
		n := runStage(b, ctx, c, sf, stage, tbl, chunks, extract.None, rows)
		zx := runStage(b, ctx, c, nil, stage, tbl, chunks, extract.Zstd, rows)
		nx := runStage(b, ctx, c, nil, stage, tbl, chunks, extract.None, rows)
		a2, err := runPsqlCopy(psql, e.srcDSN, star, chunks)
		if err != nil {
			b.Fatal(err)
		}
		ax, err := runPsqlCopy(psql, e.srcDSN, tbl, chunks)
		if err != nil {
			b.Fatal(err)
		}
		limit := min(a1, a2)
		b.Logf("extract only (io.Discard, no PUT): zstd %.1fs, none %.1fs", zx.wall.Seconds(), nx.wall.Seconds())
		b.ReportMetric(100*limit.Seconds()/zx.wall.Seconds(), "zstd_extract_only_%_of_psql")
		b.ReportMetric(100*limit.Seconds()/nx.wall.Seconds(), "none_extract_only_%_of_psql")
		b.Logf("psql %.1fs / %.1fs, psql with pgsnow's expressions %.1fs, zstd+stage %.1fs (%.0f MB staged), none+stage %.1fs (%.0f MB staged)",
			a1.Seconds(), a2.Seconds(), ax.Seconds(), z.wall.Seconds(), float64(z.bytes)/1e6, n.wall.Seconds(), float64(n.bytes)/1e6)
		csvMB := float64(n.bytes) / 1e6
		b.ReportMetric(limit.Seconds(), "psql_s")
		b.ReportMetric(z.wall.Seconds(), "zstd_stage_s")
		b.ReportMetric(n.wall.Seconds(), "none_stage_s")
		b.ReportMetric(100*limit.Seconds()/z.wall.Seconds(), "zstd_%_of_psql")
		b.ReportMetric(100*limit.Seconds()/n.wall.Seconds(), "none_%_of_psql")
		b.ReportMetric(100*limit.Seconds()/ax.Seconds(), "psql_exprs_%_of_psql")
		b.ReportMetric(csvMB/z.wall.Seconds(), "zstd_csv_MB/s")
		b.ReportMetric(csvMB/n.wall.Seconds(), "none_csv_MB/s")
		b.ReportMetric(float64(max(z.rss, n.rss))/1e6, "peak-RSS-MB")
	}
}

// extractTable is the bench table as apply extracts it: the planner's
// type mapping, computed from the spec the way apply computes it.
func (e *benchEnv) extractTable(b *testing.B) extract.Table {
	b.Helper()
	ctx := context.Background()
	spec, _, diags := lang.LoadDir(".")
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	src, err := planSource(ctx, spec, spec.Sources[0], io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	res, err := planner.Plan(ctx, planner.Input{Spec: spec, Sources: []planner.Source{src}, Target: targetRef(spec), Now: time.Now(), Version: Version})
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range res.Model.Schemas {
		for _, t := range s.Tables {
			if t.SourceName.Schema != "public" || t.SourceName.Name != "bench" {
				continue
			}
			out := extract.Table{Schema: "public", Name: "bench"}
			for _, d := range t.Columns {
				out.Columns = append(out.Columns, extract.Column{Name: d.Target, Expr: d.Extract})
			}
			return out
		}
	}
	b.Fatal("the type mapping has no public.bench")
	return extract.Table{}
}

type stageRun struct {
	wall       time.Duration
	bytes, rss int64
}

// runStage extracts each chunk in one worker of one snapshot and PUTs it
// through a spill file, as apply's chunk step does before COPY INTO; with
// sf nil it extracts into io.Discard only (where the time goes).
func runStage(b *testing.B, ctx context.Context, c extract.Connector, sf *sql.DB, stage load.Stage, t extract.Table, chunks []extract.Chunk, comp extract.Compression, rows int64) stageRun {
	b.Helper()
	o := extract.Options{Format: extract.CSV, Compression: comp}
	spill := b.TempDir()
	resetPeakRSS()
	start := time.Now()
	snap, err := extract.BeginSnapshot(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Close(ctx)
	var wg sync.WaitGroup
	var got, staged atomic.Int64
	errs := make([]error, len(chunks))
	for i, ch := range chunks {
		wg.Go(func() {
			w, err := extract.OpenWorker(ctx, c, snap.ID())
			if err != nil {
				errs[i] = err
				return
			}
			defer w.Close(ctx)
			up := load.Upload{Stage: stage, Prefix: load.Prefix("bench-"+string(comp), "public", "bench"), Name: ch.FileName(o),
				Compression: strings.ToUpper(string(comp)), SpillDir: spill}
			produce := func(sink io.Writer) error {
				res, err := w.Extract(ctx, t, ch, o, sink)
				got.Add(res.Rows)
				staged.Add(res.Bytes)
				return err
			}
			if sf == nil {
				errs[i] = produce(io.Discard)
				return
			}
			// Put checks the staged file's size against what was written.
			_, errs[i] = load.Put(ctx, sf, up, load.Policy{Attempts: 1}, produce)
		})
	}
	wg.Wait()
	wall := time.Since(start)
	for _, err := range errs {
		if err != nil {
			b.Fatalf("%s: %v", comp, err)
		}
	}
	if got.Load() != rows {
		b.Fatalf("%s: extracted %d rows, the table has %d", comp, got.Load(), rows)
	}
	return stageRun{wall: wall, bytes: staged.Load(), rss: peakRSS()}
}

// runPsqlCopy runs one psql COPY per chunk concurrently into /dev/null,
// with the extractor's session settings.
func runPsqlCopy(psql, dsn string, t extract.Table, chunks []extract.Chunk) (time.Duration, error) {
	var opts []string
	for _, kv := range extract.SessionSettings {
		opts = append(opts, "-c "+kv[0]+"="+strings.ReplaceAll(kv[1], " ", `\ `))
	}
	exprs := make([]string, len(t.Columns))
	for i, col := range t.Columns {
		exprs[i] = col.Expr
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(chunks))
	for i, ch := range chunks {
		q := fmt.Sprintf("COPY (SELECT %s FROM %s WHERE %s) TO STDOUT (FORMAT csv)", strings.Join(exprs, ", "), ch.From, ch.Range)
		cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", q)
		cmd.Env = append(os.Environ(), "PGOPTIONS="+strings.Join(opts, " "))
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return 0, err
		}
		cmd.Stdout = devnull
		var stderr strings.Builder
		cmd.Stderr = &stderr
		wg.Go(func() {
			defer devnull.Close()
			if err := cmd.Run(); err != nil {
				errs[i] = fmt.Errorf("psql: %v: %s", err, stderr.String())
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}
