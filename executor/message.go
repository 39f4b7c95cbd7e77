package executor

import (
	"fmt"
	"strings"
	"time"
)

// Level is an event's severity in logs.
func (e Event) Level() string {
	switch e.Kind {
	case StepFailed:
		return "error"
	case StepRetrying, StepSkipped, Stopping, LoadRestart:
		return "warn"
	case RunFinished:
		if e.Summary != nil && !e.Summary.OK() {
			return "error"
		}
	}
	return "info"
}

// Category groups events for filtering: the step kind, or "run".
func (e Event) Category() string { return string(e.Step) }

// Message describes e in one line for people. It holds only addresses,
// counts and redacted text.
func (e Event) Message() string {
	what := e.Object
	if e.HasChunk {
		what = fmt.Sprintf("%s chunk %d", e.Object, e.Chunk)
	}
	switch e.Kind {
	case RunStarted:
		if e.EstRows > 0 {
			return fmt.Sprintf("apply started (about %d rows to load)", e.EstRows)
		}
		return "apply started"
	case StepStarted:
		return fmt.Sprintf("%s: %s started", what, stepName(e))
	case StepFinished:
		switch e.Step {
		case StepChunk:
			return fmt.Sprintf("%s: loaded %d rows, %d bytes (table: %s)", what, e.Rows, e.Bytes, tableProgress(e))
		case StepValidate:
			return fmt.Sprintf("%s: validated, %d rows", what, e.Rows)
		case StepNoOp:
			return fmt.Sprintf("%s: no changes", what)
		}
		return fmt.Sprintf("%s: %s done", what, stepName(e))
	case ChunkResumed:
		return fmt.Sprintf("%s: already loaded (state manifest), skipped", what)
	case LoadRestart:
		return fmt.Sprintf("%s: starting afresh instead of resuming: %s", what, e.Err)
	case StepFailed:
		return fmt.Sprintf("%s: %s failed: %s", what, stepName(e), e.Err)
	case StepRetrying:
		return fmt.Sprintf("%s: %s attempt %d failed, retrying in %s: %s", what, stepName(e), e.Attempt, e.Wait.Round(time.Millisecond), e.Err)
	case StepSkipped:
		return fmt.Sprintf("%s: skipped: %s", what, e.Err)
	case Progress:
		return fmt.Sprintf("%s: %d bytes streamed", what, e.Bytes)
	case TableDone:
		return fmt.Sprintf("%s: table loaded, %d rows, %d bytes", what, e.TableRows, e.TableBytes)
	case Stopping:
		return fmt.Sprintf("stop requested: no new steps start; running steps have %s to finish (signal again to abort now)", e.Duration)
	case RunFinished:
		return summaryLine(e.Summary)
	}
	return string(e.Kind)
}

func stepName(e Event) string {
	switch e.Step {
	case StepDDL:
		return string(e.Action)
	case StepPrepare:
		return string(e.Action) + " prepare"
	}
	return string(e.Step)
}

func tableProgress(e Event) string {
	if e.EstRows > 0 {
		return fmt.Sprintf("%d of about %d rows", e.TableRows, e.EstRows)
	}
	return fmt.Sprintf("%d rows", e.TableRows)
}

func summaryLine(s *Summary) string {
	if s == nil {
		return "apply finished"
	}
	var b strings.Builder
	switch {
	case s.OK():
		b.WriteString("apply complete")
	case s.Stopped:
		b.WriteString("apply stopped")
	default:
		b.WriteString("apply failed")
	}
	fmt.Fprintf(&b, ": %d done, %d failed, %d skipped, %d remaining; %d rows, %d bytes loaded", len(s.Done), len(s.Failed), len(s.Skipped), len(s.Remaining), s.Rows, s.Bytes)
	if s.Resumed > 0 {
		fmt.Fprintf(&b, "; %d chunks resumed from the state", s.Resumed)
	}
	return b.String()
}
