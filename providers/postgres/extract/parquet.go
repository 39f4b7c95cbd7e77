package extract

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/jackc/pgx/v5"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// PostgreSQL type OIDs read in the binary protocol; every other type is
// read as text (the same text the CSV path writes) into a string column.
const (
	oidBool        = 16
	oidBytea       = 17
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidFloat4      = 700
	oidFloat8      = 701
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
)

// Offsets from PostgreSQL's epoch (2000-01-01) to the Unix epoch.
const (
	pgEpochDays   = 10957
	pgEpochMicros = 946684800000000
	dayMicros     = 86400000000
)

// parquetColumn is how one output column is read and written.
type parquetColumn struct {
	oid    uint32
	binary bool
	leaf   int // column index in the Parquet schema (fields sort by name)
}

// parquetNode is the Parquet type written for a PostgreSQL result type.
func parquetNode(oid uint32) (parquet.Node, bool) {
	switch oid {
	case oidBool:
		return parquet.Leaf(parquet.BooleanType), true
	case oidInt2:
		return parquet.Int(16), true
	case oidInt4:
		return parquet.Int(32), true
	case oidInt8:
		return parquet.Int(64), true
	case oidFloat4:
		return parquet.Leaf(parquet.FloatType), true
	case oidFloat8:
		return parquet.Leaf(parquet.DoubleType), true
	case oidDate:
		return parquet.Date(), true
	case oidTimestamp:
		return parquet.TimestampAdjusted(parquet.Microsecond, false), true
	case oidTimestamptz:
		return parquet.Timestamp(parquet.Microsecond), true
	case oidTime:
		return parquet.TimeAdjusted(parquet.Microsecond, false), true
	case oidBytea:
		return parquet.Leaf(parquet.ByteArrayType), true
	}
	// numeric (any precision, NaN/Infinity), text, json/jsonb, uuid,
	// interval (iso_8601), timetz, arrays…: exact text.
	return parquet.String(), false
}

func parquetCodec(c Compression) compress.Codec {
	if c == Snappy {
		return &snappy.Codec{}
	}
	return &zstd.Codec{Level: zstd.SpeedFastest}
}

// parquetBatch is how many rows are handed to the writer at once; their
// bytes live in one reused arena.
const parquetBatch = 1024

func (w *Worker) extractParquet(ctx context.Context, t Table, c Chunk, o Options, sink io.Writer) (Result, error) {
	pg := w.conn.PgConn()
	sql := c.query(t)
	desc, err := pg.Prepare(ctx, "", sql, nil)
	if err != nil {
		return Result{}, err
	}
	if len(desc.Fields) != len(t.Columns) {
		return Result{}, fmt.Errorf("query returns %d columns for %d names", len(desc.Fields), len(t.Columns))
	}
	asText := map[string]bool{}
	for _, n := range t.ParquetText {
		asText[n] = true
	}
	group := parquet.Group{}
	cols := make([]parquetColumn, len(t.Columns))
	formats := make([]int16, len(t.Columns))
	for i, f := range desc.Fields {
		name := t.Columns[i].Name
		if _, dup := group[name]; dup {
			return Result{}, fmt.Errorf("column name %q appears twice", name)
		}
		node, bin := parquetNode(f.DataTypeOID)
		if asText[name] {
			// The output function's text, exactly as COPY … (FORMAT csv) writes it.
			node, bin = parquet.String(), false
		}
		group[name] = parquet.Optional(node)
		cols[i] = parquetColumn{oid: f.DataTypeOID, binary: bin}
		if bin {
			formats[i] = pgx.BinaryFormatCode
		}
	}
	for n := range asText {
		if _, ok := group[n]; !ok {
			return Result{}, fmt.Errorf("ParquetText names %q, which is not a column", n)
		}
	}
	schema := parquet.NewSchema("schema", group)
	for i := range cols {
		leaf, ok := schema.Lookup(t.Columns[i].Name)
		if !ok {
			return Result{}, fmt.Errorf("column %q missing from the Parquet schema", t.Columns[i].Name)
		}
		cols[i].leaf = leaf.ColumnIndex
	}
	groupRows, groupBytes := o.RowGroupRows, o.RowGroupBytes
	if groupRows <= 0 {
		groupRows = DefaultRowGroupRows
	}
	if groupBytes <= 0 {
		groupBytes = DefaultRowGroupBytes
	}
	out := newCountingWriter(sink)
	buf := bufio.NewWriterSize(out, w.bufSize)
	pw := parquet.NewWriter(buf, schema,
		parquet.DataPageVersion(1), // the only version Snowflake documents
		parquet.Compression(parquetCodec(o.Compression)),
		parquet.MaxRowsPerRowGroup(int64(groupRows)),
		parquet.CreatedBy("pgsnow", "", ""))

	// Cancelling on a decoding error ends the query instead of draining
	// the rest of the chunk; the worker is abandoned after any error.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w.streaming(true)
	defer w.streaming(false)
	rr := pg.ExecPrepared(ctx, "", nil, nil, formats)
	var n, pending int64 // pending: raw bytes in the open row group
	// Rows and the arena are reused: WriteRows copies values into the
	// column buffers.
	rows := make([]parquet.Row, parquetBatch)
	for i := range rows {
		rows[i] = make(parquet.Row, len(cols))
	}
	batch := rows[:0]
	var arena []byte
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		_, err := pw.WriteRows(batch)
		batch, arena = rows[:0], arena[:0]
		return err
	}
	for rr.NextRow() {
		vals := rr.Values()
		row := rows[len(batch)]
		for i, v := range vals {
			pending += int64(len(v))
			pv, err := parquetValue(cols[i], v, &arena)
			if err != nil {
				cancel()
				rr.Close()
				return Result{}, fmt.Errorf("row %d, column %q: %w", n+1, t.Columns[i].Name, err)
			}
			row[cols[i].leaf] = pv
		}
		batch = append(batch, row)
		n++
		if len(batch) == parquetBatch || pending >= groupBytes {
			err := flush()
			if err == nil && pending >= groupBytes {
				err = pw.Flush() // ends the row group
				pending = 0
			}
			if err != nil {
				cancel()
				rr.Close()
				return Result{}, err
			}
		}
	}
	if _, err := rr.Close(); err != nil {
		return Result{}, err
	}
	if err := flush(); err != nil {
		return Result{}, err
	}
	if err := pw.Close(); err != nil {
		return Result{}, err
	}
	if err := buf.Flush(); err != nil {
		return Result{}, err
	}
	return Result{File: c.FileName(o), Rows: n, Bytes: out.n, Checksum: out.sum()}, nil
}

// Years 1..9999 (in UTC for timestamptz), as days and microseconds from
// PostgreSQL's epoch: the range the CSV path loads (see planner/typemap).
// Outside it a BC or five-digit year would reach Snowflake as some other
// date, so the value is refused, as the profile refuses it at plan time.
const (
	minDate      = -730119            // 0001-01-01
	maxDate      = 2921939            // 9999-12-31
	minTimestamp = -63082281600000000 // 0001-01-01 00:00:00
	endTimestamp = 252455616000000000 // 10000-01-01 00:00:00
)

var errYearRange = errors.New("year outside 1..9999 cannot be loaded into Snowflake unchanged (override the column to VARCHAR)")

var errInfinite = errors.New("infinite value cannot be written as a Parquet date/timestamp (override the column to VARCHAR)")

// parquetValue decodes one raw value. Byte values are copied into the
// arena: the driver reuses its buffer for the next row.
func parquetValue(c parquetColumn, v []byte, arena *[]byte) (parquet.Value, error) {
	if v == nil {
		return parquet.NullValue().Level(0, 0, c.leaf), nil
	}
	var pv parquet.Value
	if !c.binary || c.oid == oidBytea {
		start := len(*arena)
		*arena = append(*arena, v...)
		pv = parquet.ByteArrayValue((*arena)[start:len(*arena):len(*arena)])
		return pv.Level(0, 1, c.leaf), nil
	}
	if want := binarySize(c.oid); len(v) != want {
		return pv, fmt.Errorf("binary value of type %d has %d bytes, want %d", c.oid, len(v), want)
	}
	switch c.oid {
	case oidBool:
		pv = parquet.BooleanValue(v[0] != 0)
	case oidInt2:
		pv = parquet.Int32Value(int32(int16(binary.BigEndian.Uint16(v))))
	case oidInt4:
		pv = parquet.Int32Value(int32(binary.BigEndian.Uint32(v)))
	case oidInt8:
		pv = parquet.Int64Value(int64(binary.BigEndian.Uint64(v)))
	case oidFloat4:
		pv = parquet.FloatValue(math.Float32frombits(binary.BigEndian.Uint32(v)))
	case oidFloat8:
		pv = parquet.DoubleValue(math.Float64frombits(binary.BigEndian.Uint64(v)))
	case oidDate:
		d := int32(binary.BigEndian.Uint32(v))
		if d == math.MaxInt32 || d == math.MinInt32 {
			return pv, errInfinite
		}
		if d < minDate || d > maxDate {
			return pv, errYearRange
		}
		pv = parquet.Int32Value(d + pgEpochDays)
	case oidTimestamp, oidTimestamptz:
		us := int64(binary.BigEndian.Uint64(v))
		if us == math.MaxInt64 || us == math.MinInt64 {
			return pv, errInfinite
		}
		if us < minTimestamp || us >= endTimestamp {
			return pv, errYearRange
		}
		pv = parquet.Int64Value(us + pgEpochMicros)
	case oidTime:
		us := int64(binary.BigEndian.Uint64(v))
		if us >= dayMicros {
			return pv, errors.New("time 24:00:00 cannot be written as a Parquet TIME (override the column to VARCHAR)")
		}
		pv = parquet.Int64Value(us)
	}
	return pv.Level(0, 1, c.leaf), nil
}

// binarySize is the length of a fixed-size binary value.
func binarySize(oid uint32) int {
	switch oid {
	case oidBool:
		return 1
	case oidInt2:
		return 2
	case oidInt4, oidFloat4, oidDate:
		return 4
	}
	return 8
}
