package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/pgsnow/pgsnow/executor"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/postgres/extract"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// Opener opens a Snowflake connection pool, with database as the
// session's database ("" for none: it may not exist yet).
type Opener func(ctx context.Context, database string) (*sql.DB, error)

// TargetConfig configures a Target.
type TargetConfig struct {
	Open     Opener
	Database string     // the target database (the plan's)
	Stage    load.Stage // pgsnow's stage, quoted qualified
	RunID    string     // names the run's stage prefix
	Tables   map[string]*Table
	// Policy retries PUT (from a spilled file) and COPY inside one chunk.
	Policy    load.Policy
	SpillDir  string
	KeepFiles bool
}

// Target runs DDL on one session (statements rely on the session's
// database, set after CREATE DATABASE) and loads through a pool opened
// on the target database once it exists.
type Target struct {
	cfg TargetConfig

	ddlMu   sync.Mutex
	ddlDB   *sql.DB
	ddlConn *sql.Conn

	loadMu sync.Mutex
	loadDB *sql.DB
	loader *load.Loader
}

// NewTarget returns a Target; connections open on first use.
func NewTarget(cfg TargetConfig) *Target { return &Target{cfg: cfg} }

// Close closes the connections.
func (t *Target) Close() error {
	var errs []error
	if t.ddlConn != nil {
		errs = append(errs, t.ddlConn.Close())
	}
	if t.ddlDB != nil {
		errs = append(errs, t.ddlDB.Close())
	}
	if t.loadDB != nil {
		errs = append(errs, t.loadDB.Close())
	}
	return errors.Join(errs...)
}

func (t *Target) useDatabase() string { return "USE DATABASE " + ident.Qualified(t.cfg.Database) }

// Exec runs one DDL statement on the DDL session.
func (t *Target) Exec(ctx context.Context, c *plan.Change, stmt string) (string, error) {
	t.ddlMu.Lock()
	defer t.ddlMu.Unlock()
	if t.ddlConn == nil {
		if t.ddlDB == nil {
			db, err := t.cfg.Open(ctx, "")
			if err != nil {
				return "", err
			}
			t.ddlDB = db
		}
		conn, err := t.ddlDB.Conn(ctx)
		if err != nil {
			return "", err
		}
		t.ddlConn = conn
		// Fails while the database does not exist yet: CREATE DATABASE
		// comes first and the USE follows it below.
		_, _ = conn.ExecContext(ctx, t.useDatabase())
	}
	if _, err := t.ddlConn.ExecContext(ctx, stmt); err != nil {
		// A retry gets a fresh session: this one may be broken.
		t.ddlConn.Close()
		t.ddlConn = nil
		return "", err
	}
	if c.Kind == plan.KindDatabase && c.Action != plan.Delete {
		if _, err := t.ddlConn.ExecContext(ctx, t.useDatabase()); err != nil {
			return "", err
		}
	}
	return "", nil
}

func (t *Target) load(ctx context.Context) (*load.Loader, error) {
	t.loadMu.Lock()
	defer t.loadMu.Unlock()
	if t.loader != nil {
		return t.loader, nil
	}
	db, err := t.cfg.Open(ctx, t.cfg.Database)
	if err != nil {
		return nil, err
	}
	t.loadDB = db
	t.loader = &load.Loader{DB: db, Stage: t.cfg.Stage, Policy: t.cfg.Policy, SpillDir: t.cfg.SpillDir, KeepFiles: t.cfg.KeepFiles}
	return t.loader, nil
}

func (t *Target) table(c *plan.Change) (*Table, load.Table, error) {
	tb := t.cfg.Tables[c.Address]
	if tb == nil {
		return nil, load.Table{}, fmt.Errorf("%s: no table description (adapters.Tables)", c.Address)
	}
	into := tb.Live
	if c.Action == plan.Reload {
		into = tb.Live.Staging()
	}
	return tb, into, nil
}

// BeginLoad empties the table a fresh load writes into: the live table
// of a load (a partial earlier load may be there), a new staging table
// for a reload (the live table keeps its rows until the swap). A resumed
// reload keeps its staging table. The change's own DDL (a reload's
// TRUNCATE) is not run: the staging table replaces it.
func (t *Target) BeginLoad(ctx context.Context, c *plan.Change, fresh bool) error {
	tb, into, err := t.table(c)
	if err != nil {
		return err
	}
	l, err := t.load(ctx)
	if err != nil {
		return err
	}
	switch {
	case c.Action == plan.Reload && fresh:
		return load.CreateStaging(ctx, l.DB, tb.Live, "")
	case c.Action == plan.Reload:
		_, err = l.DB.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+into.Quoted()+" LIKE "+tb.Live.Quoted())
	case fresh:
		_, err = l.DB.ExecContext(ctx, "TRUNCATE TABLE IF EXISTS "+into.Quoted())
	}
	return err
}

// LoadFile stages the stream and loads it (load.Loader.LoadChunk).
func (t *Target) LoadFile(ctx context.Context, c *plan.Change, f executor.FileRef, produce func(io.Writer) (executor.Extracted, error)) (executor.Loaded, error) {
	tb, into, err := t.table(c)
	if err != nil {
		return executor.Loaded{}, err
	}
	l, err := t.load(ctx)
	if err != nil {
		return executor.Loaded{}, err
	}
	ch := load.Chunk{Table: into, Prefix: load.Prefix(t.cfg.RunID, c.Load.Source.Schema, c.Load.Source.Table), Name: f.Name,
		Compression: tb.Compression, FileFormat: tb.FileFormat}
	rec, err := l.LoadChunk(ctx, ch, func(w io.Writer) (load.Extracted, error) {
		ex, err := produce(w)
		return load.Extracted{Rows: ex.Rows, Checksum: ex.Checksum}, err
	})
	if err != nil {
		return executor.Loaded{}, err
	}
	return executor.Loaded{File: rec.File, Rows: rec.Rows, Bytes: rec.Bytes, Checksum: rec.Checksum, QueryID: rec.CopyQueryID}, nil
}

// CountRows counts the table the load writes into.
func (t *Target) CountRows(ctx context.Context, c *plan.Change) (int64, error) {
	_, into, err := t.table(c)
	if err != nil {
		return 0, err
	}
	l, err := t.load(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	err = l.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+into.Quoted()).Scan(&n)
	return n, err
}

// Finalize swaps a reload's staging table in. A swap is not idempotent
// (a second one swaps back), so its failure is never retried.
func (t *Target) Finalize(ctx context.Context, c *plan.Change) (string, error) {
	tb, _, err := t.table(c)
	if err != nil || c.Action != plan.Reload {
		return "", err
	}
	l, err := t.load(ctx)
	if err != nil {
		return "", err
	}
	if err := load.Swap(ctx, l.DB, tb.Live); err != nil {
		return "", permanent{err}
	}
	return "", nil
}

// permanent marks an error that must not be retried whatever it says.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// IsTransient classifies errors for the executor's retries: extraction
// errors by extract's rules, Snowflake statements by load's.
func IsTransient(err error) bool {
	var p permanent
	if errors.As(err, &p) {
		return false
	}
	var ce *extract.ChunkError
	if errors.As(err, &ce) {
		return extract.IsTransient(err)
	}
	var le *load.Error
	if errors.As(err, &le) {
		return le.Transient
	}
	return extract.IsTransient(err) || load.Transient(context.Background(), err)
}
