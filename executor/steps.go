package executor

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
)

// journalError marks a failed state write: the run must stop, because
// nothing it does from now on could be recorded.
type journalError struct{ err error }

func (e *journalError) Error() string { return "recording progress in the state: " + e.err.Error() }
func (e *journalError) Unwrap() error { return e.err }

// StepError names what failed: the statement kind and the object (the
// Snowflake table for load steps).
type StepError struct {
	Step   StepKind
	Object string // the change's address
	What   string // e.g. "CREATE TABLE for snowflake_table.DW.APP.T", "row count of snowflake_table.DW.APP.T"
	Err    error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("%s: %s", e.What, e.Err)
}
func (e *StepError) Unwrap() error { return e.Err }

// record writes fn's change to the state. It ignores cancellation: a
// step that finished must be recorded even while the run is aborting.
func (e *Executor) record(ctx context.Context, fn func(s *state.State) error) error {
	if err := e.j.Update(context.WithoutCancel(ctx), fn); err != nil {
		return &journalError{err}
	}
	return nil
}

// do runs one step and records it, emitting its start and end.
func (e *Executor) do(ctx context.Context, s *step) error {
	if s.kind == StepNoOp {
		e.emit(e.stepEvent(s, Event{Kind: StepFinished}))
		return nil
	}
	if s.kind == StepChunk && e.resumed(s) {
		return nil
	}
	start := e.o.Now()
	e.emit(e.stepEvent(s, Event{Kind: StepStarted}))
	var (
		res stepResult
		err error
	)
	switch s.kind {
	case StepDDL:
		res, err = e.ddl(ctx, s)
	case StepPrepare:
		err = e.prepare(ctx, s)
	case StepChunk:
		res, err = e.chunk(ctx, s)
	case StepValidate:
		res, err = e.validate(ctx, s)
	case StepFinalize:
		res, err = e.finalize(ctx, s)
	default:
		err = fmt.Errorf("unknown step kind %q", s.kind)
	}
	if err != nil {
		return err
	}
	e.emit(e.stepEvent(s, Event{Kind: StepFinished, Rows: res.rows, Bytes: res.bytes, QueryID: res.queryID, Duration: e.o.Now().Sub(start)}))
	if s.kind == StepFinalize {
		e.emit(e.stepEvent(s, Event{Kind: TableDone, Duration: e.o.Now().Sub(start)}))
	}
	return nil
}

type stepResult struct {
	rows, bytes int64
	queryID     string
}

// attempt runs op with the retry policy, reporting each retry.
func attempt[T any](e *Executor, ctx context.Context, s *step, op func(ctx context.Context) (T, error)) (T, error) {
	return retry(ctx, e.o.Retry, e.o.IsTransient, func(n int, err error, wait time.Duration) {
		e.emit(e.stepEvent(s, Event{Kind: StepRetrying, Attempt: n, Wait: wait, Err: e.o.Redactor.Err(err)}))
	}, op)
}

// statementKind is the first words of a statement, for error messages
// that must name the statement without quoting it whole.
func statementKind(stmt string) string {
	f := strings.Fields(strings.ToUpper(stmt))
	n := 0
	for i, w := range f {
		n = i + 1
		if w == "TABLE" || w == "SCHEMA" || w == "DATABASE" || w == "VIEW" || w == "SEQUENCE" ||
			w == "STAGE" || w == "FORMAT" || w == "COLUMN" || i == 3 {
			break
		}
	}
	return strings.Join(f[:n], " ")
}

// ddl runs an object change's statements in order and records the object.
func (e *Executor) ddl(ctx context.Context, s *step) (stepResult, error) {
	c := s.change.c
	var qid string
	for _, stmt := range c.DDL {
		var err error
		qid, err = attempt(e, ctx, s, func(ctx context.Context) (string, error) { return e.tgt.Exec(ctx, c, stmt) })
		if err != nil {
			return stepResult{}, &StepError{Step: StepDDL, Object: c.Address, What: statementKind(stmt) + " for " + c.Address, Err: err}
		}
	}
	now := e.o.Now().UTC()
	return stepResult{queryID: qid}, e.record(ctx, func(st *state.State) error {
		if c.Action == plan.Delete {
			st.Remove(c.Address)
			return nil
		}
		o := &state.Object{Kind: state.Kind(c.Kind), Name: append([]string(nil), c.Name...), CreatedAt: now, UpdatedAt: now}
		if old := st.Objects[c.Address]; old != nil && c.Action == plan.Update {
			o.CreatedAt = old.CreatedAt
		}
		def := ""
		if len(c.DDL) > 0 {
			def = c.DDL[len(c.DDL)-1]
		}
		if c.After != nil {
			if c.After.Definition != "" {
				def = c.After.Definition
			}
			for _, col := range c.After.Columns {
				o.Columns = append(o.Columns, state.Column{Name: col.Name, Type: col.Type, Nullable: col.Nullable})
			}
		}
		o.SetDDL(def)
		if lc := e.p.LoadOf(c.Address); lc != nil {
			o.Source = lc.Load.Source.String()
		}
		st.Objects[c.Address] = o
		return nil
	})
}
