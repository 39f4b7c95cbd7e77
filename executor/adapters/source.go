package adapters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pgsnow/pgsnow/executor"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres/extract"
)

// Source reads chunks from PostgreSQL: one exported snapshot for the run,
// worker connections that import it, reused between chunks (a worker
// that failed is closed by extract and replaced).
type Source struct {
	conn   extract.Connector
	tables map[string]*Table

	mu   sync.Mutex
	snap *extract.Snapshot
	idle []*extract.Worker
}

// NewSource reads through conn the tables Tables described.
func NewSource(conn extract.Connector, tables map[string]*Table) *Source {
	return &Source{conn: conn, tables: tables}
}

// Begin exports the run's snapshot.
func (s *Source) Begin(ctx context.Context) error {
	snap, err := extract.BeginSnapshot(ctx, s.conn)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.snap = snap
	s.mu.Unlock()
	return nil
}

// End closes the workers and the snapshot.
func (s *Source) End(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, w := range s.idle {
		errs = append(errs, w.Close(ctx))
	}
	s.idle = nil
	if s.snap != nil {
		errs = append(errs, s.snap.Close(ctx))
		s.snap = nil
	}
	return errors.Join(errs...)
}

func (s *Source) table(c *plan.Change) (*Table, error) {
	t := s.tables[c.Address]
	if t == nil {
		return nil, fmt.Errorf("%s: no table description (adapters.Tables)", c.Address)
	}
	return t, nil
}

// Chunks cuts the table inside the snapshot. A chunk's identity in the
// state manifest is extract's chunk id: By is its kind (ctid, pk, keyset,
// all), From the rest of the id (relation and range), To empty.
func (s *Source) Chunks(ctx context.Context, c *plan.Change) ([]executor.Chunk, error) {
	t, err := s.table(c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	snap := s.snap
	s.mu.Unlock()
	if snap == nil {
		return nil, errors.New("the source snapshot is not open")
	}
	chunks, err := snap.Plan(ctx, t.Extract, t.Chunking)
	if err != nil {
		return nil, err
	}
	out := make([]executor.Chunk, len(chunks))
	for i, ch := range chunks {
		by, rest, _ := strings.Cut(ch.ID, ":")
		out[i] = executor.Chunk{Index: i, By: by, From: rest, Ref: ch}
	}
	return out, nil
}

// FileName is extract's deterministic name.
func (s *Source) FileName(c *plan.Change, ch executor.Chunk) string {
	t := s.tables[c.Address]
	return ch.Ref.(extract.Chunk).FileName(t.Output)
}

// Extract streams the chunk into w on an idle worker (or a new one).
func (s *Source) Extract(ctx context.Context, c *plan.Change, ch executor.Chunk, w io.Writer) (executor.Extracted, error) {
	t, err := s.table(c)
	if err != nil {
		return executor.Extracted{}, err
	}
	wk, err := s.worker(ctx)
	if err != nil {
		return executor.Extracted{}, err
	}
	res, err := wk.Extract(ctx, t.Extract, ch.Ref.(extract.Chunk), t.Output, w)
	if err != nil {
		return executor.Extracted{}, err // extract closed the worker
	}
	s.mu.Lock()
	s.idle = append(s.idle, wk)
	s.mu.Unlock()
	return executor.Extracted{Rows: res.Rows, Bytes: res.Bytes, Checksum: res.Checksum}, nil
}

func (s *Source) worker(ctx context.Context) (*extract.Worker, error) {
	s.mu.Lock()
	if n := len(s.idle); n > 0 {
		w := s.idle[n-1]
		s.idle = s.idle[:n-1]
		s.mu.Unlock()
		return w, nil
	}
	snap := s.snap
	s.mu.Unlock()
	if snap == nil {
		return nil, errors.New("the source snapshot is not open")
	}
	return extract.OpenWorker(ctx, s.conn, snap.ID())
}
