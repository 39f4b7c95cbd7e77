package executor

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
)

// transientErr is what the fakes return for a retryable failure.
type transientErr struct{ msg string }

func (e *transientErr) Error() string { return e.msg }

func isTransient(err error) bool {
	var t *transientErr
	return errors.As(err, &t)
}

// script hands out scripted errors per key, one per call, then nil.
type script struct {
	mu   sync.Mutex
	errs map[string][]error
}

func (s *script) next(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.errs[key]
	if len(q) == 0 {
		return nil
	}
	s.errs[key] = q[1:]
	return q[0]
}

func (s *script) fail(key string, errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.errs == nil {
		s.errs = map[string][]error{}
	}
	s.errs[key] = append(s.errs[key], errs...)
}

func chunkKey(load *plan.LoadDetail, c Chunk) string {
	return fmt.Sprintf("%s.%s#%d", load.Source.Schema, load.Source.Table, c.Index)
}

// fakeSource writes EstimatedRows lines per chunk ("table,chunk,row").
type fakeSource struct {
	script
	mu        sync.Mutex
	extracted []string // chunk keys, in call order
	begun     int
	ended     int
	// hold, when set, is called inside Extract before writing.
	hold func(ctx context.Context, key string) error
	// active counts extractions running now, maxActive the most at once.
	active, maxActive int
	// shift moves every chunk boundary, as a source that cuts the table
	// differently in a later run would.
	shift int
}

// Chunks are the plan's chunks (rows from their estimates).
func (f *fakeSource) Chunks(_ context.Context, c *plan.Change) ([]Chunk, error) {
	if err := f.next("chunks " + c.Address); err != nil {
		return nil, err
	}
	var out []Chunk
	for _, pc := range c.Load.Chunks {
		from, to := pc.From, pc.To
		if f.shift != 0 {
			from, to = from+fmt.Sprint(f.shift), to+fmt.Sprint(f.shift)
		}
		out = append(out, Chunk{By: pc.By, From: from, To: to, EstimatedRows: pc.EstimatedRows, Ref: pc.EstimatedRows})
	}
	return out, nil
}

func (f *fakeSource) Begin(context.Context) error { f.mu.Lock(); f.begun++; f.mu.Unlock(); return nil }
func (f *fakeSource) End(context.Context) error   { f.mu.Lock(); f.ended++; f.mu.Unlock(); return nil }
func (f *fakeSource) FileName(pc *plan.Change, c Chunk) string {
	return fmt.Sprintf("%s_%s_chunk_%04d.csv", pc.Load.Source.Schema, pc.Load.Source.Table, c.Index+1)
}

func (f *fakeSource) Extract(ctx context.Context, pc *plan.Change, c Chunk, w io.Writer) (Extracted, error) {
	l := pc.Load
	key := chunkKey(l, c)
	f.mu.Lock()
	f.extracted = append(f.extracted, key)
	f.active++
	f.maxActive = max(f.maxActive, f.active)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.active--; f.mu.Unlock() }()
	if f.hold != nil {
		if err := f.hold(ctx, key); err != nil {
			return Extracted{}, err
		}
	}
	if err := f.next(key); err != nil {
		return Extracted{}, err
	}
	h := sha256.New()
	var n int64
	rows := c.Ref.(int64)
	for i := int64(0); i < rows; i++ {
		m, err := fmt.Fprintf(io.MultiWriter(w, h), "%s,%d,%d\n", l.Source.Table, c.Index, i)
		n += int64(m)
		if err != nil {
			return Extracted{}, err
		}
	}
	return Extracted{Rows: rows, Bytes: n, Checksum: "sha256:" + hex.EncodeToString(h.Sum(nil))}, nil
}

// fakeTarget keeps tables as line lists and logs every operation with a
// sequence number, so tests can check ordering.
type fakeTarget struct {
	script
	mu       sync.Mutex
	seq      int
	ops      []op
	tables   map[string][]string // load address → lines
	inflight int
	maxIn    int
	// staged, when set, runs in LoadFile once produce has written the
	// file, before the COPY.
	staged func(ctx context.Context, key string) error
	// badCount adds to CountRows' answer.
	badCount int64
	// copied are the staged files whose COPY ran, with their rows.
	copied map[string]int64
}

type op struct {
	start, end int
	what       string // "exec <stmt>", "begin <addr> fresh", "load <key>", "count <addr>", "final <addr>"
	obj        string
}

func (f *fakeTarget) begin(obj, what string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.ops = append(f.ops, op{start: f.seq, what: what, obj: obj})
	return len(f.ops) - 1
}

func (f *fakeTarget) end(i int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	f.ops[i].end = f.seq
}

func (f *fakeTarget) Exec(ctx context.Context, _ *plan.Change, stmt string) (string, error) {
	i := f.begin(stmt, "exec "+stmt)
	defer f.end(i)
	if err := f.next("exec " + stmt); err != nil {
		return "", err
	}
	return fmt.Sprintf("q-%d", i), nil
}

func (f *fakeTarget) BeginLoad(ctx context.Context, c *plan.Change, fresh bool) error {
	i := f.begin(c.Address, fmt.Sprintf("begin %s fresh=%t", c.Address, fresh))
	defer f.end(i)
	if err := f.next("begin " + c.Address); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.tables == nil {
		f.tables = map[string][]string{}
	}
	if fresh {
		f.tables[c.Address] = nil
	}
	return nil
}

func (f *fakeTarget) LoadFile(ctx context.Context, c *plan.Change, ref FileRef, produce func(io.Writer) (Extracted, error)) (Loaded, error) {
	key := chunkKey(c.Load, ref.Chunk)
	i := f.begin(c.Address, "load "+key)
	defer f.end(i)
	f.mu.Lock()
	f.inflight++
	f.maxIn = max(f.maxIn, f.inflight)
	f.mu.Unlock()
	defer func() { f.mu.Lock(); f.inflight--; f.mu.Unlock() }()
	var buf bytes.Buffer
	ex, err := produce(&buf)
	if err != nil {
		return Loaded{}, err // the partial file is discarded
	}
	if f.staged != nil {
		if err := f.staged(ctx, key); err != nil {
			return Loaded{}, err
		}
	}
	file := "run/" + ref.Name
	if ref.Staged != nil {
		if err := ref.Staged(Pending{File: file, Rows: ex.Rows, Bytes: int64(buf.Len()), Checksum: ex.Checksum}); err != nil {
			return Loaded{}, err
		}
	}
	if err := f.next("load " + key); err != nil {
		return Loaded{}, err
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if buf.Len() == 0 {
		lines = nil
	}
	f.mu.Lock()
	f.tables[c.Address] = append(f.tables[c.Address], lines...)
	if f.copied == nil {
		f.copied = map[string]int64{}
	}
	f.copied[file] = int64(len(lines))
	f.mu.Unlock()
	// A failure here is one after the COPY committed: the answer lost,
	// or the process killed before the manifest.
	if err := f.next("copied " + key); err != nil {
		return Loaded{}, err
	}
	return Loaded{File: file, Rows: int64(len(lines)), Bytes: int64(buf.Len()), Checksum: ex.Checksum, QueryID: "copy-" + key}, nil
}

// ResolveFile answers from what COPY ran: a file it copied is loaded.
func (f *fakeTarget) ResolveFile(ctx context.Context, c *plan.Change, ref FileRef, p Pending) (Loaded, bool, error) {
	key := chunkKey(c.Load, ref.Chunk)
	i := f.begin(c.Address, "resolve "+key)
	defer f.end(i)
	if err := f.next("resolve " + key); err != nil {
		return Loaded{}, false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	n, ok := f.copied[p.File]
	if !ok {
		return Loaded{}, false, nil
	}
	return Loaded{File: p.File, Rows: n, Bytes: p.Bytes, Checksum: p.Checksum, QueryID: "resolved-" + key}, true, nil
}

func (f *fakeTarget) CountRows(ctx context.Context, c *plan.Change) (int64, error) {
	i := f.begin(c.Address, "count "+c.Address)
	defer f.end(i)
	f.mu.Lock()
	defer f.mu.Unlock()
	return int64(len(f.tables[c.Address])) + f.badCount, nil
}

func (f *fakeTarget) Finalize(ctx context.Context, c *plan.Change) (string, error) {
	i := f.begin(c.Address, "final "+c.Address)
	defer f.end(i)
	return "final-" + c.Address, f.next("final " + c.Address)
}

// loads lists the chunk keys loaded, in order.
func (f *fakeTarget) loads() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, o := range f.ops {
		if k, ok := strings.CutPrefix(o.what, "load "); ok {
			out = append(out, k)
		}
	}
	return out
}

// recorder is a Sink keeping every event.
type recorder struct {
	mu     sync.Mutex
	events []Event
	on     func(Event)
}

func (r *recorder) Event(e Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	if r.on != nil {
		r.on(e)
	}
}

func (r *recorder) kinds(k EventKind) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if e.Kind == k {
			s := e.Object
			if e.HasChunk {
				s += fmt.Sprintf("#%d", e.Chunk)
			}
			out = append(out, s)
		}
	}
	return out
}

// newJournal is a real journal on a local state file in a temp dir.
func newJournal(t *testing.T) (*state.Journal, *local.Manager) {
	t.Helper()
	m := local.New(filepath.Join(t.TempDir(), "pgsnow.tfstate"))
	return state.NewJournal(m, state.New("test")), m
}

// reopen reads the stored state into a new journal, as a second run would.
func reopen(t *testing.T, m *local.Manager) *state.Journal {
	t.Helper()
	s, err := m.Read(context.Background())
	if err != nil || s == nil {
		t.Fatalf("reading state: %v (state %v)", err, s)
	}
	return state.NewJournal(m, s)
}

// fastOptions keep retries instant and the clock fixed.
func fastOptions(par int, sink Sink) Options {
	t0 := time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)
	return Options{Parallelism: par, Retry: RetryPolicy{Attempts: 3, Initial: time.Microsecond, Max: 10 * time.Microsecond},
		IsTransient: isTransient, Sink: sink, Now: func() time.Time { return t0 }, Grace: time.Minute}
}
