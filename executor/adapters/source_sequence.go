package adapters

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/catalog"
)

// SourceSequence is a PostgreSQL sequence's state when it was read.
type SourceSequence struct {
	LastValue int64
	IsCalled  bool // false: LastValue has not been handed out yet
	Increment int64
}

// Next is the value PostgreSQL's nextval would return now.
func (s SourceSequence) Next() (int64, error) {
	if !s.IsCalled {
		return s.LastValue, nil
	}
	return addChecked(s.LastValue, s.Increment)
}

// SequenceState reads seq's current state on a connection of its own,
// outside the run's snapshot: sequences are not transactional, so a
// snapshot would not hide later nextval calls anyway, and a value read
// after the rows were extracted is at least as far as any value they hold.
func (s *Source) SequenceState(ctx context.Context, seq catalog.QualifiedName) (SourceSequence, error) {
	conn, err := s.conn.Connect(ctx)
	if err != nil {
		return SourceSequence{}, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	name := pgx.Identifier{seq.Schema, seq.Name}.Sanitize()
	var st SourceSequence
	err = conn.QueryRow(ctx, `SELECT s.last_value, s.is_called, p.seqincrement FROM `+name+` s, pg_catalog.pg_sequence p
		WHERE p.seqrelid = $1::regclass`, name).Scan(&st.LastValue, &st.IsCalled, &st.Increment)
	if err != nil {
		return SourceSequence{}, fmt.Errorf("reading source sequence %s: %w", seq, err)
	}
	return st, nil
}

// SequenceState reads seq from the named source.
func (m Sources) SequenceState(ctx context.Context, source string, seq catalog.QualifiedName) (SourceSequence, error) {
	s := m[source]
	if s == nil {
		return SourceSequence{}, fmt.Errorf("no connection for source %q", source)
	}
	return s.SequenceState(ctx, seq)
}

// addChecked adds without wrapping around.
func addChecked(a, b int64) (int64, error) {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		return 0, fmt.Errorf("%d + %d overflows a 64-bit sequence", a, b)
	}
	return c, nil
}
