package state

import (
	"context"
	"errors"
	"fmt"
)

// Manager stores one state and its lock. Backends (state/local,
// state/pgstate) implement it; every one passes state/statetest.Conformance.
// Two Managers opened on the same state behave like two processes.
type Manager interface {
	// Read returns the stored state, or nil (and no error) when nothing has
	// been written yet.
	Read(ctx context.Context) (*State, error)

	// Write persists s durably before returning: the executor records each
	// finished step before the next one depends on it. s.Serial must be the
	// stored serial (0 when nothing is stored) and s.Lineage the stored
	// lineage, else *SerialError or *LineageError and nothing is written.
	// On success s.Serial is the new stored serial (one more).
	//
	// While this Manager holds the lock, Write first checks it still does
	// (ErrLockLost after a force-unlock). While another holds it, Write is
	// refused with *LockError.
	Write(ctx context.Context, s *State) error

	Locker

	// Unlock releases the lock this Manager holds. A wrong id is refused
	// and the lock stays.
	Unlock(ctx context.Context, id string) error

	// ForceUnlock releases the lock whoever holds it, if id is its id. It is
	// the recovery for a lock left by a run that died; see docs/state.md.
	ForceUnlock(ctx context.Context, id string) error

	// Holder returns the current lock's info, or nil when unlocked.
	Holder(ctx context.Context) (*LockInfo, error)

	// String says where the state lives, for messages. Never a secret.
	String() string

	// Close releases connections; it does not release a held lock.
	Close() error
}

// Locker takes the state lock: on success the lock id; when someone else
// holds it, a *LockError naming them.
type Locker interface {
	Lock(ctx context.Context, info *LockInfo) (string, error)
}

// SerialError: the state was written by someone else since it was read.
type SerialError struct {
	Stored, Given int64
}

func (e *SerialError) Error() string {
	return fmt.Sprintf("the state changed since it was read (stored serial %d, this write was based on serial %d): another pgsnow run wrote it; nothing was written",
		e.Stored, e.Given)
}

// LineageError: the write belongs to a different state.
type LineageError struct {
	Stored, Given string
}

func (e *LineageError) Error() string {
	return fmt.Sprintf("the state has lineage %s but this write is for lineage %s: it is a different state; nothing was written",
		e.Stored, e.Given)
}

// ErrLockLost: this run's lock was force-unlocked by someone else, so it may
// no longer write the state.
var ErrLockLost = errors.New("this run's state lock was released by force-unlock; the state was not written (run plan again to see where things stand)")

// ErrNotLocked is returned by Unlock and ForceUnlock when there is no lock.
var ErrNotLocked = errors.New("the state is not locked")

// CheckWrite is the serial and lineage check every backend runs, under its
// own mutual exclusion, against the stored state's snapshot (nil when
// nothing is stored; see Peek).
func CheckWrite(stored *Snapshot, s *State) error {
	var serial int64
	if stored != nil {
		serial = stored.Serial
		if stored.Lineage != s.Lineage {
			return &LineageError{Stored: stored.Lineage, Given: s.Lineage}
		}
	}
	if s.Serial != serial {
		return &SerialError{Stored: serial, Given: s.Serial}
	}
	return nil
}

// WrongLockIDError: Unlock or ForceUnlock with an id that is not the lock's.
type WrongLockIDError struct {
	Given string
	Held  *LockInfo
}

func (e *WrongLockIDError) Error() string {
	return fmt.Sprintf("lock ID %q does not match the state's lock %q (held by %s for %s); nothing was unlocked",
		e.Given, e.Held.ID, e.Held.Who, e.Held.Operation)
}
