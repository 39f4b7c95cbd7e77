package adapters

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/pgsnow/pgsnow/executor"
	"github.com/pgsnow/pgsnow/planner/plan"
)

// Sources dispatches to one Source per spec source name.
type Sources map[string]*Source

func (m Sources) of(c *plan.Change) (*Source, error) {
	s := m[c.Load.Source.Source]
	if s == nil {
		return nil, fmt.Errorf("%s: no connection for source %q", c.Address, c.Load.Source.Source)
	}
	return s, nil
}

// Begin exports a snapshot on every source.
func (m Sources) Begin(ctx context.Context) error {
	for name, s := range m {
		if err := s.Begin(ctx); err != nil {
			return fmt.Errorf("source %q: %w", name, err)
		}
	}
	return nil
}

// End closes every source's workers and snapshot.
func (m Sources) End(ctx context.Context) error {
	var errs []error
	for _, s := range m {
		errs = append(errs, s.End(ctx))
	}
	return errors.Join(errs...)
}

func (m Sources) Chunks(ctx context.Context, c *plan.Change) ([]executor.Chunk, error) {
	s, err := m.of(c)
	if err != nil {
		return nil, err
	}
	return s.Chunks(ctx, c)
}

func (m Sources) FileName(c *plan.Change, ch executor.Chunk) string {
	s, _ := m.of(c)
	return s.FileName(c, ch)
}

func (m Sources) Extract(ctx context.Context, c *plan.Change, ch executor.Chunk, w io.Writer) (executor.Extracted, error) {
	s, err := m.of(c)
	if err != nil {
		return executor.Extracted{}, err
	}
	return s.Extract(ctx, c, ch, w)
}
