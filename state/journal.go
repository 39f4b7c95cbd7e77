package state

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Journal is how apply records progress: steps finishing on many
// goroutines update one state in turn, and each update is persisted before
// Update returns, so a step that depends on it may start. After a failed
// write the journal refuses every later update (the state in memory is
// ahead of the stored one; apply must stop and a new plan shows where
// things stand).
type Journal struct {
	mu     sync.Mutex
	m      Manager
	s      *State
	failed error
}

// NewJournal records into s (as read from m, or New for a first apply).
func NewJournal(m Manager, s *State) *Journal {
	return &Journal{m: m, s: s}
}

// Update applies fn to the state and writes it. If fn fails nothing is
// written, and fn must then have left the state unchanged.
func (j *Journal) Update(ctx context.Context, fn func(s *State) error) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.failed != nil {
		return fmt.Errorf("an earlier state write failed, so no more progress is recorded: %w", j.failed)
	}
	if err := fn(j.s); err != nil {
		return err
	}
	if err := j.m.Write(ctx, j.s); err != nil {
		j.failed = err
		return err
	}
	return nil
}

// State returns a copy of the state as last written.
func (j *Journal) State() *State {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.s.Clone()
}

// RecordFile adds f to the manifest, or replaces the entry with its name
// (a chunk loaded again), keeping the manifest sorted; the chunk is no
// longer pending.
func (l *Load) RecordFile(f *File) {
	l.DropPending(f.Chunk)
	i, found := slices.BinarySearchFunc(l.Files, f.Name, func(e *File, name string) int { return strings.Compare(e.Name, name) })
	if found {
		l.Files[i] = f
		return
	}
	l.Files = slices.Insert(l.Files, i, f)
}

// StageFile records f (Name: the staged path) as pending for its chunk,
// replacing an earlier pending entry of the chunk.
func (l *Load) StageFile(f *File) {
	l.DropPending(f.Chunk)
	i, _ := slices.BinarySearchFunc(l.Pending, f.Name, func(e *File, name string) int { return strings.Compare(e.Name, name) })
	l.Pending = slices.Insert(l.Pending, i, f)
}

// DropPending forgets the pending entry of chunk c, if any.
func (l *Load) DropPending(c Chunk) {
	l.Pending = slices.DeleteFunc(l.Pending, func(f *File) bool { return f.Chunk == c })
	if len(l.Pending) == 0 {
		l.Pending = nil
	}
}
