package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// LockInfo says who holds the state lock. Backends store it as JSON next to
// the state so that whoever is refused can name the holder.
type LockInfo struct {
	ID        string    `json:"id"`
	Operation string    `json:"operation"` // "apply", "state rm", …
	Who       string    `json:"who"`       // user@host
	Host      string    `json:"host"`
	PID       int       `json:"pid"`
	Version   string    `json:"version"` // pgsnow version
	Created   time.Time `json:"created"`
}

// NewLockInfo describes this process running operation.
func NewLockInfo(operation, version string) *LockInfo {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	return &LockInfo{
		ID:        NewID(),
		Operation: operation,
		Who:       name + "@" + host,
		Host:      host,
		PID:       os.Getpid(),
		Version:   version,
		Created:   time.Now().UTC().Truncate(time.Second),
	}
}

// LockError: the lock is held by someone else.
type LockError struct {
	// Info is the holder's lock info; nil when it could not be read (Err says why).
	Info *LockInfo
	// Gone is true when the backend can tell the holder is no longer
	// running: it died without unlocking. The lock stays until someone
	// checks what it left half done and runs force-unlock.
	Gone bool
	// Detail is a backend's extra fact about the holder (e.g. its
	// PostgreSQL backend pid).
	Detail string
	// Waited is how long LockWithTimeout kept trying (0: one attempt).
	Waited time.Duration
	Err    error
}

func (e *LockError) Unwrap() error { return e.Err }

func (e *LockError) Error() string {
	var b strings.Builder
	if e.Waited > 0 {
		fmt.Fprintf(&b, "timed out after %s waiting for the state lock: ", e.Waited)
	}
	if e.Info == nil {
		b.WriteString("the state is locked, but the holder could not be read")
		if e.Err != nil {
			fmt.Fprintf(&b, " (%v)", e.Err)
		}
		if e.Detail != "" {
			b.WriteString("; " + e.Detail)
		}
		return b.String()
	}
	i := e.Info
	if e.Gone {
		b.WriteString("the state is locked by a pgsnow run that is no longer running (it ended without releasing the lock):\n")
	} else {
		b.WriteString("the state is locked by another pgsnow run:\n")
	}
	fmt.Fprintf(&b, "  Lock ID:   %s\n", i.ID)
	fmt.Fprintf(&b, "  Holder:    %s (pid %d)\n", i.Who, i.PID)
	fmt.Fprintf(&b, "  Operation: %s\n", i.Operation)
	fmt.Fprintf(&b, "  Since:     %s\n", i.Created.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "  Version:   %s\n", i.Version)
	if e.Detail != "" {
		fmt.Fprintf(&b, "  Detail:    %s\n", e.Detail)
	}
	if e.Gone {
		b.WriteString("Check what it left half done (pgsnow plan shows it), then release the lock with:\n")
	} else {
		b.WriteString("Wait for it to finish. If it is certainly not running any more, release the lock with:\n")
	}
	fmt.Fprintf(&b, "  pgsnow force-unlock %s", i.ID)
	return b.String()
}

// Lock-retry backoff: start quickly (a short state write is the common
// holder), grow to a few seconds so a long apply is not hammered.
const (
	retryInitial = 100 * time.Millisecond
	retryMax     = 3 * time.Second
)

// LockWithTimeout takes the lock, retrying with exponential backoff for up
// to timeout while someone else holds it (the -lock-timeout flag). With
// timeout 0 it tries once. Errors other than *LockError are returned at
// once. On timeout the *LockError names the holder and has Waited set.
func LockWithTimeout(ctx context.Context, l Locker, info *LockInfo, timeout time.Duration) (string, error) {
	id, err := l.Lock(ctx, info)
	var le *LockError
	if err == nil || timeout <= 0 || !errors.As(err, &le) {
		return id, err
	}
	deadline := time.Now().Add(timeout)
	b := &backoff.ExponentialBackOff{
		InitialInterval:     retryInitial,
		RandomizationFactor: 0.5,
		Multiplier:          1.5,
		MaxInterval:         retryMax,
	}
	b.Reset()
	for {
		remaining := time.Until(deadline)
		if remaining <= 0 {
			le.Waited = timeout
			return "", le
		}
		wait := min(b.NextBackOff(), remaining)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", fmt.Errorf("%w (while waiting for the state lock held by %s)", ctx.Err(), holderName(le))
		case <-t.C:
		}
		id, err = l.Lock(ctx, info)
		if err == nil {
			return id, nil
		}
		if !errors.As(err, &le) {
			return "", err
		}
	}
}

func holderName(le *LockError) string {
	if le.Info == nil {
		return "an unknown holder"
	}
	return fmt.Sprintf("%s, lock ID %s", le.Info.Who, le.Info.ID)
}
