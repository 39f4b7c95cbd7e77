package executor

import (
	"time"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// EventKind says what happened.
type EventKind string

const (
	RunStarted   EventKind = "run_started"
	StepStarted  EventKind = "step_started"
	StepFinished EventKind = "step_finished"
	StepFailed   EventKind = "step_failed"
	StepRetrying EventKind = "step_retrying"
	StepSkipped  EventKind = "step_skipped"  // a change is not run: one it depends on failed
	ChunkResumed EventKind = "chunk_resumed" // the state already has the chunk: not extracted nor loaded again
	LoadRestart  EventKind = "load_restart"  // a load that could resume starts afresh: its table does not hold its manifest's rows
	Progress     EventKind = "progress"      // bytes streamed by a running chunk
	TableDone    EventKind = "table_done"    // a load finished (validated and final)
	Stopping     EventKind = "stopping"      // stop requested: nothing new starts
	RunFinished  EventKind = "run_finished"  // Summary is set
)

// StepKind is the kind of work a step does.
type StepKind string

const (
	StepDDL      StepKind = "ddl"      // create, update, replace, delete of an object
	StepPrepare  StepKind = "prepare"  // a load's start: state record, staging table
	StepChunk    StepKind = "chunk"    // extract → stage → COPY → check → manifest
	StepValidate StepKind = "validate" // row count of the loaded table against the manifest
	StepFinalize StepKind = "finalize" // swap staging in, sequences, mark loaded
	StepNoOp     StepKind = "no-op"    // a change with nothing to do
	stepRun      StepKind = "run"      // category of run-level events
)

// Event is one thing that happened during a run. Events carry no secret:
// addresses, counts, ids and Text (redacted) only.
type Event struct {
	Time   time.Time
	Kind   EventKind
	Step   StepKind
	Object string      // the change's address; empty for run events
	Action plan.Action // the change's action
	// Chunk is the chunk's index for chunk steps (HasChunk true).
	Chunk    int
	HasChunk bool
	// Rows and Bytes are the step's own counts (a chunk's file, a
	// table's rows counted by validate). For Progress, Bytes is what
	// the running chunk streamed so far.
	Rows, Bytes int64
	// TableRows/TableBytes are the load's totals so far (loaded files,
	// resumed ones included), EstRows/EstBytes the plan's estimates:
	// what a progress display needs for rates and ETAs.
	TableRows, TableBytes int64
	EstRows, EstBytes     int64
	Duration              time.Duration
	QueryID               string
	Attempt               int           // StepRetrying: the attempt that failed (1-based)
	Wait                  time.Duration // StepRetrying: the backoff before the next attempt
	Err                   Text          // StepFailed, StepRetrying, StepSkipped: why
	Summary               *Summary      // RunFinished
}

// Sink receives events. The executor calls Event from one goroutine at a
// time, in order, so a sink needs no locking of its own; it must not
// block for long (it holds up the run).
type Sink interface {
	Event(e Event)
}

// Sinks fans events out to several sinks in order.
type Sinks []Sink

// Event sends e to every sink.
func (s Sinks) Event(e Event) {
	for _, k := range s {
		k.Event(e)
	}
}

// Summary is the account of a run.
type Summary struct {
	Stopped   bool          `json:"stopped"`        // a stop or an abort ended the run early
	Done      []string      `json:"done"`           // changes finished (no-ops included), in plan order
	Failed    []Failure     `json:"failed"`         // changes that failed, in plan order
	Skipped   []string      `json:"skipped"`        // changes not run because a dependency failed
	Remaining []string      `json:"remaining"`      // changes not (fully) run because the run stopped
	Rows      int64         `json:"rows"`           // rows loaded by this run
	Bytes     int64         `json:"bytes"`          // bytes staged by this run
	Resumed   int           `json:"resumed_chunks"` // chunks skipped because the state had them
	Duration  time.Duration `json:"-"`              // in the record's duration_ms
}

// Failure is one failed change.
type Failure struct {
	Object string   `json:"object"`
	Step   StepKind `json:"step"`
	Chunk  int      `json:"chunk"` // chunk index for chunk steps, else -1
	Err    Text     `json:"error"`
}

// OK reports whether everything in the plan was done.
func (s *Summary) OK() bool {
	return !s.Stopped && len(s.Failed) == 0 && len(s.Skipped) == 0 && len(s.Remaining) == 0
}
