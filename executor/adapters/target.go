package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
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
	// Sequences are set at each load's finalize (nil: none).
	Sequences *Sequences
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
	into   map[string]load.Table // load address → the table BeginLoad chose
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
	// The extractor hashes what it writes: the loader need not again.
	t.loader = &load.Loader{DB: db, Stage: t.cfg.Stage, Policy: t.cfg.Policy, SpillDir: t.cfg.SpillDir, KeepFiles: t.cfg.KeepFiles,
		ProducerChecksums: true}
	return t.loader, nil
}

// table returns the load's description and the table BeginLoad chose
// to load into.
func (t *Target) table(c *plan.Change) (*Table, load.Table, error) {
	tb := t.cfg.Tables[c.Address]
	if tb == nil {
		return nil, load.Table{}, fmt.Errorf("%s: no table description (adapters.Tables)", c.Address)
	}
	t.loadMu.Lock()
	into, ok := t.into[c.Address]
	t.loadMu.Unlock()
	if !ok {
		return nil, load.Table{}, fmt.Errorf("%s: the load was not begun", c.Address)
	}
	return tb, into, nil
}

// BeginLoad chooses and prepares the table the chunks go into.
//
// Fresh: a load empties the live table (a partial earlier load may be
// there); a reload creates an empty staging table (the live table keeps
// its rows until the swap). The change's own DDL (a reload's TRUNCATE) is
// not run: the staging table replaces it.
//
// Resumed: the recorded files are where the earlier run put them. A
// staging table means an interrupted reload: go on into it. No staging
// table means the files are in the live table (an interrupted load, which
// the next plan calls a reload; or a reload that swapped but did not
// record it): go on into the live table, with no swap at the end.
// Validation then counts the table the files are in.
func (t *Target) BeginLoad(ctx context.Context, c *plan.Change, fresh bool) error {
	tb := t.cfg.Tables[c.Address]
	if tb == nil {
		return fmt.Errorf("%s: no table description (adapters.Tables)", c.Address)
	}
	l, err := t.load(ctx)
	if err != nil {
		return err
	}
	into := tb.Live
	switch {
	case c.Action == plan.Reload && fresh:
		if err := load.CreateStaging(ctx, l.DB, tb.Live, ""); err != nil {
			return err
		}
		into = tb.Live.Staging()
	case fresh:
		if _, err := l.DB.ExecContext(ctx, "TRUNCATE TABLE IF EXISTS "+into.Quoted()); err != nil {
			return err
		}
	default:
		exists, err := tableExists(ctx, l.DB, tb.Live.Staging())
		if err != nil {
			return err
		}
		if exists {
			into = tb.Live.Staging()
		}
	}
	t.loadMu.Lock()
	if t.into == nil {
		t.into = map[string]load.Table{}
	}
	t.into[c.Address] = into
	t.loadMu.Unlock()
	return nil
}

// tableExists asks the information schema of the table's database.
func tableExists(ctx context.Context, db *sql.DB, tb load.Table) (bool, error) {
	q := fmt.Sprintf("SELECT COUNT(*) FROM %s.INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s",
		ident.Quote(tb.Database), literal(tb.Schema), literal(tb.Name))
	var n int
	if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

func literal(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", "''").Replace(s) + "'"
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
	ch := tb.chunk(into, load.Prefix(t.cfg.RunID, c.Load.Source.Schema, c.Load.Source.Table), f.Name)
	if f.Staged != nil {
		ch.BeforeCopy = func(p load.Pending) error {
			return f.Staged(executor.Pending{File: p.File, Rows: p.Rows, Bytes: p.Bytes, Checksum: p.Checksum})
		}
	}
	rec, err := l.LoadChunk(ctx, ch, func(w io.Writer) (load.Extracted, error) {
		ex, err := produce(w)
		return load.Extracted{Rows: ex.Rows, Checksum: ex.Checksum}, err
	})
	if err != nil {
		return executor.Loaded{}, err
	}
	return loadedOf(rec), nil
}

// ResolveFile settles a file an earlier run left pending
// (load.Loader.Resolve), in the table this run loads into: a resumed
// load goes on where the earlier one was loading.
func (t *Target) ResolveFile(ctx context.Context, c *plan.Change, f executor.FileRef, p executor.Pending) (executor.Loaded, bool, error) {
	tb, into, err := t.table(c)
	if err != nil {
		return executor.Loaded{}, false, err
	}
	l, err := t.load(ctx)
	if err != nil {
		return executor.Loaded{}, false, err
	}
	i := strings.LastIndex(p.File, "/")
	if i < 0 {
		return executor.Loaded{}, false, fmt.Errorf("%s: pending file %q has no stage prefix", c.Address, p.File)
	}
	rec, ok, err := l.Resolve(ctx, tb.chunk(into, p.File[:i], p.File[i+1:]), load.Pending{File: p.File, Rows: p.Rows, Bytes: p.Bytes, Checksum: p.Checksum})
	if err != nil || !ok {
		return executor.Loaded{}, ok, err
	}
	return loadedOf(rec), true, nil
}

// chunk is the load of file prefix/name into the table into, in tb's
// file format.
func (tb *Table) chunk(into load.Table, prefix, name string) load.Chunk {
	return load.Chunk{Table: into, Prefix: prefix, Name: name,
		Compression: tb.Compression, FileFormat: tb.FileFormat, Parquet: tb.Transform != nil, Transform: tb.Transform}
}

// loadedOf is the executor's account of a loaded file.
func loadedOf(rec load.Record) executor.Loaded {
	return executor.Loaded{File: rec.File, Rows: rec.Rows, Bytes: rec.Bytes, Checksum: rec.Checksum, QueryID: rec.CopyQueryID}
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

// Finalize sets the table's sequences after the data, then swaps a
// reload's staging table in. A swap is not idempotent (a second one swaps
// back), so its failure is never retried; setting sequences is, so it
// comes first.
func (t *Target) Finalize(ctx context.Context, c *plan.Change) (string, error) {
	tb, into, err := t.table(c)
	if err != nil {
		return "", err
	}
	l, err := t.load(ctx)
	if err != nil {
		return "", err
	}
	if err := t.cfg.Sequences.Set(ctx, l.DB, c, tb.Live, into); err != nil {
		return "", err
	}
	if into == tb.Live {
		return "", nil
	}
	if err := load.Swap(ctx, l.DB, tb.Live); err != nil {
		var le *load.Error
		if errors.As(err, &le) && le.Op == "DROP STAGING" {
			// The swap is done and the live table is the loaded one; the
			// leftover (old rows) is replaced by the next reload's
			// CREATE OR REPLACE. Failing here would mark a finished load
			// failed, and a resume would load into the old rows.
			return "", nil
		}
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
		// The loader retried COPY itself, knowing when an answer was lost
		// (the file may have loaded); loading the chunk again from here
		// could not know it, and Snowflake's load metadata would skip the
		// file, failing the rows check. So a COPY error is final here.
		return le.Transient && le.Op != "COPY"
	}
	return extract.IsTransient(err) || load.Transient(context.Background(), err)
}
