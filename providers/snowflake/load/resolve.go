package load

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Resolve settles a file an earlier run staged and recorded as pending
// (Chunk.BeforeCopy) but did not record as loaded: that run may have been
// killed before, during or after its COPY INTO. c names the staged file
// (Prefix and Name of the pending path) and how to load it; p is what was
// extracted into it.
//
//   - Still on the stage: its COPY runs now, as a try after a lost answer.
//     Snowflake's load metadata skips the file if the earlier COPY loaded
//     it, and LOAD_HISTORY then gives its rows; otherwise it loads now.
//     Either way it is loaded once, with the rows checked.
//   - Gone: the earlier run removes a file only after its COPY was
//     checked, so LOAD_HISTORY must show it; without an entry the file
//     never loaded (false: extract the chunk again).
func (l *Loader) Resolve(ctx context.Context, c Chunk, p Pending) (Record, bool, error) {
	rec := Record{Table: c.Table.Quoted(), File: strings.Trim(c.Prefix, "/") + "/" + c.Name, Rows: p.Rows, Bytes: p.Bytes, Checksum: p.Checksum}
	present, err := Retry(ctx, l.Policy, func(ctx context.Context) (bool, error) { return l.Stage.has(ctx, l.DB, c.Prefix, c.Name) })
	if err != nil {
		return Record{}, false, err
	}
	cp := Copy{Table: c.Table, Stage: l.Stage, Prefix: c.Prefix, Name: c.Name, FileFormat: c.FileFormat, Parquet: c.Parquet, Transform: c.Transform, Rows: p.Rows}
	if !present {
		rows, err := Retry(ctx, l.Policy, func(ctx context.Context) (int64, error) {
			n, found, err := cp.history(ctx, l.DB)
			if err == nil && !found {
				n = -1
			}
			return n, err
		})
		switch {
		case err != nil:
			return Record{}, false, &Error{Op: "CHECK", Table: rec.Table, File: rec.File, Err: fmt.Errorf("reading LOAD_HISTORY for a pending file: %w", err)}
		case rows < 0:
			return Record{}, false, nil
		case rows != p.Rows:
			return Record{}, false, &Error{Op: "CHECK", Table: rec.Table, File: rec.File,
				Err: fmt.Errorf("%w: an earlier run loaded %d rows (LOAD_HISTORY), it extracted %d", ErrRowCount, rows, p.Rows)}
		}
		rec.LoadedAt = l.now()
		return rec, true, nil
	}
	loaded, err := Retry(ctx, l.Policy, func(ctx context.Context) (Loaded, error) { return cp.run(ctx, l.DB, true) })
	if err != nil {
		return Record{}, false, err
	}
	rec.Rows, rec.CopyQueryID, rec.LoadedAt = loaded.RowsLoaded, loaded.QueryID, l.now()
	if !l.KeepFiles {
		_, rerr := Retry(ctx, l.Policy, func(ctx context.Context) (int, error) {
			return l.Stage.RemoveFile(ctx, l.DB, c.Prefix, c.Name)
		})
		rec.Removed, rec.CleanupErr = rerr == nil, rerr
	}
	return rec, true, nil
}

func (l *Loader) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

// has reports whether exactly prefix/name is on the stage.
func (s Stage) has(ctx context.Context, db *sql.DB, prefix, name string) (bool, error) {
	if err := s.check(); err != nil {
		return false, err
	}
	file := strings.Trim(prefix, "/") + "/" + name
	rows, err := db.QueryContext(ctx, "LIST "+s.Ref(file))
	if err != nil {
		return false, &Error{Op: "LIST", File: file, Err: err, Transient: Transient(ctx, err)}
	}
	recs, err := scanByName(rows)
	if err != nil {
		return false, &Error{Op: "LIST", File: file, Err: err, Transient: Transient(ctx, err)}
	}
	for _, r := range recs {
		if r["name"] == file || strings.HasSuffix(r["name"], "/"+file) {
			return true, nil
		}
	}
	return false, nil
}
