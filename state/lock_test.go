package state

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// flakyLocker refuses the lock `refuse` times (forever when < 0), naming a holder.
type flakyLocker struct {
	refuse, calls int
	holder        *LockInfo
}

func (f *flakyLocker) Lock(ctx context.Context, info *LockInfo) (string, error) {
	f.calls++
	if f.refuse < 0 || f.calls <= f.refuse {
		return "", &LockError{Info: f.holder}
	}
	return info.ID, nil
}

func holder() *LockInfo {
	return &LockInfo{ID: "2b1f0c3e-1111-4222-8333-444455556666", Operation: "apply", Who: "alice@build-7",
		Host: "build-7", PID: 4242, Version: "v0.1.0", Created: time.Date(2026, 11, 27, 4, 0, 0, 0, time.UTC)}
}

func TestLockWithTimeoutRetries(t *testing.T) {
	l := &flakyLocker{refuse: 2, holder: holder()}
	info := NewLockInfo("apply", "v0.1.0")
	id, err := LockWithTimeout(context.Background(), l, info, time.Minute)
	if err != nil || id != info.ID {
		t.Fatalf("LockWithTimeout = %q, %v; want %q", id, err, info.ID)
	}
	if l.calls != 3 {
		t.Errorf("Lock called %d times, want 3", l.calls)
	}
}

func TestLockWithTimeoutNamesHolder(t *testing.T) {
	l := &flakyLocker{refuse: -1, holder: holder()}
	_, err := LockWithTimeout(context.Background(), l, NewLockInfo("apply", "v0.1.0"), 300*time.Millisecond)
	var le *LockError
	if !errors.As(err, &le) || le.Waited != 300*time.Millisecond {
		t.Fatalf("want a *LockError after waiting, got %v", err)
	}
	if l.calls < 2 {
		t.Errorf("Lock called %d times; it should retry before giving up", l.calls)
	}
	for _, want := range []string{"timed out after 300ms waiting for the state lock",
		"Lock ID:   2b1f0c3e-1111-4222-8333-444455556666", "Holder:    alice@build-7 (pid 4242)",
		"Operation: apply", "Since:     2026-11-27T04:00:00Z", "pgsnow force-unlock 2b1f0c3e-1111-4222-8333-444455556666"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestLockWithoutTimeoutTriesOnce(t *testing.T) {
	l := &flakyLocker{refuse: -1, holder: holder()}
	_, err := LockWithTimeout(context.Background(), l, NewLockInfo("apply", "v"), 0)
	var le *LockError
	if !errors.As(err, &le) || l.calls != 1 || le.Waited != 0 {
		t.Fatalf("calls = %d, err = %v", l.calls, err)
	}
	if strings.Contains(err.Error(), "timed out") {
		t.Errorf("one attempt should not say it timed out: %v", err)
	}
}

func TestLockWithTimeoutStopsOnOtherErrors(t *testing.T) {
	boom := errors.New("connection refused")
	calls := 0
	l := lockerFunc(func(context.Context, *LockInfo) (string, error) { calls++; return "", boom })
	if _, err := LockWithTimeout(context.Background(), l, NewLockInfo("apply", "v"), time.Minute); !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("calls = %d, err = %v", calls, err)
	}
}

func TestLockWithTimeoutCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	l := lockerFunc(func(context.Context, *LockInfo) (string, error) {
		calls++
		cancel()
		return "", &LockError{Info: holder()}
	})
	_, err := LockWithTimeout(ctx, l, NewLockInfo("apply", "v"), time.Hour)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "alice@build-7") {
		t.Fatalf("err = %v", err)
	}
}

type lockerFunc func(context.Context, *LockInfo) (string, error)

func (f lockerFunc) Lock(ctx context.Context, i *LockInfo) (string, error) { return f(ctx, i) }

func TestLockErrorGoneAndUnknown(t *testing.T) {
	gone := (&LockError{Info: holder(), Gone: true}).Error()
	if !strings.Contains(gone, "no longer running") || !strings.Contains(gone, "pgsnow force-unlock") {
		t.Errorf("gone holder message:\n%s", gone)
	}
	unknown := (&LockError{Err: errors.New("lock file is empty"), Detail: "PostgreSQL backend pid 77"}).Error()
	if !strings.Contains(unknown, "could not be read (lock file is empty)") || !strings.Contains(unknown, "pid 77") {
		t.Errorf("unknown holder message: %s", unknown)
	}
}

func TestNewLockInfo(t *testing.T) {
	i := NewLockInfo("state rm", "v1")
	if !uuidRe.MatchString(i.ID) || i.PID == 0 || i.Host == "" || !strings.HasSuffix(i.Who, "@"+i.Host) || i.Operation != "state rm" {
		t.Errorf("NewLockInfo = %+v", i)
	}
}
