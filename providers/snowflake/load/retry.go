package load

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Policy says how often and how patiently transient errors are retried.
// The zero value means DefaultPolicy.
type Policy struct {
	Attempts int           // total tries, first included (default 3)
	Initial  time.Duration // first wait (default 4s)
	Max      time.Duration // cap on one wait (default 60s)
	// AttemptTimeout bounds one try; a try that runs out is transient.
	// 0 leaves it to the driver's own request timeout.
	AttemptTimeout time.Duration
	// Notify, when set, hears each failed try that will be retried.
	Notify func(err error, wait time.Duration)
}

// DefaultPolicy is issue 7's default: 3 attempts, 4 s growing to 60 s.
var DefaultPolicy = Policy{Attempts: 3, Initial: 4 * time.Second, Max: 60 * time.Second}

func (p Policy) withDefaults() Policy {
	if p.Attempts <= 0 {
		p.Attempts = DefaultPolicy.Attempts
	}
	if p.Initial <= 0 {
		p.Initial = DefaultPolicy.Initial
	}
	if p.Max <= 0 {
		p.Max = DefaultPolicy.Max
	}
	if p.Max < p.Initial {
		p.Max = p.Initial
	}
	return p
}

// Retry runs op until it succeeds, fails permanently (Transient is false),
// or the attempts are used up. Callers pass only idempotent operations:
// PUT with OVERWRITE = TRUE of one named file, COPY INTO of one named
// file (load metadata makes a repeat a no-op), REMOVE, DDL with IF [NOT]
// EXISTS or OR REPLACE. Waits grow exponentially with ±50 % jitter, so
// workers that failed together do not retry together.
func Retry[T any](ctx context.Context, p Policy, op func(ctx context.Context) (T, error)) (T, error) {
	p = p.withDefaults()
	eb := &backoff.ExponentialBackOff{
		InitialInterval:     p.Initial,
		RandomizationFactor: 0.5,
		Multiplier:          2,
		MaxInterval:         p.Max,
	}
	opts := []backoff.RetryOption{
		backoff.WithBackOff(eb),
		backoff.WithMaxTries(uint(p.Attempts)),
		backoff.WithMaxElapsedTime(0),
	}
	if p.Notify != nil {
		opts = append(opts, backoff.WithNotify(p.Notify))
	}
	return backoff.Retry(ctx, func() (T, error) {
		actx, cancel := ctx, context.CancelFunc(func() {})
		if p.AttemptTimeout > 0 {
			actx, cancel = context.WithTimeout(ctx, p.AttemptTimeout)
		}
		defer cancel()
		v, err := op(actx)
		if err == nil {
			return v, nil
		}
		t := Transient(ctx, err)
		var le *Error
		if errors.As(err, &le) {
			le.Transient = t
		}
		if !t {
			return v, backoff.Permanent(err)
		}
		return v, err
	}, opts...)
}
