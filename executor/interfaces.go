package executor

import (
	"context"
	"io"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
)

// Source is what the executor needs from the PostgreSQL side.
type Source interface {
	// Begin opens the run's consistent snapshot: every later Extract reads
	// from it, whatever worker runs it.
	Begin(ctx context.Context) error
	// Chunks cuts a load's table into chunks inside the snapshot. The
	// plan's chunks are estimates for review; these are what is loaded.
	// The same table unchanged must give the same chunks in every run,
	// else a resumed load starts afresh.
	Chunks(ctx context.Context, c *plan.Change) ([]Chunk, error)
	// FileName is the deterministic name of a chunk's file.
	FileName(c *plan.Change, ch Chunk) string
	// Extract streams one chunk into w and reports what it wrote. On error
	// w has received a partial file, which the target must discard.
	Extract(ctx context.Context, c *plan.Change, ch Chunk, w io.Writer) (Extracted, error)
	// End releases the snapshot.
	End(ctx context.Context) error
}

// Chunk is one load unit as the source cut it.
type Chunk struct {
	Index int // 0-based, in the source's order
	// By, From and To identify the range. The state manifest records
	// them, and a resumed load skips the chunks whose identity it holds.
	By, From, To string
	// EstimatedRows is for progress displays only.
	EstimatedRows int64
	// Ref is the source's own description of the chunk, handed back to
	// FileName and Extract.
	Ref any
}

// Extracted is what the source counted while writing one file.
type Extracted struct {
	Rows     int64  // exact rows written
	Bytes    int64  // bytes written (the file as staged)
	Checksum string // e.g. "sha256:<hex>" of those bytes
}

// Target is what the executor needs from the Snowflake side.
type Target interface {
	// Exec runs one statement of change c (DDL) and returns its query id.
	Exec(ctx context.Context, c *plan.Change, stmt string) (queryID string, err error)
	// BeginLoad prepares a table for its chunks: for a reload, the
	// staging table (or the change's DDL). fresh is false when the
	// load resumes with chunks already loaded, so nothing loaded may be
	// emptied. It must be idempotent.
	BeginLoad(ctx context.Context, c *plan.Change, fresh bool) error
	// LoadFile stages the file that produce writes, loads it with COPY
	// INTO the load's table and checks rows loaded against the rows
	// produce counted. produce may run again only if LoadFile is called
	// again (a retry). Between staging and COPY it calls f.Staged, if set,
	// and stops with its error.
	LoadFile(ctx context.Context, c *plan.Change, f FileRef, produce func(io.Writer) (Extracted, error)) (Loaded, error)
	// ResolveFile settles a file an earlier run staged and may have
	// copied (it was pending when that run stopped): true with the load's
	// account when the file is loaded into the load's table now (by that
	// run, or by this call if the file was still staged and not loaded);
	// false when it never loaded and is gone (extract the chunk again).
	ResolveFile(ctx context.Context, c *plan.Change, f FileRef, p Pending) (Loaded, bool, error)
	// CountRows counts the rows of the table the load writes into (the
	// staging table of a reload).
	CountRows(ctx context.Context, c *plan.Change) (int64, error)
	// Finalize makes a loaded table live: swaps a staging table in, sets
	// sequences. It must be idempotent.
	Finalize(ctx context.Context, c *plan.Change) (queryID string, err error)
}

// FileRef names one chunk file.
type FileRef struct {
	Name  string
	Chunk Chunk
	// Staged records the staged file as pending before its COPY runs.
	Staged func(Pending) error
}

// Pending is a staged file whose COPY INTO may run (or may have run).
type Pending struct {
	File     string // the staged path (prefix/name)
	Rows     int64  // extracted
	Bytes    int64  // staged
	Checksum string // of the staged bytes
}

// Loaded is the target's account of one loaded file.
type Loaded struct {
	File     string // the name on the stage, as the manifest records it
	Rows     int64  // rows_loaded, already checked equal to the extracted rows
	Bytes    int64  // staged bytes
	Checksum string
	QueryID  string // the COPY INTO
}

// Journal records finished steps durably; *state.Journal implements it.
// Update returns only once the state is written.
type Journal interface {
	Update(ctx context.Context, fn func(s *state.State) error) error
	State() *state.State
}
