package executor

import (
	"errors"
	"fmt"
	"time"
)

// Options tune a run. The zero value of a field means its default.
type Options struct {
	// Parallelism is how many steps run at once, 1..16 (default 4). A
	// chunk holds one of those places only while it extracts: its PUT and
	// COPY INTO run on while the next chunk extracts, so up to twice as
	// many chunk steps are in flight, never more than Parallelism of them
	// reading PostgreSQL.
	Parallelism int
	// NoOverlap keeps a chunk in its place until its COPY is done: no
	// overlap, so with Parallelism 1 exactly one step runs at a time and
	// events come in one order (golden tests, debugging).
	NoOverlap bool
	// Retry is how transient errors are retried.
	Retry RetryPolicy
	// IsTransient tells transient errors (retried) from permanent ones
	// (failed at once). Adapters supply it; nil retries nothing.
	IsTransient func(error) bool
	// Grace is how long in-flight steps may run on after a stop request
	// before they are cancelled (default 30 s).
	Grace time.Duration
	// Redactor cleans every error text that goes into an event. nil uses
	// one that knows no secret values (patterns only).
	Redactor *Redactor
	// Sink receives the events (nil: none).
	Sink Sink
	// ProgressBytes is how many bytes a chunk streams between Progress
	// events (default 4 MiB).
	ProgressBytes int64
	// Now is the clock of events and state times (default time.Now).
	Now func() time.Time
}

// RetryPolicy says how transient errors are retried: Attempts tries in
// all, waits growing exponentially from Initial up to Max, with ±50 %
// jitter so workers that failed together do not retry together.
type RetryPolicy struct {
	Attempts int           // default 3
	Initial  time.Duration // default 4 s
	Max      time.Duration // default 60 s
}

// DefaultRetry is the default policy (issue 7).
var DefaultRetry = RetryPolicy{Attempts: 3, Initial: 4 * time.Second, Max: 60 * time.Second}

// MaxParallelism bounds Options.Parallelism.
const MaxParallelism = 16

func (o Options) withDefaults() (Options, error) {
	switch {
	case o.Parallelism == 0:
		o.Parallelism = 4
	case o.Parallelism < 1 || o.Parallelism > MaxParallelism:
		return o, fmt.Errorf("parallelism must be between 1 and %d, not %d", MaxParallelism, o.Parallelism)
	}
	if o.Retry.Attempts < 0 || o.Retry.Initial < 0 || o.Retry.Max < 0 {
		return o, errors.New("retry attempts and waits cannot be negative")
	}
	if o.Retry.Attempts == 0 {
		o.Retry.Attempts = DefaultRetry.Attempts
	}
	if o.Retry.Initial == 0 {
		o.Retry.Initial = DefaultRetry.Initial
	}
	if o.Retry.Max == 0 {
		o.Retry.Max = DefaultRetry.Max
	}
	if o.Retry.Max < o.Retry.Initial {
		o.Retry.Max = o.Retry.Initial
	}
	if o.IsTransient == nil {
		o.IsTransient = func(error) bool { return false }
	}
	if o.Grace <= 0 {
		o.Grace = 30 * time.Second
	}
	if o.Redactor == nil {
		o.Redactor = NewRedactor()
	}
	if o.Sink == nil {
		o.Sink = Sinks(nil)
	}
	if o.ProgressBytes <= 0 {
		o.ProgressBytes = 4 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}
