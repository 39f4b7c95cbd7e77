package command

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/providers/postgres/extract"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// throughputSQL is ARCHITECTURE.md's measured table (bigint, int,
// numeric(12,2), 40-char text, timestamptz, bool, small jsonb, uuid).
const throughputSQL = `
CREATE TABLE public.bench (id bigint, i int, n numeric(12,2), t text, ts timestamptz, b bool, j jsonb, u uuid);
INSERT INTO public.bench
SELECT g, (g %% 100000)::int, (g %% 10000000) / 100.0, md5(g::text) || left(md5((g + 1)::text), 8),
       '2020-01-01'::timestamptz + g * interval '1 second', g %% 2 = 0,
       jsonb_build_object('k', g %% 100, 'tag', 'x' || (g %% 7)), md5(g::text)::uuid
FROM generate_series(1, %d) g;`

// stageVariant is one way of running pgsnow's chunk pipeline.
type stageVariant struct {
	name    string
	comp    extract.Compression
	stage   load.Stage // "" extracts into io.Discard: no spill file, no PUT
	parquet bool       // Parquet (comp compresses its pages) instead of CSV
}

// BenchmarkApplyThroughput measures, over a PGSNOW_BENCH_ROWS-row table
// (default 10 M) cut into CTID chunks as apply cuts it (the spec's default
// chunk_rows and chunk_size), as two streams that each take every other
// chunk, interleaved for PGSNOW_BENCH_ROUNDS rounds (default 2; each
// path's best round counts):
//
//   - the limit: two raw psql sessions, each running COPY (SELECT * …) TO
//     STDOUT (FORMAT csv) over its stream's chunks into /dev/null;
//   - the same with pgsnow's own COPY statement (its column expressions,
//     from the planner's type mapping): what PostgreSQL alone needs to
//     produce what pgsnow loads;
//   - pgsnow's pipeline as apply runs it, one worker per stream, each
//     chunk's PUT overlapping the next chunk's extraction as in the
//     executor: extract (those expressions) + compress (zstd level 1, or
//     none) + stage (PUT
//     through a spill file to the emulator, on a SNOWFLAKE_FULL stage —
//     client-side encrypted, the default — and on a SNOWFLAKE_SSE stage);
//     COPY INTO is not timed;
//   - for information, the extraction alone into io.Discard, and Parquet
//     (zstd pages) staged like CSV.
//
// Each path's %_of_psql is the limit's time over its time; client_cpu_s is
// this process's CPU time during the run (pgsnow and, in this process, the
// emulator receiving the files); the log gives each run's busy cores (all
// processes), which shows when the two cores were the limit.
// PGSNOW_BENCH_VARIANTS (comma-separated names) runs only those pgsnow
// paths, e.g. under -cpuprofile.
func BenchmarkApplyThroughput(b *testing.B) {
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Fatal("psql is not on PATH (apt-get install postgresql-client): the raw-COPY limit cannot be measured")
	}
	rows := envInt(b, "PGSNOW_BENCH_ROWS", 10_000_000)
	rounds := int(envInt(b, "PGSNOW_BENCH_ROUNDS", 2))
	e := startBench(b, "settings {\n  profile = false\n}\n")
	e.generate(b, fmt.Sprintf(throughputSQL, rows))
	ctx := context.Background()
	tbl, parquetTbl := e.extractTables(b)
	c := extract.DSNConnector(e.srcDSN)
	snap, err := extract.BeginSnapshot(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	// apply's own chunking (the spec's default chunk_rows and chunk_size).
	planned, err := snap.Plan(ctx, tbl, extract.PlanOptions{ChunkRows: lang.DefaultChunkRows, ChunkBytes: lang.DefaultChunkSize})
	snap.Close(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if len(planned) < 2 {
		b.Fatalf("want at least two CTID chunks, planned %d", len(planned))
	}
	// Two streams, each over every other chunk: the same ranges for psql
	// and for pgsnow's two workers.
	chunks := make([][]extract.Chunk, 2)
	for i, ch := range planned {
		chunks[i%2] = append(chunks[i%2], ch)
	}
	b.Logf("%d chunks of about %d rows", len(planned), int64(rows)/int64(len(planned)))
	sf := e.snowflake(b)
	full, sse := load.Stage(`"ANALYTICS"."PUBLIC"."PGSNOW_BENCH"`), load.Stage(`"ANALYTICS"."PUBLIC"."PGSNOW_BENCH_SSE"`)
	for _, q := range []string{"CREATE DATABASE IF NOT EXISTS ANALYTICS", "CREATE SCHEMA IF NOT EXISTS ANALYTICS.PUBLIC",
		"CREATE STAGE IF NOT EXISTS " + string(full),
		"CREATE STAGE IF NOT EXISTS " + string(sse) + " ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE')"} {
		if _, err := sf.ExecContext(ctx, q); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	star := extract.Table{Schema: "public", Name: "bench", Columns: []extract.Column{{Name: "*", Expr: "*"}}}
	if _, err := runPsqlCopy(psql, e.srcDSN, star, chunks); err != nil { // warms the page cache
		b.Fatal(err)
	}
	variants := []stageVariant{
		{"zstd_stage", extract.Zstd, full, false}, {"zstd_sse_stage", extract.Zstd, sse, false},
		{"none_stage", extract.None, full, false}, {"none_sse_stage", extract.None, sse, false},
		{"zstd_extract_only", extract.Zstd, "", false}, {"none_extract_only", extract.None, "", false},
		{"parquet_zstd_stage", extract.Zstd, full, true},
	}
	if only := os.Getenv("PGSNOW_BENCH_VARIANTS"); only != "" { // e.g. for a profile of one path
		variants = slices.DeleteFunc(variants, func(v stageVariant) bool { return !slices.Contains(strings.Split(only, ","), v.name) })
	}
	b.ResetTimer()
	for range b.N {
		var limit, same time.Duration
		best := map[string]stageRun{}
		keep := func(d *time.Duration, got time.Duration) {
			if *d == 0 || got < *d {
				*d = got
			}
		}
		for r := range rounds {
			for _, t := range []struct {
				name string
				tbl  extract.Table
				d    *time.Duration
			}{{"psql SELECT *", star, &limit}, {"psql pgsnow's statement", tbl, &same}} {
				settle(b, ctx, sf, full, sse)
				busy0 := machineBusy()
				got, err := runPsqlCopy(psql, e.srcDSN, t.tbl, chunks)
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("round %d: %s %.1fs (machine %.2f cores busy)", r+1, t.name, got.Seconds(), (machineBusy()-busy0).Seconds()/got.Seconds())
				keep(t.d, got)
			}
			for _, v := range variants {
				settle(b, ctx, sf, full, sse)
				t := tbl
				if v.parquet {
					t = parquetTbl
				}
				run := runStage(b, ctx, c, sf, v, t, chunks, rows)
				b.Logf("round %d: %s %.1fs (client CPU %.1fs, machine %.2f cores busy)", r+1, v.name, run.wall.Seconds(), run.cpu.Seconds(), run.busy.Seconds()/run.wall.Seconds())
				if old, ok := best[v.name]; !ok || run.wall < old.wall {
					best[v.name] = run
				}
			}
		}
		b.Logf("psql best: SELECT * %.1fs, pgsnow's statement %.1fs", limit.Seconds(), same.Seconds())
		b.ReportMetric(limit.Seconds(), "psql_s")
		b.ReportMetric(100*limit.Seconds()/same.Seconds(), "psql_same_query_%_of_psql")
		var rss int64
		for _, v := range variants {
			run := best[v.name]
			b.ReportMetric(100*limit.Seconds()/run.wall.Seconds(), v.name+"_%_of_psql")
			b.ReportMetric(100*same.Seconds()/run.wall.Seconds(), v.name+"_%_of_psql_same_query")
			b.ReportMetric(run.cpu.Seconds(), v.name+"_client_cpu_s")
			rss = max(rss, run.rss)
		}
		b.ReportMetric(float64(best["none_stage"].bytes)/1e6, "csv_MB")
		b.ReportMetric(float64(best["zstd_stage"].bytes)/1e6, "zstd_MB")
		b.ReportMetric(float64(best["parquet_zstd_stage"].bytes)/1e6, "parquet_zstd_MB")
		b.ReportMetric(float64(rss)/1e6, "peak-RSS-MB")
	}
}

// settle removes what earlier runs staged and flushes dirty pages, so a
// run is not slowed by the write-back of the one before (apply removes
// each file after its COPY; the stage of a real account is not on this
// machine). Not timed.
func settle(b *testing.B, ctx context.Context, sf *sql.DB, stages ...load.Stage) {
	b.Helper()
	for _, st := range stages {
		if _, err := st.Remove(ctx, sf, ""); err != nil {
			b.Fatal(err)
		}
	}
	syscall.Sync()
}

// extractTables is the bench table as apply extracts it into CSV and into
// Parquet: the planner's type mapping, computed from the spec the way apply
// computes it.
func (e *benchEnv) extractTables(b *testing.B) (csv, parquet extract.Table) {
	b.Helper()
	_, model := remapped(b)
	for _, s := range model.Schemas {
		for _, t := range s.Tables {
			if t.SourceName.Schema != "public" || t.SourceName.Name != "bench" {
				continue
			}
			csv, pq := extract.Table{Schema: "public", Name: "bench"}, extract.Table{Schema: "public", Name: "bench"}
			for _, d := range t.Columns {
				csv.Columns = append(csv.Columns, extract.Column{Name: d.Target, Expr: d.Extract})
				pq.Columns = append(pq.Columns, extract.Column{Name: d.Target, Expr: d.ParquetExtract()})
				if !d.ParquetNative() {
					pq.ParquetText = append(pq.ParquetText, d.Target)
				}
			}
			return csv, pq
		}
	}
	b.Fatal("the type mapping has no public.bench")
	return extract.Table{}, extract.Table{}
}

type stageRun struct {
	wall, cpu, busy time.Duration // busy: the whole machine's CPU time
	bytes, rss      int64
}

// runStage extracts each chunk in one worker of one snapshot and PUTs it
// through a spill file, as apply's chunk step does before COPY INTO (the
// extractor hashes, the upload only counts); without a stage it extracts
// into io.Discard only.
func runStage(b *testing.B, ctx context.Context, c extract.Connector, sf *sql.DB, v stageVariant, t extract.Table, streams [][]extract.Chunk, rows int64) stageRun {
	b.Helper()
	o := extract.Options{Format: extract.CSV, Compression: v.comp}
	if v.parquet {
		o.Format = extract.Parquet
	}
	spill := b.TempDir()
	resetPeakRSS()
	cpu0, busy0 := processCPU(), machineBusy()
	start := time.Now()
	snap, err := extract.BeginSnapshot(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	defer snap.Close(ctx)
	var wg sync.WaitGroup
	var got, staged atomic.Int64
	var errMu sync.Mutex
	var errs []error
	for _, chunks := range streams {
		wg.Go(func() {
			w, err := extract.OpenWorker(ctx, c, snap.ID())
			if err != nil {
				errMu.Lock()
				errs = append(errs, err)
				errMu.Unlock()
				return
			}
			defer w.Close(ctx)
			// As the executor runs chunk steps: one extraction at a time
			// per worker; a chunk's PUT overlaps the next one's extraction.
			slot, inFlight := make(chan struct{}, 1), make(chan struct{}, 2)
			var chunkWG sync.WaitGroup
			for _, ch := range chunks {
				inFlight <- struct{}{}
				chunkWG.Go(func() {
					defer func() { <-inFlight }()
					if err := stageChunk(ctx, w, slot, sf, v, t, ch, o, spill, &got, &staged); err != nil {
						errMu.Lock()
						errs = append(errs, err)
						errMu.Unlock()
					}
				})
			}
			chunkWG.Wait()
		})
	}
	wg.Wait()
	wall := time.Since(start)
	cpu, busy := processCPU()-cpu0, machineBusy()-busy0
	for _, err := range errs {
		if err != nil {
			b.Fatalf("%s: %v", v.name, err)
		}
	}
	if got.Load() != rows {
		b.Fatalf("%s: extracted %d rows, the table has %d", v.name, got.Load(), rows)
	}
	return stageRun{wall: wall, cpu: cpu, busy: busy, bytes: staged.Load(), rss: peakRSS()}
}

// stageChunk extracts one chunk in w, holding slot (the worker's one
// extraction place), and PUTs it through a spill file (or, without a
// stage, into io.Discard).
func stageChunk(ctx context.Context, w *extract.Worker, slot chan struct{}, sf *sql.DB, v stageVariant, t extract.Table, ch extract.Chunk, o extract.Options, spill string, got, staged *atomic.Int64) error {
	produce := func(sink io.Writer) error {
		slot <- struct{}{}
		defer func() { <-slot }()
		res, err := w.Extract(ctx, t, ch, o, sink)
		got.Add(res.Rows)
		staged.Add(res.Bytes)
		return err
	}
	if v.stage == "" {
		return produce(io.Discard)
	}
	up := load.Upload{Stage: v.stage, Prefix: load.Prefix("bench-"+v.name, "public", "bench"), Name: ch.FileName(o),
		Compression: strings.ToUpper(string(v.comp)), SpillDir: spill, NoHash: true}
	if o.Format == extract.Parquet {
		up.Compression = "NONE" // as apply stages it: Parquet compresses its own pages
	}
	// Put checks the staged file's size against what was written.
	_, err := load.Put(ctx, sf, up, load.Policy{Attempts: 1}, produce)
	return err
}

// machineBusy is the CPU time all processes have used so far (/proc/stat:
// every state but idle and iowait, in USER_HZ = 100 ticks); over a run it
// shows whether the two cores were saturated.
func machineBusy() time.Duration {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	var busy time.Duration
	for i, f := range strings.Fields(line)[1:] {
		n, _ := strconv.ParseInt(f, 10, 64)
		if i != 3 && i != 4 { // idle, iowait
			busy += time.Duration(n) * 10 * time.Millisecond
		}
	}
	return busy
}

// processCPU is this process's user + system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runPsqlCopy runs one psql per stream concurrently into /dev/null, each
// COPYing its stream's chunks in turn, with the extractor's session
// settings.
func runPsqlCopy(psql, dsn string, t extract.Table, streams [][]extract.Chunk) (time.Duration, error) {
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
	errs := make([]error, len(streams))
	for i, chunks := range streams {
		args := []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn}
		for _, ch := range chunks {
			args = append(args, "-c", fmt.Sprintf("COPY (SELECT %s FROM %s WHERE %s) TO STDOUT (FORMAT csv)", strings.Join(exprs, ", "), ch.From, ch.Range))
		}
		cmd := exec.Command(psql, args...)
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
