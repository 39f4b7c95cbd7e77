package sfload

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// pqField is one top-level Parquet column and how to render its values as text.
type pqField struct {
	name    string
	kind    parquet.Kind
	logical *format.LogicalType
	conv    *deprecated.ConvertedType
	str     bool           // the value is text (STRING/ENUM/JSON logical type, or BINARY_AS_TEXT)
	loc     *time.Location // the session's TIMEZONE: TIMESTAMP_LTZ values are shown in it
}

// rawBinary reports whether the field holds bytes without a logical type
// that are read as binary (BINARY_AS_TEXT = FALSE, or the vectorized scanner).
func (f *pqField) rawBinary() bool {
	return !f.str && f.logical == nil && (f.kind == parquet.ByteArray || f.kind == parquet.FixedLenByteArray)
}

// parquet loads a Parquet file. Like Snowflake, columns are matched by name
// (MATCH_BY_COLUMN_NAME), or the whole row goes into a single VARIANT/OBJECT
// column as an object; otherwise the load fails as Snowflake's does. Each
// value is rendered as text by its logical type and coerced like CSV text.
// Nested and repeated columns are not supported by the emulator.
func (l *loader) parquet(ctx context.Context, f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return &LoadError{Code: 100999, SQLState: "22000", fileLevel: true, Message: fmt.Sprintf("Error while reading Parquet file '%s': %v", l.res.File, err)}
	}
	// "If USE_VECTORIZED_SCANNER is set to TRUE … the BINARY_AS_TEXT option
	// is always treated as FALSE and the USE_LOGICAL_TYPE option is always
	// treated as TRUE" (CREATE FILE FORMAT, TYPE = PARQUET).
	binaryAsText := l.ff.BinaryAsText && !l.ff.UseVectorizedScanner
	loc := time.UTC
	if l.opts.TimeZone != "" {
		if loc, err = time.LoadLocation(l.opts.TimeZone); err != nil {
			return &LoadError{Code: 100999, SQLState: "22023", Message: fmt.Sprintf("Unknown time zone '%s'", l.opts.TimeZone)}
		}
	}
	var fields []pqField
	for _, fl := range pf.Schema().Fields() {
		if !fl.Leaf() || fl.Repeated() {
			return &LoadError{Code: 100999, SQLState: "0A000", Message: fmt.Sprintf("emulator: nested or repeated Parquet column '%s' is not supported", fl.Name())}
		}
		t := fl.Type()
		pq := pqField{name: fl.Name(), kind: t.Kind(), logical: t.LogicalType(), conv: t.ConvertedType(), loc: loc}
		switch {
		case pq.logical != nil:
			switch pq.logical.Value.(type) {
			case *format.StringType, *format.EnumType, *format.JsonType:
				pq.str = true
			}
		case pq.conv != nil:
			pq.str = *pq.conv == deprecated.UTF8 || *pq.conv == deprecated.Enum || *pq.conv == deprecated.Json
		}
		if pq.logical == nil && pq.conv == nil && pq.kind == parquet.ByteArray && binaryAsText {
			pq.str = true
		}
		fields = append(fields, pq)
	}
	byName := l.opts.MatchByColumnName == "CASE_SENSITIVE" || l.opts.MatchByColumnName == "CASE_INSENSITIVE"
	transform := l.opts.Transform != nil
	wholeRow := !byName && !transform && len(l.cols) == 1 && (l.cols[0].Type.Kind == sftype.Variant || l.cols[0].Type.Kind == sftype.Object)
	if transform && byName {
		return &LoadError{Code: 2099, SQLState: "42601", Message: "SQL compilation error: match_by_column_name is not supported with copy transform"}
	}
	if transform && len(l.opts.Transform) != len(l.cols) {
		return &LoadError{Code: 2020, SQLState: "21S01", Message: fmt.Sprintf("SQL compilation error: Insert value list does not match column list expecting %d but got %d", len(l.cols), len(l.opts.Transform))}
	}
	if !byName && !wholeRow && !transform {
		return &LoadError{Code: 2019, SQLState: "0A000", Message: "SQL compilation error: PARQUET file format can produce one and only one column of type variant, object, or array. Load data into separate columns using the MATCH_BY_COLUMN_NAME copy option or copy with transformation."}
	}
	var mapping []int
	if byName {
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = f.name
		}
		mapping = matchColumns(l.cols, names, l.opts.MatchByColumnName == "CASE_INSENSITIVE")
	}
	if transform {
		// OBJECT keys are case-sensitive: GET($1, 'a') does not find "A".
		mapping = make([]int, len(l.opts.Transform))
		for i, it := range l.opts.Transform {
			mapping[i] = -1
			for fi, f := range fields {
				if f.name == it.Field {
					mapping[i] = fi
				}
			}
		}
	}
	rows := make([]parquet.Row, 256)
	text := make([][]byte, len(fields))
	null := make([]bool, len(fields))
	for _, rg := range pf.RowGroups() {
		rr := rg.Rows()
		for {
			if err := ctx.Err(); err != nil {
				rr.Close()
				return err
			}
			n, rerr := rr.ReadRows(rows)
			for _, row := range rows[:n] {
				l.res.RowsParsed++
				for i := range null {
					null[i] = true
				}
				for _, v := range row {
					c := v.Column()
					if c < len(fields) && !v.IsNull() {
						null[c] = false
						text[c] = fields[c].appendText(text[c][:0], v)
					}
				}
				var e *rowErr
				if transform {
					e = l.transformRow(fields, mapping, text, null)
				} else {
					e = l.parquetRow(fields, mapping, text, null, wholeRow)
				}
				if e != nil {
					re := RowError{Line: l.res.RowsParsed, RowStartLine: l.res.RowsParsed}
					if err := l.reject(*e, re); err != nil {
						rr.Close()
						return err
					}
				} else if !l.collect {
					if _, err := l.out.Write(l.row); err != nil {
						rr.Close()
						return err
					}
					l.res.RowsLoaded++
				}
				if l.skipped || l.maxRows > 0 && l.res.RowsParsed >= l.maxRows {
					rr.Close()
					return nil
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				rr.Close()
				return &LoadError{Code: 100999, SQLState: "22000", fileLevel: true, Message: fmt.Sprintf("Error while reading Parquet file '%s': %v", l.res.File, rerr)}
			}
		}
		rr.Close()
	}
	return nil
}

// parquetRow converts one row into l.row.
func (l *loader) parquetRow(fields []pqField, mapping []int, text [][]byte, null []bool, wholeRow bool) *rowErr {
	l.row = l.row[:0]
	if wholeRow {
		obj := []byte{'{'}
		for i, f := range fields {
			if i > 0 {
				obj = append(obj, ',')
			}
			obj = strconv.AppendQuote(obj, f.name) // names are plain identifiers in practice
			obj = append(obj, ':')
			switch {
			case null[i]:
				obj = append(obj, "null"...)
			case f.isJSONLiteral():
				obj = append(obj, text[i]...)
			default:
				obj = strconv.AppendQuote(obj, string(text[i]))
			}
		}
		obj = append(obj, '}')
		if e := l.value(0, false, obj); e != nil {
			return e
		}
		l.row = append(l.row, '\n')
		return nil
	}
	for ci := range l.cols {
		if ci > 0 {
			l.row = append(l.row, '\t')
		}
		fi := mapping[ci]
		isNull := fi < 0 || null[fi]
		var v []byte
		if !isNull {
			v = text[fi]
			if fields[fi].str {
				if l.ff.TrimSpace {
					v = []byte(strings.TrimSpace(string(v)))
				}
				for _, n := range l.nullIf {
					if string(v) == string(n) {
						isNull = true
					}
				}
			} else if l.cols[ci].Type.Kind == sftype.Binary && fields[fi].logical == nil &&
				(fields[fi].kind == parquet.ByteArray || fields[fi].kind == parquet.FixedLenByteArray) {
				// Raw bytes into BINARY: hex text, decoded as HEX whatever BINARY_FORMAT says.
				saved := l.co.BinaryFormat
				l.co.BinaryFormat = "HEX"
				e := l.value(ci, false, []byte(hex.EncodeToString(v)))
				l.co.BinaryFormat = saved
				if e != nil {
					return e
				}
				continue
			}
		}
		if e := l.value(ci, isNull, v); e != nil {
			return e
		}
	}
	l.row = append(l.row, '\n')
	return nil
}

func (f *pqField) isJSONLiteral() bool {
	return !f.str && (f.kind == parquet.Boolean || f.kind == parquet.Int32 || f.kind == parquet.Int64 || f.kind == parquet.Float || f.kind == parquet.Double) &&
		(f.logical == nil || f.logical.Value == nil || isIntLogical(f.logical))
}

func isIntLogical(l *format.LogicalType) bool { _, ok := l.Value.(*format.IntType); return ok }

// appendText renders one non-null value as the text Snowflake's loader
// would convert from.
func (f *pqField) appendText(dst []byte, v parquet.Value) []byte {
	var lt format.LogicalTypeValue
	if f.logical != nil {
		lt = f.logical.Value
	}
	switch t := lt.(type) {
	case *format.DecimalType:
		return appendDecimal(dst, unscaled(v), int(t.Scale))
	case *format.DateType:
		return time.Unix(int64(v.Int32())*86400, 0).UTC().AppendFormat(dst, "2006-01-02")
	case *format.TimestampType:
		ts := unixTime(v.Int64(), &t.Unit).UTC()
		if !t.IsAdjustedToUTC {
			return ts.AppendFormat(dst, "2006-01-02 15:04:05.999999999")
		}
		// A TIMESTAMP_LTZ: the instant in the session's time zone, whose
		// offset a TIMESTAMP_TZ column keeps.
		return ts.In(f.loc).AppendFormat(dst, "2006-01-02 15:04:05.999999999-07:00")
	case *format.TimeType:
		var d time.Duration
		if v.Kind() == parquet.Int32 {
			d = time.Duration(v.Int32()) * time.Millisecond
		} else {
			d = unixTime(v.Int64(), &t.Unit).Sub(time.Unix(0, 0))
		}
		return time.Unix(0, 0).UTC().Add(d).AppendFormat(dst, "15:04:05.999999999")
	case *format.IntType:
		if !t.IsSigned {
			if v.Kind() == parquet.Int32 {
				return strconv.AppendUint(dst, uint64(uint32(v.Int32())), 10)
			}
			return strconv.AppendUint(dst, uint64(v.Int64()), 10)
		}
	case *format.UUIDType:
		b := v.ByteArray()
		if len(b) == 16 {
			h := hex.EncodeToString(b)
			return append(dst, h[:8]+"-"+h[8:12]+"-"+h[12:16]+"-"+h[16:20]+"-"+h[20:]...)
		}
	}
	switch v.Kind() {
	case parquet.Boolean:
		return strconv.AppendBool(dst, v.Boolean())
	case parquet.Int32:
		return strconv.AppendInt(dst, int64(v.Int32()), 10)
	case parquet.Int64:
		return strconv.AppendInt(dst, v.Int64(), 10)
	case parquet.Float:
		return appendFloatText(dst, float64(v.Float()), 32)
	case parquet.Double:
		return appendFloatText(dst, v.Double(), 64)
	case parquet.Int96:
		// Legacy Impala timestamps: nanoseconds of day + Julian day.
		i := v.Int96()
		nanos := int64(i[1])<<32 | int64(i[0])
		day := int64(i[2]) - 2440588
		return time.Unix(day*86400, nanos).UTC().AppendFormat(dst, "2006-01-02 15:04:05.999999999")
	}
	return append(dst, v.ByteArray()...)
}

// appendFloatText spells special values as Snowflake accepts them ('inf', '-inf', 'NaN').
func appendFloatText(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

func unixTime(n int64, u *format.TimeUnit) time.Time {
	switch u.Value.(type) {
	case *format.MilliSeconds:
		return time.UnixMilli(n)
	case *format.MicroSeconds:
		return time.UnixMicro(n)
	}
	return time.Unix(0, n)
}

// unscaled reads a DECIMAL's unscaled integer from INT32, INT64 or big-endian bytes.
func unscaled(v parquet.Value) *big.Int {
	switch v.Kind() {
	case parquet.Int32:
		return big.NewInt(int64(v.Int32()))
	case parquet.Int64:
		return big.NewInt(v.Int64())
	}
	b := v.ByteArray()
	n := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 { // two's complement
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return n
}

func appendDecimal(dst []byte, n *big.Int, scale int) []byte {
	s := n.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if neg {
		dst = append(dst, '-')
	}
	if scale <= 0 {
		return append(dst, s...)
	}
	for len(s) <= scale {
		s = "0" + s
	}
	dst = append(dst, s[:len(s)-scale]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-scale:]...)
}
