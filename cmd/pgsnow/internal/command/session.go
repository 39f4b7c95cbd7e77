package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/state"
)

// lockedState opens the spec's state, takes its lock for operation (unless
// -lock=false, honouring -lock-timeout) and reads it. The caller must defer
// release(&err): it unlocks and closes, and joins an unlock failure into
// the command's error so a lock left behind is never silent.
func lockedState(ctx context.Context, c *cli.Context, spec *lang.Spec, operation string) (m state.Manager, st *state.State, release func(*error), err error) {
	if m, err = openState(spec); err != nil {
		return nil, nil, nil, err
	}
	lockID := ""
	release = func(errp *error) {
		if lockID != "" {
			if uerr := m.Unlock(context.Background(), lockID); uerr != nil {
				*errp = errors.Join(*errp, fmt.Errorf("releasing the state lock %s: %w", lockID, uerr))
			}
		}
		m.Close()
	}
	if c.Bool("lock") {
		if lockID, err = state.LockWithTimeout(ctx, m, state.NewLockInfo(operation, Version), c.Duration("lock-timeout")); err != nil {
			m.Close()
			return nil, nil, nil, err
		}
	}
	if st, err = m.Read(ctx); err != nil {
		release(&err)
		return nil, nil, nil, err
	}
	return m, st, release, nil
}

// planInput gathers what the planner needs: every source inspected and
// profiled, and the target as it is now.
func planInput(ctx context.Context, spec *lang.Spec, m state.Manager, st *state.State, targets []string, progress io.Writer) (planner.Input, error) {
	in := planner.Input{Spec: spec, State: st, StateBackend: m.String(), Target: targetRef(spec),
		Targets: targets, Now: time.Now().UTC(), Version: Version}
	for _, s := range spec.Sources {
		src, err := planSource(ctx, spec, s, progress)
		if err != nil {
			return in, err
		}
		in.Sources = append(in.Sources, src)
	}
	live, err := inspectTarget(ctx, spec, progress)
	in.Live = live
	return in, err
}
