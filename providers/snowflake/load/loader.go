package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"
)

// Loader loads chunks into tables through one stage.
type Loader struct {
	DB     *sql.DB
	Stage  Stage
	Policy Policy // retries of PUT (spilled files only) and COPY
	// SpillDir bounds memory (see Upload.SpillDir); KeepFiles keeps the
	// local files there and the staged files on the stage.
	SpillDir  string
	KeepFiles bool
	// ProducerChecksums: every producer reports the sha256 of the bytes it
	// writes (Extracted.Checksum, as the extractor does), so the loader
	// counts the staged bytes instead of hashing them a second time, and
	// a producer without a checksum is an error.
	ProducerChecksums bool
	Now               func() time.Time // for tests; default time.Now
}

// Chunk is one file of one table.
type Chunk struct {
	Table       Table  // target; the staging table when reloading
	Prefix      string // from Prefix
	Name        string // the extractor's file name
	Compression string // ZSTD, GZIP or NONE
	FileFormat  string // inside FILE_FORMAT = ( … )
	Parquet     bool
	Transform   *Transform // a COPY transformation (Parquet files), nil for none
	// BeforeCopy, when set, runs after the PUT and the checks, before the
	// COPY: the caller records the staged file as pending, so that a run
	// killed after the COPY can be resolved (Loader.Resolve). An error
	// stops the chunk before anything loads.
	BeforeCopy func(Pending) error
}

// Pending describes a staged file about to be copied.
type Pending struct {
	File     string // prefix/name on the stage
	Rows     int64  // extracted
	Bytes    int64  // staged
	Checksum string // "sha256:<hex>" of the staged bytes
}

// Extracted is what the producer counted while writing the file.
type Extracted struct {
	Rows int64
	// NullString is how the file spells NULL when it is not the empty
	// unquoted field (extract.Result.NullString: `\N` for one-column
	// CSV tables). A file format with NULL_IF = () would load it as text.
	NullString string
	// Checksum, when set, must equal "sha256:<hex>" of the bytes written
	// (the extractor's Result.Checksum); the loader computes its own.
	Checksum string
}

// Record is what the state manifest keeps for a loaded file.
type Record struct {
	Table       string // quoted qualified
	File        string // prefix/name on the stage
	Rows        int64  // extracted = loaded
	Bytes       int64  // staged (compressed) bytes
	Checksum    string // "sha256:<hex>" of the staged bytes
	PutQueryID  string
	CopyQueryID string // "" when the answer of the committing try was lost
	LoadedAt    time.Time
	Removed     bool  // the staged file was removed
	CleanupErr  error // REMOVE failed; the load itself stands
}

// LoadChunk runs the protocol of one chunk: PUT → COPY → check → REMOVE,
// and returns the Record to write to the state. produce writes the file
// and reports its rows; it runs once. The caller must not call LoadChunk
// for a file its state already records (the manifest is the first
// defence; Snowflake's load metadata the second, see Copy.Recorded).
func (l *Loader) LoadChunk(ctx context.Context, c Chunk, produce func(io.Writer) (Extracted, error)) (Record, error) {
	var ex Extracted
	up := Upload{Stage: l.Stage, Prefix: c.Prefix, Name: c.Name, Compression: c.Compression, SpillDir: l.SpillDir, KeepFiles: l.KeepFiles,
		NoHash: l.ProducerChecksums}
	st, err := Put(ctx, l.DB, up, l.Policy, func(w io.Writer) error {
		var err error
		ex, err = produce(w)
		return err
	})
	if err != nil {
		return Record{}, annotate(err, c.Table)
	}
	switch {
	case l.ProducerChecksums && ex.Checksum == "":
		return Record{}, &Error{Op: "CHECK", Table: c.Table.Quoted(), File: st.File,
			Err: errors.New("the producer reported no checksum (Loader.ProducerChecksums)")}
	case l.ProducerChecksums:
		st.SHA256 = ex.Checksum
	case ex.Checksum != "" && ex.Checksum != st.SHA256:
		return Record{}, &Error{Op: "CHECK", Table: c.Table.Quoted(), File: st.File,
			Err: fmt.Errorf("the producer reports checksum %s, the staged bytes hash to %s", ex.Checksum, st.SHA256)}
	}
	if ex.NullString != "" && !c.Parquet && emptyNullIf.MatchString(c.FileFormat) {
		return Record{}, &Error{Op: "CHECK", Table: c.Table.Quoted(), File: st.File,
			Err: fmt.Errorf("the file spells NULL as %q but the file format has NULL_IF = (): NULLs would load as that text", ex.NullString)}
	}
	if c.BeforeCopy != nil {
		if err := c.BeforeCopy(Pending{File: st.File, Rows: ex.Rows, Bytes: st.Bytes, Checksum: st.SHA256}); err != nil {
			return Record{}, err
		}
	}
	cp := Copy{Table: c.Table, Stage: l.Stage, Prefix: c.Prefix, Name: c.Name, FileFormat: c.FileFormat, Parquet: c.Parquet, Transform: c.Transform, Rows: ex.Rows}
	lost := false
	loaded, err := Retry(ctx, l.Policy, func(ctx context.Context) (Loaded, error) {
		ld, err := cp.run(ctx, l.DB, lost)
		// Any failure but our own check leaves the outcome open for the
		// next try (a permanent one ends the retries anyway).
		var le *Error
		if err != nil && !(errors.As(err, &le) && le.Op == "CHECK") {
			lost = true
		}
		return ld, err
	})
	if err != nil {
		return Record{}, err
	}
	rec := Record{Table: c.Table.Quoted(), File: st.File, Rows: loaded.RowsLoaded, Bytes: st.Bytes, Checksum: st.SHA256,
		PutQueryID: st.QueryID, CopyQueryID: loaded.QueryID, LoadedAt: l.now()}
	if !l.KeepFiles {
		_, rerr := Retry(ctx, l.Policy, func(ctx context.Context) (int, error) {
			return l.Stage.RemoveFile(ctx, l.DB, c.Prefix, c.Name)
		})
		rec.Removed, rec.CleanupErr = rerr == nil, rerr
	}
	return rec, nil
}

var emptyNullIf = regexp.MustCompile(`(?i)\bNULL_IF\s*=\s*\(\s*\)`)

// annotate names the table on errors that do not carry one yet.
func annotate(err error, t Table) error {
	var le *Error
	if errors.As(err, &le) {
		if le.Table == "" {
			le.Table = t.Quoted()
		}
		return err
	}
	return fmt.Errorf("load %s: %w", t.Quoted(), err)
}
