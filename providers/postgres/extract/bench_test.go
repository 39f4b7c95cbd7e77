package extract

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

// benchColumns are the mixed-type table's columns, extracted as text.
var benchColumns = []Column{{"ID", "id"}, {"I", "i"}, {"N", "n"}, {"T", "t"}, {"TS", "ts"}, {"B", "b"}, {"J", "j"}, {"U", "u"}}

// BenchmarkExtract measures, in one run against one dedicated cluster:
// (a) two raw psql COPY … (FORMAT csv) streams over two CTID ranges into
// /dev/null, the limit; (b) pgsnow extraction of the same ranges with two
// workers, CSV + zstd level 1, into io.Discard; (c) the same with no
// compression; (d), for information, Parquet with zstd pages. (a)–(c) run
// PGSNOW_BENCH_ROUNDS times (default 2) interleaved, then a final (a),
// then (d). It
// reports (b)/(a), (c)/(a) and (d)/(a) throughput ratios of the best
// times (and of the means), and the process's peak RSS. Rows: PGSNOW_BENCH_ROWS
// (default 10 000 000).
func BenchmarkExtract(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Skip("psql not found: the raw-COPY limit (a) cannot be measured")
	}
	rows := int64(10_000_000)
	if s := os.Getenv("PGSNOW_BENCH_ROWS"); s != "" {
		if rows, err = strconv.ParseInt(s, 10, 64); err != nil || rows <= 0 {
			b.Fatalf("PGSNOW_BENCH_ROWS=%q: want a positive integer", s)
		}
	}
	ctx := context.Background()
	cluster := pgtest.Start(b)
	dsn := cluster.DSN("postgres")
	start := time.Now()
	err = pgtest.ExecScript(ctx, dsn, fmt.Sprintf(`
CREATE TABLE public.bench (id bigint, i int, n numeric(12,2), t text, ts timestamptz, b bool, j jsonb, u uuid);
INSERT INTO public.bench
SELECT g, (g %% 100000)::int, (g %% 10000000) / 100.0, md5(g::text) || left(md5((g + 1)::text), 8),
       '2020-01-01'::timestamptz + g * interval '1 second', g %% 2 = 0,
       jsonb_build_object('k', g %% 100, 'tag', 'x' || (g %% 7)), md5(g::text)::uuid
FROM generate_series(1, %d) g;`, rows))
	if err != nil {
		b.Fatal(err)
	}
	if err := pgtest.ExecScript(ctx, dsn, "VACUUM (FREEZE, ANALYZE) public.bench"); err != nil {
		b.Fatal(err)
	}
	b.Logf("setup: %d rows in %s", rows, time.Since(start).Round(time.Second))

	c := DSNConnector(dsn)
	tbl := Table{Schema: "public", Name: "bench", Columns: benchColumns}
	q, err := connect(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	var blocks int64
	if err := q.QueryRow(ctx, "SELECT pg_relation_size('public.bench') / 8192").Scan(&blocks); err != nil {
		b.Fatal(err)
	}
	chunks, err := Plan(ctx, q, tbl, PlanOptions{ChunkBytes: (blocks + 1) / 2 * 8192})
	q.Close(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if len(chunks) != 2 {
		b.Fatalf("want two CTID ranges, planned %d", len(chunks))
	}
	// Warm the page cache so the first path measured is not penalised.
	if _, err := runPsql(psql, dsn, tbl, chunks); err != nil {
		b.Fatal(err)
	}

	rounds := 2
	if s := os.Getenv("PGSNOW_BENCH_ROUNDS"); s != "" {
		if rounds, err = strconv.Atoi(s); err != nil || rounds <= 0 {
			b.Fatalf("PGSNOW_BENCH_ROUNDS=%q: want a positive integer", s)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		// Paths interleave so load from elsewhere hits each alike; the
		// best of each path's rounds is its least-disturbed time.
		var ps, zs, ns []runStats
		psqlRun := func() {
			d, err := runPsql(psql, dsn, tbl, chunks)
			if err != nil {
				b.Fatal(err)
			}
			ps = append(ps, runStats{wall: d, rows: rows})
		}
		extractRun := func(o Options) runStats {
			st, err := runExtract(ctx, c, tbl, chunks, o)
			if err != nil {
				b.Fatal(err)
			}
			if st.rows != rows {
				b.Fatalf("%+v: extracted %d rows, table has %d", o, st.rows, rows)
			}
			return st
		}
		var pq runStats
		for range rounds {
			psqlRun()
			zs = append(zs, extractRun(Options{Format: CSV, Compression: Zstd}))
			ns = append(ns, extractRun(Options{Format: CSV, Compression: None}))
		}
		psqlRun()
		// Last: its row groups would otherwise linger in the heap and
		// inflate the CSV runs' RSS readings.
		pq = extractRun(Options{Format: Parquet, Compression: Zstd})
		for r := range rounds {
			b.Logf("round %d: psql %.1fs, zstd %.1fs, none %.1fs", r+1, ps[r].wall.Seconds(), zs[r].wall.Seconds(), ns[r].wall.Seconds())
		}
		b.Logf("final psql %.1fs; parquet %.1fs", ps[rounds].wall.Seconds(), pq.wall.Seconds())
		limit, z, n := best(ps), best(zs), best(ns)
		mb := float64(n.raw) / 1e6
		b.ReportMetric(limit.wall.Seconds(), "psql_best_s")
		b.ReportMetric(z.wall.Seconds(), "zstd_best_s")
		b.ReportMetric(n.wall.Seconds(), "none_best_s")
		b.ReportMetric(mb/limit.wall.Seconds(), "psql_MB/s")
		b.ReportMetric(mb/z.wall.Seconds(), "zstd_MB/s")
		b.ReportMetric(mb/n.wall.Seconds(), "none_MB/s")
		b.ReportMetric(100*limit.wall.Seconds()/z.wall.Seconds(), "zstd_%_of_psql")
		b.ReportMetric(100*limit.wall.Seconds()/n.wall.Seconds(), "none_%_of_psql")
		b.ReportMetric(100*mean(ps)/mean(zs), "zstd_%_of_psql_mean")
		b.ReportMetric(100*mean(ps)/mean(ns), "none_%_of_psql_mean")
		b.ReportMetric(z.cpu.Seconds(), "zstd_client_cpu_s")
		b.ReportMetric(n.cpu.Seconds(), "none_client_cpu_s")
		b.ReportMetric(float64(z.bytes)/1e6, "zstd_out_MB")
		b.ReportMetric(mb, "csv_MB")
		var rss int64
		for _, st := range append(zs, ns...) {
			rss = max(rss, st.peakRSS)
		}
		b.ReportMetric(float64(rss)/1e6, "peak_RSS_MB")
		b.ReportMetric(pq.wall.Seconds(), "parquet_s")
		b.ReportMetric(100*limit.wall.Seconds()/pq.wall.Seconds(), "parquet_%_of_psql")
		b.ReportMetric(pq.cpu.Seconds(), "parquet_client_cpu_s")
		b.ReportMetric(float64(pq.bytes)/1e6, "parquet_out_MB")
		b.ReportMetric(float64(pq.peakRSS)/1e6, "parquet_peak_RSS_MB")
	}
}

func best(runs []runStats) runStats {
	b := runs[0]
	for _, r := range runs[1:] {
		if r.wall < b.wall {
			b = r
		}
	}
	return b
}

func mean(runs []runStats) float64 {
	var sum float64
	for _, r := range runs {
		sum += r.wall.Seconds()
	}
	return sum / float64(len(runs))
}

// runPsql runs one psql COPY per chunk concurrently into /dev/null, with
// the same session settings and expressions as the extractor.
func runPsql(psql, dsn string, t Table, chunks []Chunk) (time.Duration, error) {
	var opts []string
	for _, kv := range SessionSettings {
		opts = append(opts, "-c "+kv[0]+"="+strings.ReplaceAll(kv[1], " ", `\ `))
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, len(chunks))
	for i, ch := range chunks {
		sql, _ := copySQL(t, ch)
		cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn, "-c", sql)
		cmd.Env = append(os.Environ(), "PGOPTIONS="+strings.Join(opts, " "))
		devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			return 0, err
		}
		cmd.Stdout = devnull
		var stderr strings.Builder
		cmd.Stderr = &stderr
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer devnull.Close()
			if err := cmd.Run(); err != nil {
				errs[i] = fmt.Errorf("psql: %v: %s", err, stderr.String())
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

type runStats struct {
	wall             time.Duration
	cpu              time.Duration // this process, user + system
	rows, raw, bytes int64
	peakRSS          int64
}

// runExtract extracts the chunks with one worker each, in one snapshot.
func runExtract(ctx context.Context, c Connector, t Table, chunks []Chunk, o Options) (runStats, error) {
	resetPeakRSS()
	cpu0 := processCPU()
	start := time.Now()
	snap, err := BeginSnapshot(ctx, c)
	if err != nil {
		return runStats{}, err
	}
	defer snap.Close(ctx)
	var st runStats
	var mu sync.Mutex
	var wg sync.WaitGroup
	errs := make([]error, len(chunks))
	for i, ch := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := OpenWorker(ctx, c, snap.ID())
			if err != nil {
				errs[i] = err
				return
			}
			defer w.Close(ctx)
			res, err := w.Extract(ctx, t, ch, o, io.Discard)
			if err != nil {
				errs[i] = err
				return
			}
			mu.Lock()
			st.rows += res.Rows
			st.raw += res.RawBytes
			st.bytes += res.Bytes
			mu.Unlock()
		}()
	}
	wg.Wait()
	st.wall = time.Since(start)
	st.cpu = processCPU() - cpu0
	st.peakRSS = peakRSS()
	for _, err := range errs {
		if err != nil {
			return st, err
		}
	}
	return st, nil
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets VmHWM (Linux: writing 5 to clear_refs) so the next
// reading covers only what follows; where that is not allowed the reading
// covers the whole process.
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS reads VmHWM in bytes.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024
		}
	}
	return 0
}
