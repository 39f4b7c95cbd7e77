package executor

import (
	"context"
	"fmt"

	"github.com/pgsnow/pgsnow/state"
)

// resumable says why a load about to resume must start afresh instead
// ("" when it may resume): the table it loads into does not hold exactly
// the rows of its manifest.
func (e *Executor) resumable(ctx context.Context, s *step) (string, error) {
	c := s.change.c
	l := e.j.State().Loads[c.Address]
	if l == nil {
		return "", fmt.Errorf("%s: no load record", c.Address)
	}
	want, _ := l.Totals()
	got, err := attempt(e, ctx, s, func(ctx context.Context) (int64, error) { return e.tgt.CountRows(ctx, c) })
	if err != nil {
		return "", &StepError{Step: StepPrepare, Object: c.Address, What: "row count of " + c.Load.Target, Err: err}
	}
	if got != want {
		return fmt.Sprintf("the table holds %d rows, the %d files its manifest records hold %d", got, len(l.Files), want), nil
	}
	return "", nil
}

// settlePending asks the target about each file an earlier run staged
// and may have copied (state.Load.Pending): a loaded one joins the
// manifest and its chunk counts as resumed; one that never loaded is
// dropped and its chunk loads as usual.
func (e *Executor) settlePending(ctx context.Context, s *step) error {
	c, lr := s.change.c, s.change.load
	l := e.j.State().Loads[c.Address]
	if l == nil || len(l.Pending) == 0 {
		return nil
	}
	byID := map[chunkID]Chunk{}
	lr.mu.Lock()
	for _, ch := range lr.chunks {
		byID[idOf(ch)] = ch
	}
	lr.mu.Unlock()
	for _, p := range l.Pending {
		ch, ok := byID[idOfFile(p.Chunk)]
		if !ok {
			return fmt.Errorf("%s: pending file %s is for chunk %s, which was not cut now", c.Address, p.Name, p.Chunk)
		}
		ref := FileRef{Name: e.src.FileName(c, ch), Chunk: ch}
		pend := Pending{File: p.Name, Rows: p.Rows, Bytes: p.Bytes, Checksum: "sha256:" + p.SHA256}
		type resolved struct {
			ld Loaded
			ok bool
		}
		r, err := attempt(e, ctx, s, func(ctx context.Context) (resolved, error) {
			ld, ok, err := e.tgt.ResolveFile(ctx, c, ref, pend)
			return resolved{ld, ok}, err
		})
		if err != nil {
			return &StepError{Step: StepPrepare, Object: c.Address,
				What: fmt.Sprintf("settling chunk %d's file %s, which an earlier run staged and may have loaded", ch.Index, p.Name), Err: err}
		}
		if !r.ok {
			if err := e.record(ctx, func(st *state.State) error { st.Loads[c.Address].DropPending(p.Chunk); return nil }); err != nil {
				return err
			}
			continue
		}
		if r.ld.Checksum == "" {
			r.ld.Checksum = pend.Checksum
		}
		f := e.manifestEntry(ref, r.ld)
		if err := e.record(ctx, func(st *state.State) error { st.Loads[c.Address].RecordFile(f); return nil }); err != nil {
			return err
		}
		lr.mu.Lock()
		if lr.resumed == nil {
			lr.resumed = map[chunkID]bool{}
		}
		lr.resumed[idOf(ch)] = true
		lr.rows += f.Rows
		lr.bytes += f.Bytes
		lr.mu.Unlock()
	}
	return nil
}
