package executor

import (
	"context"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// retry runs op until it succeeds, fails permanently, or the attempts
// are used up. notify hears each failed try that will be retried. The
// error returned is op's last error, even when ctx ended the waiting.
func retry[T any](ctx context.Context, p RetryPolicy, transient func(error) bool, notify func(attempt int, err error, wait time.Duration), op func(ctx context.Context) (T, error)) (T, error) {
	eb := &backoff.ExponentialBackOff{
		InitialInterval:     p.Initial,
		RandomizationFactor: 0.5,
		Multiplier:          2,
		MaxInterval:         p.Max,
	}
	var last error
	attempt := 0
	res, err := backoff.Retry(ctx, func() (T, error) {
		attempt++
		v, err := op(ctx)
		last = err
		if err != nil && (!transient(err) || ctx.Err() != nil) {
			return v, backoff.Permanent(err)
		}
		return v, err
	},
		backoff.WithBackOff(eb),
		backoff.WithMaxTries(uint(p.Attempts)),
		backoff.WithMaxElapsedTime(0),
		backoff.WithNotify(func(err error, wait time.Duration) { notify(attempt, err, wait) }),
	)
	if err != nil && last != nil {
		err = last // not backoff's wrapper, nor ctx's error when a wait was cut short
	}
	return res, err
}
