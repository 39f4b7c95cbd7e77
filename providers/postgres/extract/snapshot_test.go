package extract

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

func TestAllChunksReadOneSnapshot(t *testing.T) {
	t.Parallel()
	c := newDB(t, bigSQL)
	ctx := context.Background()
	snap, err := BeginSnapshot(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	chunks, err := snap.Plan(ctx, bigTable, PlanOptions{ChunkRows: 2500})
	if err != nil {
		t.Fatal(err)
	}
	// Committed after the snapshot: appended blocks (inside the last,
	// open-ended chunk), updates moving rows, deletes.
	execSQL(t, c, `INSERT INTO public.big SELECT g, 'new' FROM generate_series(20001, 26000) g`)
	execSQL(t, c, `UPDATE public.big SET pad = 'moved' WHERE id % 5 = 0`)
	execSQL(t, c, `DELETE FROM public.big WHERE id % 11 = 0`)

	// Two workers in parallel, as the executor runs them.
	var mu sync.Mutex
	seen := map[string]bool{}
	var total int64
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for wi := 0; wi < 2; wi++ {
		w, err := OpenWorker(ctx, c, snap.ID())
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(wi int, w *Worker) {
			defer wg.Done()
			defer w.Close(ctx)
			for i := wi; i < len(chunks); i += 2 {
				var buf bytes.Buffer
				res, err := w.Extract(ctx, bigTable, chunks[i], Options{Format: CSV, Compression: Zstd}, &buf)
				if err != nil {
					errs <- err
					return
				}
				recs, err := parseCSV(decompressBytes(Zstd, buf.Bytes()), "")
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				total += res.Rows
				for _, r := range recs {
					if seen[*r[0]] || *r[1] != strings.Repeat("p", 200) {
						errs <- errors.New("row " + *r[0] + " duplicated or changed after the snapshot")
					}
					seen[*r[0]] = true
				}
				mu.Unlock()
			}
		}(wi, w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if total != 20000 || len(seen) != 20000 {
		t.Fatalf("read %d rows (%d distinct), the snapshot has 20000", total, len(seen))
	}
	for id := range seen {
		if len(id) == 5 && id > "20000" {
			t.Fatalf("row %s was inserted after the snapshot", id)
		}
	}
}

func TestErrorNamesTableAndChunk(t *testing.T) {
	t.Parallel()
	c := newDB(t, bigSQL)
	ctx := context.Background()
	snap, err := BeginSnapshot(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	tbl := Table{Schema: "public", Name: "big", Columns: []Column{{"ID", "id"}, {"X", "(1 / (id - 15000))::text"}}}
	chunks, err := snap.Plan(ctx, tbl, PlanOptions{ChunkRows: 10000})
	if err != nil {
		t.Fatal(err)
	}
	w, err := OpenWorker(ctx, c, snap.ID())
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	for _, ch := range chunks {
		if _, err := w.Extract(ctx, tbl, ch, Options{Format: CSV, Compression: Zstd}, &bytes.Buffer{}); err != nil {
			failed = err
			break
		}
	}
	var ce *ChunkError
	if !errors.As(failed, &ce) || ce.Num != 2 {
		t.Fatalf("error = %v, want a ChunkError for chunk 2", failed)
	}
	msg := failed.Error()
	for _, want := range []string{`"public"."big"`, "chunk 2", ce.ID, "division by zero", "SQLSTATE 22012"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if IsTransient(failed) {
		t.Error("division by zero classified as transient")
	}
	// The worker is spent; a fresh one continues in the same snapshot.
	if _, err := w.Extract(ctx, tbl, chunks[0], Options{Format: CSV, Compression: Zstd}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "open a new worker") {
		t.Errorf("reuse after failure: %v", err)
	}
	w2, err := OpenWorker(ctx, c, snap.ID())
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close(ctx)
	res, err := w2.Extract(ctx, bigTable, chunks[1], Options{Format: CSV, Compression: None}, &bytes.Buffer{})
	if err != nil || res.Rows == 0 {
		t.Fatalf("retry on a new worker: %+v %v", res, err)
	}
}

// slowSink restarts the server once the COPY is streaming.
type slowSink struct {
	n       int
	trigger func()
}

func (s *slowSink) Write(p []byte) (int, error) {
	s.n++
	if s.n == 2 && s.trigger != nil {
		s.trigger()
	}
	if s.n >= 2 {
		// Slow enough that the COPY cannot finish before the shutdown.
		time.Sleep(20 * time.Millisecond)
	}
	return len(p), nil
}

func TestServerRestartMidExtractIsTransient(t *testing.T) {
	t.Parallel()
	cluster := pgtest.Start(t)
	ctx := context.Background()
	dsn := cluster.DSN("postgres")
	if err := pgtest.ExecScript(ctx, dsn, `CREATE TABLE public.big (id int PRIMARY KEY, pad text);
INSERT INTO public.big SELECT g, repeat('p', 200) FROM generate_series(1, 50000) g; ANALYZE public.big;`); err != nil {
		t.Fatal(err)
	}
	c := DSNConnector(dsn)
	snap, err := BeginSnapshot(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	chunks, err := snap.Plan(ctx, bigTable, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := OpenWorker(ctx, c, snap.ID())
	if err != nil {
		t.Fatal(err)
	}
	restarted := make(chan error, 1)
	sink := &slowSink{trigger: func() { go func() { restarted <- cluster.Restart() }() }}
	cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	// Uncompressed, the sink sees every 256 KB buffer: about 40 slow writes.
	_, err = w.Extract(cctx, bigTable, chunks[0], Options{Format: CSV, Compression: None}, sink)
	if rerr := <-restarted; rerr != nil {
		t.Fatalf("restart: %v", rerr)
	}
	if err == nil {
		t.Fatal("extraction survived a server restart")
	}
	if !IsTransient(err) {
		t.Errorf("restart error not transient: %v", err)
	}
	if !strings.Contains(err.Error(), `"public"."big" chunk 1`) {
		t.Errorf("error does not name the table and chunk: %v", err)
	}
	t.Logf("error: %v", err)
	// The snapshot died with the server: retrying must start over.
	_, err = OpenWorker(ctx, c, snap.ID())
	if !errors.Is(err, ErrSnapshotLost) || IsTransient(err) {
		t.Errorf("opening a worker on the lost snapshot: %v (transient %v)", err, IsTransient(err))
	}
	// A server that is down is worth retrying.
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	_, err = OpenWorker(ctx, c, snap.ID())
	if err == nil || !IsTransient(err) {
		t.Errorf("connecting to a stopped server: %v (transient %v)", err, IsTransient(err))
	}
}

func TestFailedPlanKeepsTheSnapshot(t *testing.T) {
	t.Parallel()
	c := newDB(t, bigSQL+`CREATE TABLE public.secret (id int PRIMARY KEY); INSERT INTO public.secret VALUES (1), (2);
DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pgsnow_reader') THEN CREATE ROLE pgsnow_reader LOGIN; END IF; END $$;
GRANT SELECT ON public.big TO pgsnow_reader;`)
	reader := DSNConnector(strings.Replace(string(c), "postgres@", "pgsnow_reader@", 1))
	ctx := context.Background()
	snap, err := BeginSnapshot(ctx, reader)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	_, err = snap.Plan(ctx, Table{Schema: "public", Name: "secret", Columns: []Column{{"ID", "id"}}}, PlanOptions{Strategy: ByPK, ChunkRows: 1})
	if err == nil || !strings.Contains(err.Error(), "permission denied") || IsTransient(err) {
		t.Fatalf("planning an unreadable table: %v", err)
	}
	execSQL(t, c, `INSERT INTO public.big VALUES (-1, 'after the snapshot')`)
	chunks, err := snap.Plan(ctx, bigTable, PlanOptions{Strategy: ByPK, ChunkRows: 5000})
	if err != nil {
		t.Fatalf("planning after a failed plan: %v", err)
	}
	coverage(t, reader, bigTable, chunks, 20001) // a new snapshot sees the new row
	w, err := OpenWorker(ctx, reader, snap.ID())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	var total int64
	for _, ch := range chunks {
		res, err := w.Extract(ctx, bigTable, ch, Options{Format: CSV, Compression: None}, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		total += res.Rows
	}
	if total != 20000 {
		t.Fatalf("the run's snapshot gave %d rows, want 20000", total)
	}
}
