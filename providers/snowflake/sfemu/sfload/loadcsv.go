package sfload

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// csv loads a decompressed CSV stream.
func (l *loader) csv(ctx context.Context, src io.Reader) error {
	ff := l.ff
	switch ff.Encoding {
	case "", "UTF8":
	case "ISO88591", "LATIN1":
		src = &latin1Reader{r: src}
	default:
		return &LoadError{Code: 100999, SQLState: "0A000", Message: fmt.Sprintf("emulator: ENCODING = '%s' is not supported (UTF8 and ISO-8859-1 are)", ff.Encoding)}
	}
	if ff.ParseHeader && ff.SkipHeader > 0 {
		return &LoadError{Code: 2014, SQLState: "22023", Message: "SQL compilation error: PARSE_HEADER and SKIP_HEADER cannot be used together"}
	}
	byName := l.opts.MatchByColumnName == "CASE_SENSITIVE" || l.opts.MatchByColumnName == "CASE_INSENSITIVE"
	if byName && !ff.ParseHeader {
		return &LoadError{Code: 2014, SQLState: "22023", Message: "SQL compilation error: MATCH_BY_COLUMN_NAME for CSV files requires the file format option PARSE_HEADER = TRUE"}
	}
	cr := newCSVReader(src, ff)
	cr.fill()
	if ff.SkipByteOrderMark {
		cr.skipBOM()
	}
	cr.skipLines(ff.SkipHeader)
	var mapping []int // cols index → field index, -1 = absent (NULL)
	if ff.ParseHeader {
		st, n, err := cr.next()
		if err != nil && err != io.EOF {
			return err
		}
		if err == nil {
			if st != recOK {
				return &LoadError{Code: 100999, SQLState: "22000", Message: "Cannot parse the header line of the file"}
			}
			names := make([]string, len(cr.fields))
			for i := range cr.fields {
				names[i] = string(cr.value(&cr.fields[i]))
			}
			cr.consume(n)
			if byName {
				mapping = matchColumns(l.cols, names, l.opts.MatchByColumnName == "CASE_INSENSITIVE")
			}
		}
	}
	for {
		if l.res.RowsParsed&4095 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if l.skipped || l.maxRows > 0 && l.res.RowsParsed >= l.maxRows {
			return nil
		}
		st, n, err := cr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if st == recBlank && ff.SkipBlankLines {
			cr.consume(n)
			continue
		}
		l.res.RowsParsed++
		recStart := cr.pos
		var e *rowErr
		at := recStart
		switch st {
		case recBlank:
			// "blank lines produce an end-of-record error (default behavior)" (SKIP_BLANK_LINES).
			e = &rowErr{msg: fmt.Sprintf("End of record reached while expected to parse column '%s'", l.colName(0)), code: 100068, state: "22000", category: "parsing", col: 0}
		case recParseErr:
			e = &rowErr{msg: cr.perr, code: 100066, state: "22000", category: "parsing", col: min(len(cr.fields), len(l.cols)-1)}
			at = cr.perrAt
		default:
			e, at = l.csvRecord(cr, mapping)
		}
		if e != nil {
			line, char := cr.position(at)
			startLine, _ := cr.position(recStart)
			rej := cr.buf[recStart : recStart+n]
			if len(rej) > 1024 {
				rej = rej[:1024]
			}
			re := RowError{Line: line, Character: char, ByteOffset: cr.byteOff + int64(at-recStart), RowStartLine: startLine,
				RejectedRecord: strings.TrimRight(string(rej), "\r\n")}
			if err := l.reject(*e, re); err != nil {
				return err
			}
		} else if !l.collect {
			if _, err := l.out.Write(l.row); err != nil {
				return err
			}
			l.res.RowsLoaded++
		}
		cr.consume(n)
	}
}

// csvRecord converts the current record into l.row, or returns the error
// and the buffer offset it points at.
func (l *loader) csvRecord(cr *csvReader, mapping []int) (*rowErr, int) {
	nf := len(cr.fields)
	if mapping == nil && nf != len(l.cols) && l.ff.ErrorOnColumnCountMismatch {
		at, col := cr.pos, len(l.cols)-1
		if nf > len(l.cols) {
			at = cr.fields[len(l.cols)].start
		} else {
			col = nf
		}
		return &rowErr{msg: fmt.Sprintf("Number of columns in file (%d) does not match that of the corresponding table (%d), use file format option error_on_column_count_mismatch=false to ignore this error", nf, len(l.cols)),
			code: 100080, state: "22000", category: "parsing", col: col}, at
	}
	l.row = l.row[:0]
	for ci := range l.cols {
		fi := ci
		if mapping != nil {
			fi = mapping[ci]
		}
		if ci > 0 {
			l.row = append(l.row, '\t')
		}
		if fi < 0 || fi >= nf {
			if e := l.value(ci, true, nil); e != nil {
				return e, cr.pos
			}
			continue
		}
		f := &cr.fields[fi]
		raw := cr.raw(f)
		null := !f.enclosed && len(raw) == 0 && l.ff.EmptyFieldAsNull
		for _, n := range l.nullIf {
			if bytes.Equal(raw, n) {
				null = true
			}
		}
		if e := l.value(ci, null, cr.value(f)); e != nil {
			return e, f.start
		}
	}
	l.row = append(l.row, '\n')
	return nil, 0
}

// value coerces one value of column ci and appends it to l.row.
func (l *loader) value(ci int, null bool, v []byte) *rowErr {
	c := &l.cols[ci]
	if null {
		if c.NotNull {
			return &rowErr{msg: "NULL result in a non-nullable column", code: 100072, state: "22000", category: "conversion", col: ci}
		}
		l.row = append(l.row, '\\', 'N')
		return nil
	}
	if l.ff.ReplaceInvalidCharacters && !utf8.Valid(v) {
		v = bytes.ToValidUTF8(v, []byte("\uFFFD"))
	}
	if c.Type.Kind == sftype.Varchar && l.opts.TruncateColumns && len(v) > c.Type.Length {
		v = truncateRunes(v, c.Type.Length) // TRUNCATECOLUMNS = TRUE
	}
	var err error
	l.val, err = sftype.AppendCoerce(l.val[:0], c.Type, v, &l.co)
	if err != nil {
		e := &rowErr{msg: err.Error(), code: 100999, state: "22000", category: "conversion", col: ci}
		if ve, ok := err.(*sftype.ValueError); ok {
			e.code, e.state = ve.Code, ve.SQLState
		}
		return e
	}
	l.row = appendCopyText(l.row, l.val)
	return nil
}

func truncateRunes(v []byte, n int) []byte {
	for i := range string(v) {
		if n == 0 {
			return v[:i]
		}
		n--
	}
	return v
}

// matchColumns maps table columns to header names (MATCH_BY_COLUMN_NAME).
func matchColumns(cols []Column, names []string, fold bool) []int {
	m := make([]int, len(cols))
	for ci, c := range cols {
		m[ci] = -1
		for fi, n := range names {
			if n == c.Name || fold && strings.EqualFold(n, c.Name) {
				m[ci] = fi
				break
			}
		}
	}
	return m
}

// latin1Reader decodes ISO-8859-1 into UTF-8.
type latin1Reader struct {
	r   io.Reader
	buf []byte
	out []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.out) == 0 {
		if cap(l.buf) == 0 {
			l.buf = make([]byte, 64<<10)
		}
		n, err := l.r.Read(l.buf[:min(len(p)/2+1, len(l.buf))])
		l.out = l.out[:0]
		for _, c := range l.buf[:n] {
			l.out = utf8.AppendRune(l.out, rune(c))
		}
		if n == 0 {
			return 0, err
		}
	}
	n := copy(p, l.out)
	l.out = l.out[n:]
	return n, nil
}
