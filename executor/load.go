package executor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
)

// fingerprint is the plan's fingerprint of a load's source table.
func (e *Executor) fingerprint(c *plan.Change) *plan.Fingerprint {
	for i := range e.p.Fingerprints {
		if e.p.Fingerprints[i].Table == c.Load.Source {
			return &e.p.Fingerprints[i]
		}
	}
	return nil
}

// stateFingerprint converts the plan's fingerprint for the state.
func stateFingerprint(f *plan.Fingerprint, taken time.Time) *state.Fingerprint {
	if f == nil {
		return nil
	}
	node := f.Relfilenode
	return &state.Fingerprint{EstimatedRows: f.EstimatedRows, TupInserted: f.TupInserted, TupUpdated: f.TupUpdated,
		TupDeleted: f.TupDeleted, Relfilenode: &node, ColumnsSHA256: f.ColumnSignature, TakenAt: taken}
}

// sameTable reports whether the state's fingerprint describes the table
// the plan saw: same counters, same columns, same relfilenode. A rewrite
// (CLUSTER, VACUUM FULL) moves no counter but moves rows between CTID
// ranges, so recorded ranges would no longer hold the rows they held.
// Without all of it there is nothing to trust and the load starts afresh.
func sameTable(s *state.Fingerprint, p *plan.Fingerprint) bool {
	return s != nil && p != nil && s.TupInserted == p.TupInserted && s.TupUpdated == p.TupUpdated &&
		s.TupDeleted == p.TupDeleted && s.ColumnsSHA256 == p.ColumnSignature && p.ColumnSignature != "" &&
		s.Relfilenode != nil && *s.Relfilenode == p.Relfilenode
}

// prepare cuts the table into chunks, decides between resuming and
// starting afresh, records the load as loading, then prepares the target.
//
// A load resumes only when the state's record is for the same table
// (fingerprint), target and file format, and every file it lists is one
// of the chunks cut now: were the chunks cut differently, a recorded
// range could overlap a new one and rows would load twice.
//
// The state is written before the target is prepared: were the target
// emptied first and the write lost, the next run would trust a manifest
// whose rows are gone.
func (e *Executor) prepare(ctx context.Context, s *step) error {
	c, lr := s.change.c, s.change.load
	chunks, err := attempt(e, ctx, s, func(ctx context.Context) ([]Chunk, error) { return e.src.Chunks(ctx, c) })
	if err != nil {
		return &StepError{Step: StepPrepare, Object: c.Address, What: "cutting " + c.Load.Source.String() + " into chunks", Err: err}
	}
	ids := make(map[chunkID]bool, len(chunks))
	for i := range chunks {
		chunks[i].Index = i
		if ids[idOf(chunks[i])] {
			return &StepError{Step: StepPrepare, Object: c.Address, What: "cutting " + c.Load.Source.String() + " into chunks",
				Err: fmt.Errorf("two chunks have the identity %s", state.Chunk{By: chunks[i].By, From: chunks[i].From, To: chunks[i].To})}
		}
		ids[idOf(chunks[i])] = true
	}
	lr.mu.Lock()
	lr.chunks = chunks
	lr.mu.Unlock()
	fp := e.fingerprint(c)
	fresh, err := e.startLoad(ctx, s, ids, fp, false)
	if err != nil {
		return err
	}
	if !fresh {
		// Files an earlier run left pending are settled first; then the
		// table must hold exactly what the manifest says, else resuming
		// would only fail the validate step again on every later run.
		if err := e.settlePending(ctx, s); err != nil {
			return err
		}
		if why, err := e.resumable(ctx, s); err != nil {
			return err
		} else if why != "" {
			e.emit(e.stepEvent(s, Event{Kind: LoadRestart, Err: fixed(why)}))
			if _, err := e.startLoad(ctx, s, ids, fp, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// startLoad decides between resuming and starting afresh (always afresh
// with force), records the load as loading and prepares the target.
func (e *Executor) startLoad(ctx context.Context, s *step, ids map[chunkID]bool, fp *plan.Fingerprint, force bool) (fresh bool, err error) {
	c, lr := s.change.c, s.change.load
	now := e.o.Now().UTC()
	var resumed map[chunkID]bool
	var rows, bytes int64
	fresh = true
	err = e.record(ctx, func(st *state.State) error {
		l := st.Loads[c.Address]
		if !force && l != nil && l.Status != state.LoadLoaded && len(l.Files) > 0 && l.Target == c.Load.Target &&
			l.Format == c.Load.Format && l.Compression == c.Load.Compression && sameTable(l.Fingerprint, fp) &&
			allKnown(l.Files, ids) && allKnown(l.Pending, ids) {
			fresh = false
			resumed = map[chunkID]bool{}
			for _, f := range l.Files {
				resumed[idOfFile(f.Chunk)] = true
				rows += f.Rows
				bytes += f.Bytes
			}
			l.Status = state.LoadLoading
			l.FinishedAt = nil
			return nil
		}
		st.Loads[c.Address] = &state.Load{
			Source: c.Load.Source.Source, Schema: c.Load.Source.Schema, Table: c.Load.Source.Table,
			Target: c.Load.Target, Status: state.LoadLoading, Format: c.Load.Format, Compression: c.Load.Compression,
			Fingerprint: stateFingerprint(fp, now), StartedAt: &now, Files: []*state.File{},
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	lr.mu.Lock()
	lr.resumed, lr.rows, lr.bytes = resumed, rows, bytes
	lr.mu.Unlock()
	_, err = attempt(e, ctx, s, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, e.tgt.BeginLoad(ctx, c, fresh)
	})
	if err != nil {
		return false, &StepError{Step: StepPrepare, Object: c.Address, What: "preparing " + c.Load.Target, Err: err}
	}
	return fresh, nil
}

// allKnown reports whether every file's chunk is among ids.
func allKnown(files []*state.File, ids map[chunkID]bool) bool {
	for _, f := range files {
		if !ids[idOfFile(f.Chunk)] {
			return false
		}
	}
	return true
}

// resumed reports (and announces) a chunk the state already has.
func (e *Executor) resumed(s *step) bool {
	lr := s.change.load
	lr.mu.Lock()
	ok := lr.resumed[idOf(*s.chunk)]
	lr.mu.Unlock()
	if ok {
		e.sumMu.Lock()
		e.sum.Resumed++
		e.sumMu.Unlock()
		e.emit(e.stepEvent(s, Event{Kind: ChunkResumed}))
	}
	return ok
}

// progressWriter counts what a chunk streams and reports it every
// Options.ProgressBytes.
type progressWriter struct {
	w       io.Writer
	n, last int64
	every   int64
	report  func(n int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.n += int64(n)
	if p.n-p.last >= p.every {
		p.last = p.n
		p.report(p.n)
	}
	return n, err
}

// chunk extracts one chunk straight into the target's upload, checks the
// counts and records the file in the manifest. The staged file is
// recorded as pending before its COPY, so that a run killed after the
// COPY leaves a trace the next run settles (settlePending) instead of
// loading the chunk twice.
func (e *Executor) chunk(ctx context.Context, s *step) (stepResult, error) {
	c, ch := s.change.c, *s.chunk
	id := state.Chunk{By: ch.By, From: ch.From, To: ch.To}
	ref := FileRef{Name: e.src.FileName(c, ch), Chunk: ch, Staged: func(p Pending) error {
		return e.record(ctx, func(st *state.State) error {
			l := st.Loads[c.Address]
			if l == nil {
				return fmt.Errorf("%s: no load record (prepare did not run)", c.Address)
			}
			l.StageFile(&state.File{Name: p.File, Chunk: id, Rows: p.Rows, Bytes: p.Bytes, SHA256: strings.TrimPrefix(p.Checksum, "sha256:")})
			return nil
		})
	}}
	var ex Extracted
	ld, err := attempt(e, ctx, s, func(ctx context.Context) (Loaded, error) {
		return e.tgt.LoadFile(ctx, c, ref, func(w io.Writer) (Extracted, error) {
			pw := &progressWriter{w: w, every: e.o.ProgressBytes, report: func(n int64) {
				e.emit(e.stepEvent(s, Event{Kind: Progress, Bytes: n}))
			}}
			var err error
			ex, err = e.extract(ctx, s, ch, pw)
			return ex, err
		})
	})
	if err != nil {
		return stepResult{}, &StepError{Step: StepChunk, Object: c.Address, What: fmt.Sprintf("loading chunk %d (%s) into %s", ch.Index, ref.Name, c.Load.Target), Err: err}
	}
	if ld.Rows != ex.Rows {
		return stepResult{}, &StepError{Step: StepChunk, Object: c.Address, What: fmt.Sprintf("row check of chunk %d (%s)", ch.Index, ref.Name),
			Err: fmt.Errorf("extracted %d rows, COPY INTO loaded %d", ex.Rows, ld.Rows)}
	}
	if ld.Checksum == "" {
		ld.Checksum = ex.Checksum
	}
	return e.recordLoaded(ctx, s, ref, ld)
}

// errUnstarted is a chunk's answer when the run stopped before it got an
// extraction place.
var errUnstarted = errors.New("the run is stopping: the chunk did not start")

// extract reads one chunk in one of the Parallelism extraction places,
// waiting for one: the step's PUT and COPY run after it gives the place
// back, while another chunk extracts. A chunk that has not begun when the
// run stops gives up; a retry of one that has begun waits on (it is part
// of finishing an in-flight step).
func (e *Executor) extract(ctx context.Context, s *step, ch Chunk, w io.Writer) (Extracted, error) {
	stopping := e.stopping
	if s.extracted {
		stopping = nil // never ready
	}
	select {
	case <-stopping:
		s.unstarted = true
		return Extracted{}, errUnstarted
	default:
	}
	select {
	case e.extracting <- struct{}{}:
	case <-stopping:
		s.unstarted = true
		return Extracted{}, errUnstarted
	case <-ctx.Done():
		return Extracted{}, ctx.Err()
	}
	defer func() { <-e.extracting }()
	s.extracted = true
	return e.src.Extract(ctx, s.change.c, ch, w)
}

// manifestEntry is the state's record of a loaded file.
func (e *Executor) manifestEntry(ref FileRef, ld Loaded) *state.File {
	name := ld.File
	if name == "" {
		name = ref.Name
	}
	ch := ref.Chunk
	return &state.File{Name: name, Chunk: state.Chunk{By: ch.By, From: ch.From, To: ch.To}, Rows: ld.Rows, Bytes: ld.Bytes,
		SHA256: strings.TrimPrefix(ld.Checksum, "sha256:"), QueryID: ld.QueryID, LoadedAt: e.o.Now().UTC()}
}

// recordLoaded adds a loaded file to the manifest (which settles the
// chunk's pending entry) and to the run's totals.
func (e *Executor) recordLoaded(ctx context.Context, s *step, ref FileRef, ld Loaded) (stepResult, error) {
	c := s.change.c
	f := e.manifestEntry(ref, ld)
	err := e.record(ctx, func(st *state.State) error {
		l := st.Loads[c.Address]
		if l == nil {
			return fmt.Errorf("%s: no load record (prepare did not run)", c.Address)
		}
		l.RecordFile(f)
		return nil
	})
	if err != nil {
		return stepResult{}, err
	}
	lr := s.change.load
	lr.mu.Lock()
	lr.rows += f.Rows
	lr.bytes += f.Bytes
	lr.mu.Unlock()
	e.sumMu.Lock()
	e.sum.Rows += f.Rows
	e.sum.Bytes += f.Bytes
	e.sumMu.Unlock()
	return stepResult{rows: f.Rows, bytes: f.Bytes, queryID: f.QueryID}, nil
}

// validate counts the loaded table's rows against the manifest's.
func (e *Executor) validate(ctx context.Context, s *step) (stepResult, error) {
	c := s.change.c
	l := e.j.State().Loads[c.Address]
	if l == nil {
		return stepResult{}, fmt.Errorf("%s: no load record to validate", c.Address)
	}
	want, _ := l.Totals()
	got, err := attempt(e, ctx, s, func(ctx context.Context) (int64, error) { return e.tgt.CountRows(ctx, c) })
	if err != nil {
		return stepResult{}, &StepError{Step: StepValidate, Object: c.Address, What: "row count of " + c.Load.Target, Err: err}
	}
	if got != want {
		return stepResult{}, &StepError{Step: StepValidate, Object: c.Address, What: "row count of " + c.Load.Target,
			Err: fmt.Errorf("the table holds %d rows, the %d loaded files hold %d", got, len(l.Files), want)}
	}
	return stepResult{rows: got}, nil
}

// finalize makes the table live and marks the load loaded.
func (e *Executor) finalize(ctx context.Context, s *step) (stepResult, error) {
	c := s.change.c
	qid, err := attempt(e, ctx, s, func(ctx context.Context) (string, error) { return e.tgt.Finalize(ctx, c) })
	if err != nil {
		return stepResult{}, &StepError{Step: StepFinalize, Object: c.Address, What: "finalizing " + c.Load.Target, Err: err}
	}
	now := e.o.Now().UTC()
	err = e.record(ctx, func(st *state.State) error {
		l := st.Loads[c.Address]
		if l == nil {
			return fmt.Errorf("%s: no load record to finalize", c.Address)
		}
		l.Status, l.FinishedAt = state.LoadLoaded, &now
		return nil
	})
	lr := s.change.load
	lr.mu.Lock()
	rows, bytes := lr.rows, lr.bytes
	lr.mu.Unlock()
	return stepResult{rows: rows, bytes: bytes, queryID: qid}, err
}

// markLoadFailed records a failed load's status (its manifest stays, for
// resuming). A failure to write is reported by the next write.
func (e *Executor) markLoadFailed(ch *change) {
	_ = e.j.Update(context.Background(), func(st *state.State) error {
		if l := st.Loads[ch.c.Address]; l != nil && l.Status == state.LoadLoading {
			l.Status = state.LoadFailed
		}
		return nil
	})
}
