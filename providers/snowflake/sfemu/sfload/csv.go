package sfload

import (
	"bytes"
	"io"
	"unicode/utf8"
)

// csvReader splits a decompressed stream into records and fields by
// Snowflake's CSV rules (CREATE FILE FORMAT, "Format type options"). It
// keeps its own buffer so that fields are slices of it (no per-field
// allocation); a field that needs unescaping is copied into scratch.
// Memory is bounded by the largest record, not by the file.
type csvReader struct {
	src     io.Reader
	buf     []byte
	pos     int // start of the unread data (a record start)
	end     int
	eof     bool
	readErr error

	fd, rd    []byte
	newline   bool // RECORD_DELIMITER is the logical newline: \n or \r\n
	q         int  // FIELD_OPTIONALLY_ENCLOSED_BY byte, or -1
	esc       int  // ESCAPE byte (enclosed and unenclosed), or -1
	escU      int  // escape for unenclosed fields: ESCAPE if set, else ESCAPE_UNENCLOSED_FIELD, or -1
	trim      bool
	multiLine bool
	stop      [256]bool // bytes that may end an unenclosed run
	qstop     [256]bool // bytes that may end an enclosed run

	fields  []field
	scratch []byte
	perr    string // parse error message of the last record
	perrAt  int    // its absolute buffer offset

	// Position of buf[pos] in the decompressed file.
	line    int64 // 1-based line number
	col     int64 // characters since the last '\n'
	byteOff int64
}

// field is one field of the current record. Offsets are absolute in buf,
// or in scratch when copied.
type field struct {
	off, end       int
	copied         bool
	enclosed       bool
	rawOff, rawEnd int // the text as written (between quotes when enclosed), for NULL_IF
	start          int // where the field starts in buf, for error positions
}

const (
	recOK = iota
	recMore
	recBlank
	recParseErr
)

func newCSVReader(src io.Reader, ff *FileFormat) *csvReader {
	r := &csvReader{src: src, buf: make([]byte, 256<<10), line: 1, q: -1, esc: -1, escU: -1,
		fd: []byte(ff.FieldDelimiter), rd: []byte(ff.RecordDelimiter), trim: ff.TrimSpace, multiLine: ff.MultiLine}
	// "New line is logical such that \r\n is understood as a new line"
	// (CREATE FILE FORMAT, RECORD_DELIMITER).
	r.newline = ff.RecordDelimiter == "\n"
	if ff.FieldOptionallyEnclosedBy != "" {
		r.q = int(ff.FieldOptionallyEnclosedBy[0])
	}
	if ff.Escape != "" {
		r.esc, r.escU = int(ff.Escape[0]), int(ff.Escape[0]) // ESCAPE overrides ESCAPE_UNENCLOSED_FIELD
	} else if ff.EscapeUnenclosedField != "" {
		r.escU = int(ff.EscapeUnenclosedField[0])
	}
	if len(r.fd) > 0 {
		r.stop[r.fd[0]] = true
	}
	if len(r.rd) > 0 {
		r.stop[r.rd[0]] = true
	}
	if r.newline {
		r.stop['\r'] = true
	}
	if r.escU >= 0 {
		r.stop[r.escU] = true
	}
	if r.q >= 0 {
		r.qstop[r.q] = true
	}
	if r.esc >= 0 {
		r.qstop[r.esc] = true
	}
	if !r.multiLine {
		r.qstop['\n'] = true
	}
	return r
}

// fill compacts the buffer and reads more input, growing the buffer when a
// single record fills it.
func (r *csvReader) fill() {
	if r.pos > 0 {
		copy(r.buf, r.buf[r.pos:r.end])
		r.end -= r.pos
		r.pos = 0
	}
	if r.end == len(r.buf) {
		nb := make([]byte, 2*len(r.buf))
		copy(nb, r.buf[:r.end])
		r.buf = nb
	}
	for !r.eof {
		n, err := r.src.Read(r.buf[r.end:])
		r.end += n
		if err != nil {
			r.eof = true
			if err != io.EOF {
				r.readErr = err
			}
		}
		if n > 0 {
			return
		}
	}
}

// advance consumes n bytes, keeping the line/character position.
func (r *csvReader) advance(n int) {
	span := r.buf[r.pos : r.pos+n]
	if k := bytes.Count(span, []byte{'\n'}); k > 0 {
		r.line += int64(k)
		r.col = int64(utf8.RuneCount(span[bytes.LastIndexByte(span, '\n')+1:]))
	} else {
		r.col += int64(utf8.RuneCount(span))
	}
	r.byteOff += int64(n)
	r.pos += n
}

// position returns the 1-based line and character of absolute offset at
// within the current (unconsumed) record.
func (r *csvReader) position(at int) (line, char int64) {
	if at > r.end {
		at = r.end
	}
	span := r.buf[r.pos:at]
	k := bytes.Count(span, []byte{'\n'})
	if k == 0 {
		return r.line, r.col + int64(utf8.RuneCount(span)) + 1
	}
	return r.line + int64(k), int64(utf8.RuneCount(span[bytes.LastIndexByte(span, '\n')+1:])) + 1
}

// skipBOM drops a UTF-8 byte order mark at the start of the file.
func (r *csvReader) skipBOM() {
	for r.end-r.pos < 3 && !r.eof {
		r.fill()
	}
	if bytes.HasPrefix(r.buf[r.pos:r.end], []byte{0xEF, 0xBB, 0xBF}) {
		r.pos += 3
		r.byteOff += 3
	}
}

// skipLines skips n newline-terminated lines (SKIP_HEADER counts lines,
// not records: "it simply skips the specified number of CRLF-delimited
// lines in the file"). It returns how many it skipped.
func (r *csvReader) skipLines(n int) int {
	done := 0
	for done < n {
		i := bytes.IndexByte(r.buf[r.pos:r.end], '\n')
		if i < 0 {
			if r.eof {
				if r.pos < r.end {
					r.advance(r.end - r.pos)
					done++
				}
				return done
			}
			r.fill()
			continue
		}
		r.advance(i + 1)
		done++
	}
	return done
}

// next parses the next record. It returns recOK (fields set), recBlank,
// recParseErr (perr set; the record was skipped up to the next record
// delimiter) with the record still unconsumed so positions can be
// computed; the caller calls consume(n) afterwards. io.EOF at the end.
func (r *csvReader) next() (status, n int, err error) {
	for {
		if r.readErr != nil {
			return 0, 0, r.readErr // a broken stream fails the file; no partial record is parsed
		}
		if r.pos == r.end {
			if r.eof {
				return 0, 0, io.EOF
			}
			r.fill()
			continue
		}
		status, n = r.parse()
		if status != recMore {
			return status, n, nil
		}
		if r.eof {
			panic("sfload: parser asked for more input at end of file")
		}
		r.fill()
	}
}
