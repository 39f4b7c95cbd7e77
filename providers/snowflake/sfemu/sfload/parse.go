package sfload

import (
	"bytes"
	"fmt"
)

// parse splits the record at buf[pos:end]. It returns recMore when the
// record may continue past the buffered data and more input exists.
func (r *csvReader) parse() (int, int) {
	b := r.buf[:r.end]
	i := r.pos
	r.fields = r.fields[:0]
	r.scratch = r.scratch[:0]
	r.perr = ""
	switch m := r.matchRD(b, i); {
	case m < 0:
		return recMore, 0
	case m > 0:
		return recBlank, m
	}
	for {
		f := field{start: i}
		if r.trim {
			for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
				i++
			}
		}
		var st int
		if r.q >= 0 && i < len(b) && int(b[i]) == r.q {
			i, st = r.enclosed(b, i, &f)
		} else {
			i, st = r.unenclosed(b, i, &f)
		}
		if st != recOK {
			if st == recParseErr {
				return r.skipBad(b, i)
			}
			return st, 0
		}
		r.fields = append(r.fields, f)
		if i == len(b) {
			if !r.eof {
				return recMore, 0
			}
			return recOK, i - r.pos
		}
		if m := r.matchFD(b, i); m > 0 {
			i += m
			if i == len(b) && !r.eof {
				return recMore, 0
			}
			continue
		} else if m < 0 {
			return recMore, 0
		}
		if m := r.matchRD(b, i); m > 0 {
			return recOK, i + m - r.pos
		} else if m < 0 {
			return recMore, 0
		}
		panic("sfload: field ended without a delimiter")
	}
}

// matchRD reports the length of a record delimiter at b[i:], 0 for none,
// -1 when it cannot tell without more input.
func (r *csvReader) matchRD(b []byte, i int) int {
	if i >= len(b) {
		return 0
	}
	if r.newline {
		switch b[i] {
		case '\n':
			return 1
		case '\r':
			if i+1 < len(b) {
				if b[i+1] == '\n' {
					return 2
				}
				return 0
			}
			if r.eof {
				return 0
			}
			return -1
		}
		return 0
	}
	return matchSeq(b, i, r.rd, r.eof)
}

func (r *csvReader) matchFD(b []byte, i int) int { return matchSeq(b, i, r.fd, r.eof) }

func matchSeq(b []byte, i int, d []byte, eof bool) int {
	if len(d) == 0 || i >= len(b) || b[i] != d[0] {
		return 0
	}
	if len(d) == 1 {
		return 1
	}
	if i+len(d) <= len(b) {
		if bytes.Equal(b[i:i+len(d)], d) {
			return len(d)
		}
		return 0
	}
	if !eof && bytes.HasPrefix(d, b[i:]) {
		return -1
	}
	return 0
}

// unenclosed reads a field up to the next field or record delimiter.
// ESCAPE_UNENCLOSED_FIELD (or ESCAPE) makes the next character literal.
func (r *csvReader) unenclosed(b []byte, i int, f *field) (int, int) {
	start, seg := i, i
	copied := false
	for i < len(b) {
		c := b[i]
		if !r.stop[c] {
			i++
			continue
		}
		if int(c) == r.escU {
			if i+1 >= len(b) {
				if !r.eof {
					return i, recMore
				}
				i++ // a lone escape at the end of the file is kept as a backslash (emulator choice)
				continue
			}
			if !copied {
				f.off = len(r.scratch)
				copied = true
			}
			r.scratch = append(r.scratch, b[seg:i]...)
			r.scratch = append(r.scratch, unescape(b[i+1]))
			i += 2
			seg = i
			continue
		}
		if m := r.matchFD(b, i); m != 0 {
			if m < 0 {
				return i, recMore
			}
			break
		}
		if m := r.matchRD(b, i); m != 0 {
			if m < 0 {
				return i, recMore
			}
			break
		}
		i++
	}
	f.rawOff, f.rawEnd = start, i
	if r.trim {
		for f.rawEnd > f.rawOff && (b[f.rawEnd-1] == ' ' || b[f.rawEnd-1] == '\t') {
			f.rawEnd--
		}
	}
	if copied {
		r.scratch = append(r.scratch, b[seg:i]...)
		f.copied, f.end = true, len(r.scratch)
		if r.trim {
			for f.end > f.off && (r.scratch[f.end-1] == ' ' || r.scratch[f.end-1] == '\t') {
				f.end--
			}
		}
	} else {
		f.off, f.end = f.rawOff, f.rawEnd
	}
	return i, recOK
}

// enclosed reads a field that starts with the enclosing character: a doubled
// enclosing character is one literal, ESCAPE makes the next character
// literal, and after the closing character only spaces (with TRIM_SPACE)
// and a delimiter may follow.
func (r *csvReader) enclosed(b []byte, i int, f *field) (int, int) {
	q := byte(r.q)
	open := i
	i++
	seg := i
	copied := false
	for {
		for i < len(b) && !r.qstop[b[i]] {
			i++
		}
		if i >= len(b) {
			if !r.eof {
				return i, recMore
			}
			r.perr, r.perrAt = fmt.Sprintf("End of file reached while expecting the closing enclosing character %s", quoteChar(q)), open
			return i, recParseErr
		}
		c := b[i]
		if c == '\n' && !r.multiLine && int(c) != r.q && int(c) != r.esc {
			r.perr, r.perrAt = "Newline found inside an enclosed field while MULTI_LINE = FALSE", i
			return i, recParseErr
		}
		if c == q {
			if i+1 >= len(b) && !r.eof {
				return i, recMore
			}
			if i+1 < len(b) && b[i+1] == q {
				if !copied {
					f.off, copied = len(r.scratch), true
				}
				r.scratch = append(r.scratch, b[seg:i+1]...)
				i += 2
				seg = i
				continue
			}
			break // closing
		}
		if int(c) == r.esc {
			if i+1 >= len(b) {
				if !r.eof {
					return i, recMore
				}
				r.perr, r.perrAt = fmt.Sprintf("End of file reached while expecting the closing enclosing character %s", quoteChar(q)), open
				return i, recParseErr
			}
			if !copied {
				f.off, copied = len(r.scratch), true
			}
			r.scratch = append(r.scratch, b[seg:i]...)
			r.scratch = append(r.scratch, unescape(b[i+1]))
			i += 2
			seg = i
			continue
		}
		i++ // a newline that MULTI_LINE allows
	}
	f.enclosed = true
	f.rawOff, f.rawEnd = open+1, i
	if copied {
		r.scratch = append(r.scratch, b[seg:i]...)
		f.copied, f.end = true, len(r.scratch)
	} else {
		f.off, f.end = open+1, i
	}
	i++ // closing character
	if r.trim {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
	}
	if i == len(b) {
		if !r.eof {
			return i, recMore
		}
		return i, recOK
	}
	if m := r.matchFD(b, i); m != 0 {
		if m < 0 {
			return i, recMore
		}
		return i, recOK
	}
	if m := r.matchRD(b, i); m != 0 {
		if m < 0 {
			return i, recMore
		}
		return i, recOK
	}
	r.perr, r.perrAt = fmt.Sprintf("Found character %s instead of field delimiter %s", quoteChar(b[i]), quoteChar(r.fd...)), i
	return i, recParseErr
}

// skipBad consumes a record with a parse error up to and including the next
// record delimiter (ignoring quotes) so loading can resume (ON_ERROR=CONTINUE).
func (r *csvReader) skipBad(b []byte, i int) (int, int) {
	for ; i < len(b); i++ {
		if m := r.matchRD(b, i); m > 0 {
			return recParseErr, i + m - r.pos
		} else if m < 0 {
			return recMore, 0
		}
	}
	if !r.eof {
		return recMore, 0
	}
	return recParseErr, len(b) - r.pos
}

// unescape interprets the character after an escape character: the C-style
// \n \t \r \b \f, anything else stands for itself (an escaped delimiter,
// quote or escape is a literal). Emulator choice where the docs are silent.
func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	}
	return c
}

// quoteChar renders delimiter bytes the way Snowflake's messages do: '\n' for newline.
func quoteChar(b ...byte) string {
	s := string(b)
	r := []byte{'\''}
	for _, c := range []byte(s) {
		switch c {
		case '\n':
			r = append(r, '\\', 'n')
		case '\r':
			r = append(r, '\\', 'r')
		case '\t':
			r = append(r, '\\', 't')
		default:
			r = append(r, c)
		}
	}
	return string(append(r, '\''))
}

// value returns the field's text.
func (r *csvReader) value(f *field) []byte {
	if f.copied {
		return r.scratch[f.off:f.end]
	}
	return r.buf[f.off:f.end]
}

func (r *csvReader) raw(f *field) []byte { return r.buf[f.rawOff:f.rawEnd] }

// consume moves past the record just returned by next.
func (r *csvReader) consume(n int) { r.advance(n) }
