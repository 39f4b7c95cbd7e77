package statetest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/state"
)

func lockExclusive(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	id, infoA := mustLock(t, a, "apply")
	h, err := b.Holder(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(infoA, h); diff != "" {
		t.Errorf("Holder (-want +got):\n%s", diff)
	}
	_, err = b.Lock(ctx(t), state.NewLockInfo("apply", "v"))
	le := wantHeldBy(t, err, infoA)
	if le.Gone {
		t.Errorf("a live holder was reported gone: %v", err)
	}
	// The holder itself cannot take it twice either.
	if _, err := a.Lock(ctx(t), state.NewLockInfo("apply", "v")); err == nil {
		t.Errorf("a second Lock by the holder succeeded")
	}
	if err := a.Unlock(ctx(t), id); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	if h, err := b.Holder(ctx(t)); err != nil || h != nil {
		t.Errorf("Holder after Unlock = %v, %v", h, err)
	}
	idB, _ := mustLock(t, b, "state rm")
	if err := b.Unlock(ctx(t), idB); err != nil {
		t.Fatal(err)
	}
}

// countingLocker counts Lock attempts.
type countingLocker struct {
	state.Locker
	n atomic.Int32
}

func (c *countingLocker) Lock(ctx context.Context, i *state.LockInfo) (string, error) {
	c.n.Add(1)
	return c.Locker.Lock(ctx, i)
}

func lockTimeout(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	id, infoA := mustLock(t, a, "apply")
	cl := &countingLocker{Locker: b}
	_, err := state.LockWithTimeout(ctx(t), cl, state.NewLockInfo("apply", "v"), 400*time.Millisecond)
	le := wantHeldBy(t, err, infoA)
	if le.Waited != 400*time.Millisecond {
		t.Errorf("Waited = %v", le.Waited)
	}
	if cl.n.Load() < 2 {
		t.Errorf("Lock was tried %d times; -lock-timeout must retry", cl.n.Load())
	}
	if err := a.Unlock(ctx(t), id); err != nil {
		t.Fatal(err)
	}
	// Released while waiting: the waiter gets it.
	id, _ = mustLock(t, a, "apply")
	waiter := &countingLocker{Locker: b}
	done := make(chan error, 1)
	go func() {
		idB, err := state.LockWithTimeout(context.Background(), waiter, state.NewLockInfo("apply", "v"), time.Minute)
		if err == nil {
			err = b.Unlock(context.Background(), idB)
		}
		done <- err
	}()
	for waiter.n.Load() < 1 {
		time.Sleep(10 * time.Millisecond) // until the waiter has been refused once
	}
	if err := a.Unlock(ctx(t), id); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the waiter did not get the released lock: %v", err)
	}
}

func unlockWrongID(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	if err := a.Unlock(ctx(t), state.NewID()); !errors.Is(err, state.ErrNotLocked) {
		t.Errorf("Unlock of an unlocked state: got %v, want ErrNotLocked", err)
	}
	id, infoA := mustLock(t, a, "apply")
	if err := a.Unlock(ctx(t), state.NewID()); err == nil {
		t.Fatal("Unlock with a wrong id succeeded")
	}
	if err := b.Unlock(ctx(t), id); err == nil {
		t.Fatal("Unlock by a manager that does not hold the lock succeeded")
	}
	_, err := b.Lock(ctx(t), state.NewLockInfo("apply", "v"))
	wantHeldBy(t, err, infoA)
	if err := a.Unlock(ctx(t), id); err != nil {
		t.Fatalf("Unlock with the right id after refusals: %v", err)
	}
}

func forceUnlock(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	if err := b.ForceUnlock(ctx(t), state.NewID()); !errors.Is(err, state.ErrNotLocked) {
		t.Errorf("ForceUnlock of an unlocked state: got %v, want ErrNotLocked", err)
	}
	s := Sample()
	mustWrite(t, a, s)
	id, infoA := mustLock(t, a, "apply")
	var wrong *state.WrongLockIDError
	if err := b.ForceUnlock(ctx(t), state.NewID()); !errors.As(err, &wrong) || wrong.Held.ID != id {
		t.Fatalf("ForceUnlock with a wrong id: got %v, want *state.WrongLockIDError", err)
	}
	if h, _ := b.Holder(ctx(t)); h == nil || h.ID != infoA.ID {
		t.Fatalf("the lock is gone after a refused ForceUnlock: %v", h)
	}
	if err := b.ForceUnlock(ctx(t), id); err != nil {
		t.Fatalf("ForceUnlock: %v", err)
	}
	if h, err := b.Holder(ctx(t)); err != nil || h != nil {
		t.Fatalf("Holder after ForceUnlock = %v, %v", h, err)
	}
	// The old holder is fenced out: its writes are refused.
	addr, o := Object(9)
	s.Objects[addr] = o
	if err := a.Write(ctx(t), s); !errors.Is(err, state.ErrLockLost) {
		t.Fatalf("write by a force-unlocked holder: got %v, want ErrLockLost", err)
	}
	if got := mustRead(t, b); got.Has(addr) || got.Serial != 1 {
		t.Fatalf("the fenced write reached the store (serial %d)", got.Serial)
	}
	idB, _ := mustLock(t, b, "apply")
	if err := a.Unlock(ctx(t), id); err == nil {
		t.Error("the old holder unlocked the new holder's lock")
	}
	if err := b.Unlock(ctx(t), idB); err != nil {
		t.Fatal(err)
	}
}

func writeWhileOtherHolds(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	mustWrite(t, a, Sample())
	id, infoA := mustLock(t, a, "apply")
	sb := mustRead(t, b)
	wantHeldBy(t, b.Write(ctx(t), sb), infoA)
	sa := mustRead(t, a)
	mustWrite(t, a, sa)
	if err := a.Unlock(ctx(t), id); err != nil {
		t.Fatal(err)
	}
	sb = mustRead(t, b)
	mustWrite(t, b, sb)
	if sb.Serial != 3 {
		t.Errorf("Serial = %d, want 3", sb.Serial)
	}
}

// concurrentWriters: several managers read-modify-write at once, retrying
// on *state.SerialError. Every successful write must survive, in order.
func concurrentWriters(t *testing.T, open Opener) {
	const writers, each = 4, 5
	mustWrite(t, open(t), state.New("v"))
	managers := make([]state.Manager, writers)
	for i := range managers {
		managers[i] = open(t)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w, m := range managers {
		wg.Go(func() {
			for i := 0; i < each; {
				s, err := m.Read(context.Background())
				if err != nil {
					errs <- err
					return
				}
				addr, o := Object(w*100 + i)
				s.Objects[addr] = o
				err = m.Write(context.Background(), s)
				var se *state.SerialError
				switch {
				case errors.As(err, &se):
					continue // someone else wrote first: read again
				case err != nil:
					errs <- err
					return
				}
				i++
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("writer: %v", err)
	}
	got := mustRead(t, open(t))
	if got.Serial != 1+writers*each || len(got.Objects) != writers*each {
		t.Fatalf("after %d writes: serial %d, %d objects; want serial %d and %d objects",
			writers*each, got.Serial, len(got.Objects), 1+writers*each, writers*each)
	}
}

// twoApplies: two apply-like runs start at once. The first holds the lock
// and writes a state after every step; the second fails within its lock
// timeout naming the first; the state ends with every step of the first.
func twoApplies(t *testing.T, open Opener) {
	a, b := open(t), open(t)
	infoA := state.NewLockInfo("apply", "v1")
	id, err := state.LockWithTimeout(ctx(t), a, infoA, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() {
		_, err := state.LockWithTimeout(context.Background(), b, state.NewLockInfo("apply", "v1"), 500*time.Millisecond)
		second <- err
	}()
	s := state.New("v1")
	for step := 0; ; step++ {
		addr, o := Object(step)
		s.Objects[addr] = o
		mustWrite(t, a, s)
		time.Sleep(20 * time.Millisecond) // one "step" of work between state writes
		select {
		case err := <-second:
			wantHeldBy(t, err, infoA)
			if err := a.Unlock(ctx(t), id); err != nil {
				t.Fatal(err)
			}
			got := mustRead(t, b)
			if diff := cmp.Diff(s, got); diff != "" {
				t.Fatalf("state after both runs (-first run wrote +stored):\n%s", diff)
			}
			return
		default:
		}
	}
}
