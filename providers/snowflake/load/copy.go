package load

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// Copy names one staged file to load into one table.
type Copy struct {
	Table  Table // the target (the staging table for a reload)
	Stage  Stage
	Prefix string
	Name   string
	// FileFormat is the inside of FILE_FORMAT = ( … ): for CSV the options
	// from planner/typemap (TYPE = CSV … COMPRESSION = ZSTD); for Parquet
	// "TYPE = PARQUET" plus any options.
	FileFormat string
	Parquet    bool
	// Transform, when set, loads the file with a COPY transformation
	// (ParquetTransform) instead of MATCH_BY_COLUMN_NAME.
	Transform *Transform
	Rows      int64 // rows the extractor counted for this file
	// Recorded is true when the state manifest records this file as loaded
	// into Table. It decides what "0 files processed" means.
	Recorded bool
}

// Loaded is the outcome of one file's COPY INTO.
type Loaded struct {
	File          string // as Snowflake names it
	Status        string // LOADED, or SKIPPED_ALREADY_LOADED
	RowsParsed    int64
	RowsLoaded    int64
	QueryID       string
	AlreadyLoaded bool // Snowflake's load metadata skipped it and the state agreed
}

// ParquetFormat is the file format for pgsnow's Parquet files (field names
// equal to the target columns, data page v1). NULL_IF = () because its
// default ('\N') applies to Parquet strings too and would turn the text
// \N into NULL (TestLoadParquet). USE_VECTORIZED_SCANNER is a documented
// Parquet file-format option that reads logical types directly.
const ParquetFormat = "TYPE = PARQUET NULL_IF = () USE_VECTORIZED_SCANNER = TRUE"

// SkippedAlreadyLoaded is Loaded.Status for a file that load metadata skipped.
const SkippedAlreadyLoaded = "SKIPPED_ALREADY_LOADED"

func (c Copy) check() error {
	if err := c.Stage.check(); err != nil {
		return err
	}
	if err := checkFileName(c.Name); err != nil {
		return err
	}
	if c.Table.Database == "" || c.Table.Schema == "" || c.Table.Name == "" {
		return fmt.Errorf("COPY INTO: table %s needs database, schema and name", c.Table.Quoted())
	}
	if strings.TrimSpace(c.FileFormat) == "" {
		return fmt.Errorf("COPY INTO %s: no file format options", c.Table.Quoted())
	}
	if err := c.Transform.check(); err != nil {
		return fmt.Errorf("COPY INTO %s: %w", c.Table.Quoted(), err)
	}
	if c.Rows < 0 {
		return fmt.Errorf("COPY INTO %s: negative row count %d", c.Table.Quoted(), c.Rows)
	}
	return nil
}

// SQL is the COPY INTO statement. FILES names the one file, so a retry
// cannot pick up anything else under the prefix.
func (c Copy) SQL() string {
	if c.Transform != nil {
		return c.Transform.sql(c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "COPY INTO %s FROM %s FILES = ('%s') FILE_FORMAT = (%s)", c.Table.Quoted(), c.Stage.Ref(c.Prefix), c.Name, c.FileFormat)
	if c.Parquet {
		b.WriteString(" MATCH_BY_COLUMN_NAME = CASE_SENSITIVE")
	}
	b.WriteString(" ON_ERROR = ABORT_STATEMENT")
	return b.String()
}

// Run executes the COPY once (wrap it in Retry) and checks the result:
// one file, LOADED, rows_loaded equal to Rows. "Copy executed with 0 files
// processed." is accepted only when Recorded says the file was loaded
// before; otherwise it is ErrAlreadyLoaded.
func (c Copy) Run(ctx context.Context, db *sql.DB) (Loaded, error) { return c.run(ctx, db, false) }

// run is Run; lost says an earlier try of this same COPY failed
// transiently, so it may have committed without its answer arriving.
func (c Copy) run(ctx context.Context, db *sql.DB, lost bool) (Loaded, error) {
	if err := c.check(); err != nil {
		return Loaded{}, err
	}
	recs, qid, err := queryWithID(ctx, db, c.SQL())
	out := Loaded{QueryID: qid}
	fail := func(op string, err error) (Loaded, error) {
		e := &Error{Op: op, Table: c.Table.Quoted(), File: c.Name, QueryID: out.QueryID, Err: err}
		if op == "COPY" {
			e.Transient = Transient(ctx, err)
		}
		return out, e
	}
	if err != nil {
		return fail("COPY", err)
	}
	if len(recs) == 1 && recs[0]["file"] == "" && strings.HasPrefix(recs[0]["status"], "Copy executed with 0 files processed") {
		if c.Recorded {
			out.File, out.Status, out.AlreadyLoaded = c.Name, SkippedAlreadyLoaded, true
			out.RowsLoaded = c.Rows // what the earlier, recorded load checked
			return out, nil
		}
		rows, found, herr := c.history(ctx, db)
		switch {
		case herr != nil:
			return fail("CHECK", fmt.Errorf("%w; reading LOAD_HISTORY to explain it failed: %v", ErrAlreadyLoaded, herr))
		case !found:
			return fail("CHECK", fmt.Errorf("%w, and LOAD_HISTORY has no entry for it", ErrAlreadyLoaded))
		case !lost:
			return fail("CHECK", fmt.Errorf("%w: LOAD_HISTORY shows %d rows loaded, the extractor counted %d (docs/loading.md, \"Already loaded\")",
				ErrAlreadyLoaded, rows, c.Rows))
		case rows != c.Rows:
			return fail("CHECK", fmt.Errorf("%w: table %s file %s: an earlier try whose answer was lost loaded %d rows (LOAD_HISTORY), the extractor counted %d",
				ErrRowCount, c.Table.Quoted(), c.Name, rows, c.Rows))
		}
		// An earlier try of this COPY committed but its answer was lost.
		out.File, out.Status, out.RowsLoaded, out.RowsParsed = c.Name, "LOADED", rows, rows
		out.QueryID = ""
		return out, nil
	}
	if len(recs) != 1 {
		return fail("CHECK", fmt.Errorf("COPY reported %d files, want exactly %s", len(recs), c.Name))
	}
	r := recs[0]
	out.File, out.Status = r["file"], r["status"]
	if !strings.HasSuffix(out.File, c.Name) {
		return fail("CHECK", fmt.Errorf("COPY loaded %q, want %s", out.File, c.Name))
	}
	if out.RowsParsed, err = strconv.ParseInt(r["rows_parsed"], 10, 64); err != nil {
		return fail("CHECK", fmt.Errorf("rows_parsed %q: %v", r["rows_parsed"], err))
	}
	if out.RowsLoaded, err = strconv.ParseInt(r["rows_loaded"], 10, 64); err != nil {
		return fail("CHECK", fmt.Errorf("rows_loaded %q: %v", r["rows_loaded"], err))
	}
	if out.Status != "LOADED" {
		return fail("CHECK", fmt.Errorf("status %s, errors_seen %s, first error %q at line %s column %s",
			out.Status, r["errors_seen"], r["first_error"], r["first_error_line"], r["first_error_column_name"]))
	}
	if out.RowsLoaded != c.Rows {
		return fail("CHECK", fmt.Errorf("%w: table %s file %s: Snowflake loaded %d rows (parsed %d), the extractor counted %d",
			ErrRowCount, c.Table.Quoted(), c.Name, out.RowsLoaded, out.RowsParsed, c.Rows))
	}
	return out, nil
}

// history returns the rows LOAD_HISTORY records for this file in this
// table (the latest load), and whether there is an entry.
func (c Copy) history(ctx context.Context, db *sql.DB) (int64, bool, error) {
	q := "SELECT FILE_NAME, ROW_COUNT FROM " + ident.Quote(c.Table.Database) +
		".INFORMATION_SCHEMA.LOAD_HISTORY WHERE SCHEMA_NAME = ? AND TABLE_NAME = ? ORDER BY LAST_LOAD_TIME"
	rows, err := db.QueryContext(ctx, q, c.Table.Schema, c.Table.Name)
	if err != nil {
		return 0, false, err
	}
	recs, err := scanByName(rows)
	if err != nil {
		return 0, false, err
	}
	suffix := "/" + strings.Trim(c.Prefix, "/") + "/" + c.Name
	var n int64
	found := false
	for _, r := range recs {
		if strings.HasSuffix(r["file_name"], suffix) {
			if n, err = strconv.ParseInt(r["row_count"], 10, 64); err != nil {
				return 0, false, fmt.Errorf("ROW_COUNT %q: %v", r["row_count"], err)
			}
			found = true
		}
	}
	return n, found, nil
}
