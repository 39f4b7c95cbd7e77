package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Result describes one extracted chunk's file.
type Result struct {
	File     string // Chunk.FileName
	Rows     int64  // exact: from the COPY command tag (CSV) or rows written (Parquet)
	Bytes    int64  // bytes written to the sink (the file as staged)
	RawBytes int64  // uncompressed CSV bytes (0 for Parquet)
	Checksum string // "sha256:<hex>" of the bytes written to the sink
	// Padded is true when every record ends with one extra empty field
	// (one-column tables, see copySQL): the load must then use
	// ERROR_ON_COLUMN_COUNT_MISMATCH = FALSE, under which Snowflake
	// documents that extra fields are not loaded (typemap's
	// Table.FileFormatOptions does so).
	Padded bool
}

// copySQL is the COPY statement of a CSV chunk. A one-column table gets
// a constant NULL as a second field, as planner/typemap decided
// (SelectList): its NULL would otherwise be a blank line, which Snowflake
// rejects (SKIP_BLANK_LINES = FALSE) or skips. No NULL sentinel is
// needed, so no value can be mistaken for NULL.
func copySQL(t Table, c Chunk) (sql string, padded bool) {
	if len(t.Columns) == 1 {
		t.Columns = append(t.Columns[:1:1], Column{Name: "", Expr: "NULL"})
		padded = true
	}
	return fmt.Sprintf("COPY (%s) TO STDOUT (FORMAT csv)", c.query(t)), padded
}

// Extract streams chunk c of table t into sink in the format o asks for.
// Memory use is bounded by the buffers, whatever the chunk's size. On
// error the worker is closed (open a new one to retry) and the error is a
// *ChunkError naming the table and chunk; IsTransient tells whether a
// retry may succeed. The sink has then received a partial file, which the
// caller must discard.
func (w *Worker) Extract(ctx context.Context, t Table, c Chunk, o Options, sink io.Writer) (Result, error) {
	fail := func(err error) (Result, error) {
		w.abandon()
		return Result{}, &ChunkError{Schema: t.Schema, Table: t.Name, Num: c.Num, ID: c.ID, Err: err}
	}
	if w.conn == nil {
		return Result{}, &ChunkError{Schema: t.Schema, Table: t.Name, Num: c.Num, ID: c.ID,
			Err: errors.New("worker is closed (a previous chunk failed): open a new worker")}
	}
	if err := o.Validate(); err != nil {
		return Result{}, err
	}
	if err := t.validate(); err != nil {
		return Result{}, err
	}
	if o.Format == Parquet {
		res, err := w.extractParquet(ctx, t, c, o, sink)
		if err != nil {
			return fail(err)
		}
		return res, nil
	}
	p, err := newPipeline(sink, o.Compression, w.bufSize)
	if err != nil {
		return Result{}, err
	}
	sql, padded := copySQL(t, c)
	w.streaming(true)
	tag, err := w.conn.PgConn().CopyTo(ctx, p.raw, sql)
	w.streaming(false)
	if err != nil {
		return fail(err)
	}
	if !strings.HasPrefix(tag.String(), "COPY ") {
		return fail(fmt.Errorf("unexpected command tag %q", tag.String()))
	}
	if err := p.finish(); err != nil {
		return fail(err)
	}
	return Result{
		File:     c.FileName(o),
		Rows:     tag.RowsAffected(),
		Bytes:    p.out.n,
		RawBytes: p.raw.n,
		Checksum: p.out.sum(),
		Padded:   padded,
	}, nil
}
