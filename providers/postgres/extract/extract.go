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
	// NullString is how NULL is spelled in the CSV file: "" (an unquoted
	// empty field) normally, `\N` for one-column tables (see
	// OneColumnNull). The loader's NULL_IF must match it.
	NullString string
}

// OneColumnNull spells NULL in one-column CSV files. With the default
// empty NULL a one-column NULL row would be an empty line, which
// Snowflake skips or rejects. One-column files are written with
// NULL '\N' and FORCE_QUOTE *: NULL is an unquoted \N, every value
// (including the empty string and the text \N) is quoted.
const OneColumnNull = `\N`

var errNullCollision = errors.New(`this one-column table holds the text value \N, which a CSV file cannot tell from NULL for Snowflake (NULL_IF = ('\N')): extract the table as Parquet`)

// copySQL is the COPY statement of a CSV chunk.
func copySQL(t Table, c Chunk) (sql, null string) {
	opts := "FORMAT csv"
	if len(t.Columns) == 1 {
		null = OneColumnNull
		// FORCE_QUOTE too: with a non-empty NULL string PostgreSQL would
		// write the empty string unquoted, i.e. as a blank line again.
		opts += ", NULL " + quoteLiteral(null) + ", FORCE_QUOTE *"
	}
	return fmt.Sprintf("COPY (%s) TO STDOUT (%s)", c.query(t), opts), null
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
	sql, null := copySQL(t, c)
	var dst io.Writer = p.raw
	var guard *nullCollision
	if null != "" {
		guard = newNullCollision(dst)
		dst = guard
	}
	tag, err := w.conn.PgConn().CopyTo(ctx, dst, sql)
	if err != nil {
		return fail(err)
	}
	if guard != nil && guard.found {
		return fail(errNullCollision)
	}
	if !strings.HasPrefix(tag.String(), "COPY ") {
		return fail(fmt.Errorf("unexpected command tag %q", tag.String()))
	}
	if err := p.finish(); err != nil {
		return fail(err)
	}
	return Result{
		File:       c.FileName(o),
		Rows:       tag.RowsAffected(),
		Bytes:      p.out.n,
		RawBytes:   p.raw.n,
		Checksum:   p.out.sum(),
		NullString: null,
	}, nil
}
