package executor

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// RunLogName is the run log's file name in the run directory.
const RunLogName = "run_log.ndjson"

// Record is one line of the run log and of apply -json. The fields
// listed first are always present; the rest appear when they apply.
type Record struct {
	TS         time.Time `json:"ts"`
	RunID      string    `json:"run_id"`
	Level      string    `json:"level"`
	Category   string    `json:"category"`
	Message    string    `json:"message"`
	Object     string    `json:"object"`
	Rows       int64     `json:"rows"`
	Bytes      int64     `json:"bytes"`
	DurationMS int64     `json:"duration_ms"`
	QueryID    string    `json:"query_id"`

	Event   EventKind `json:"event"`
	Action  string    `json:"action,omitempty"`
	Chunk   *int      `json:"chunk,omitempty"`
	Attempt int       `json:"attempt,omitempty"`
	WaitMS  int64     `json:"wait_ms,omitempty"`
	Error   string    `json:"error,omitempty"`
	// TableRows/EstRows let a reader follow a load without summing.
	TableRows int64    `json:"table_rows,omitempty"`
	EstRows   int64    `json:"estimated_rows,omitempty"`
	Summary   *Summary `json:"summary,omitempty"`
}

// RecordOf is e as a run log line.
func RecordOf(e Event, runID string) Record {
	r := Record{TS: e.Time.UTC(), RunID: runID, Level: e.Level(), Category: e.Category(), Message: e.Message(),
		Object: e.Object, Rows: e.Rows, Bytes: e.Bytes, DurationMS: e.Duration.Milliseconds(), QueryID: e.QueryID,
		Event: e.Kind, Action: string(e.Action), Attempt: e.Attempt, WaitMS: e.Wait.Milliseconds(), Error: e.Err.String(),
		TableRows: e.TableRows, EstRows: e.EstRows, Summary: e.Summary}
	if e.HasChunk {
		c := e.Chunk
		r.Chunk = &c
	}
	return r
}

// MarshalJSON writes the redacted text as a JSON string.
func (t Text) MarshalJSON() ([]byte, error) { return json.Marshal(t.s) }

// NDJSON is a sink writing one Record per line. After a write error it
// writes nothing more; Err reports the error.
type NDJSON struct {
	mu    sync.Mutex
	w     io.Writer
	enc   *json.Encoder
	runID string
	err   error
}

// NewNDJSON writes records of run runID to w.
func NewNDJSON(w io.Writer, runID string) *NDJSON {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &NDJSON{w: w, enc: enc, runID: runID}
}

// Event writes e as one line.
func (n *NDJSON) Event(e Event) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.err == nil {
		n.err = n.enc.Encode(RecordOf(e, n.runID))
	}
}

// Err is the first write error.
func (n *NDJSON) Err() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.err
}

// RunLog is the run log file of one run.
type RunLog struct {
	*NDJSON
	f *os.File
}

// OpenRunLog opens (appending: a resumed run adds to the log) dir's run
// log, readable by the owner only.
func OpenRunLog(dir, runID string) (*RunLog, error) {
	f, err := os.OpenFile(filepath.Join(dir, RunLogName), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("run log: %w", err)
	}
	return &RunLog{NDJSON: NewNDJSON(f, runID), f: f}, nil
}

// Close flushes and closes the file, reporting any write error.
func (l *RunLog) Close() error {
	err := l.f.Sync()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	if werr := l.Err(); werr != nil {
		return fmt.Errorf("run log: %w", werr)
	}
	return err
}
