package sftype

// AUTO detection follows "Supported formats for AUTO detection"
// (https://docs.snowflake.com/en/sql-reference/date-time-input-output):
//   date:      YYYY-MM-DD, DD-MON-YYYY, MM/DD/YYYY
//   time:      HH24:MI:SS.FFTZH:TZM, HH24:MI:SS.FF, HH24:MI:SS, HH24:MI,
//              HH12:MI:SS.FF AM, HH12:MI:SS AM, HH12:MI AM
//   timestamp: a date form, then 'T' or ' ', a time form and an optional
//              offset (Z, ±HH, ±HHMM, ±HH:MM, optionally after a space);
//              a date alone; RFC 2822 'DY, DD MON YYYY HH24:MI:SS TZHTZM'
//              and 'DY MON DD HH24:MI:SS TZHTZM YYYY'.
// Numeric strings as epoch seconds are not recognized in COPY by the
// emulator (a documented difference).

var monthAbbr = [...]string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
var dayAbbr = [...]string{"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"}

type scanner struct {
	b []byte
	i int
}

func (s *scanner) done() bool { return s.i == len(s.b) }

func (s *scanner) peek() byte {
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

func (s *scanner) lit(c byte) bool {
	if s.peek() == c && s.i < len(s.b) {
		s.i++
		return true
	}
	return false
}

// num reads between min and max digits.
func (s *scanner) num(min, max int) (int, bool) {
	n, k := 0, 0
	for k < max && s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		n = n*10 + int(s.b[s.i]-'0')
		s.i++
		k++
	}
	return n, k >= min
}

// word matches one of names case-insensitively (3 letters) and returns its index.
func (s *scanner) word(names []string) (int, bool) {
	if s.i+3 > len(s.b) {
		return 0, false
	}
	for k, n := range names {
		if upper(s.b[s.i]) == n[0] && upper(s.b[s.i+1]) == n[1] && upper(s.b[s.i+2]) == n[2] {
			s.i += 3
			return k, true
		}
	}
	return 0, false
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// date reads one of the three AUTO date forms.
func (s *scanner) date(d *dt) bool {
	start := s.i
	var ok1, ok2, ok3 bool
	// YYYY-MM-DD
	if d.year, ok1 = s.num(4, 4); ok1 && s.lit('-') {
		d.month, ok2 = s.num(2, 2)
		if ok2 && s.lit('-') {
			d.day, ok3 = s.num(2, 2)
			d.hasDate = true
			return ok3
		}
		return false
	}
	s.i = start
	a, ok := s.num(2, 2)
	if !ok {
		return false
	}
	switch {
	case s.lit('-'): // DD-MON-YYYY
		m, ok := s.word(monthAbbr[:])
		if !ok || !s.lit('-') {
			return false
		}
		d.day, d.month = a, m+1
		d.year, ok = s.num(4, 4)
		d.hasDate = true
		return ok
	case s.lit('/'): // MM/DD/YYYY
		d.month = a
		if d.day, ok2 = s.num(2, 2); !ok2 || !s.lit('/') {
			return false
		}
		d.year, ok3 = s.num(4, 4)
		d.hasDate = true
		return ok3
	}
	return false
}

// clock reads HH:MI[:SS[.F…]] with an optional AM/PM.
func (s *scanner) clock(d *dt) bool {
	var ok bool
	if d.hour, ok = s.num(1, 2); !ok || !s.lit(':') {
		return false
	}
	if d.minute, ok = s.num(2, 2); !ok {
		return false
	}
	d.hasTime = true
	if s.lit(':') {
		if d.sec, ok = s.num(2, 2); !ok {
			return false
		}
		if s.lit('.') {
			if !s.frac(d, 9) {
				return false
			}
		}
	}
	save := s.i
	if s.lit(' ') {
		if p := upper(s.peek()); (p == 'A' || p == 'P') && s.i+1 < len(s.b) && upper(s.b[s.i+1]) == 'M' {
			s.i += 2
			if d.hour < 1 || d.hour > 12 {
				return false
			}
			d.hour %= 12
			if p == 'P' {
				d.hour += 12
			}
			return true
		}
		s.i = save
	}
	return true
}

// frac reads 1..max fractional digits into nanoseconds.
func (s *scanner) frac(d *dt, max int) bool {
	n, k := 0, 0
	for k < max && s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		n = n*10 + int(s.b[s.i]-'0')
		s.i++
		k++
	}
	if k == 0 {
		return false
	}
	for j := k; j < 9; j++ {
		n *= 10
	}
	d.nanos = n
	return true
}

// zone reads [ ](Z | ±HH | ±HHMM | ±HH:MM).
func (s *scanner) zone(d *dt) bool {
	s.lit(' ')
	if s.lit('Z') || s.lit('z') {
		d.hasTZ = true
		return true
	}
	sign := 1
	switch {
	case s.lit('+'):
	case s.lit('-'):
		sign = -1
	default:
		return false
	}
	h, ok := s.num(2, 2)
	if !ok {
		return false
	}
	m := 0
	if s.lit(':') {
		if m, ok = s.num(2, 2); !ok {
			return false
		}
	} else if s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		if m, ok = s.num(2, 2); !ok {
			return false
		}
	}
	if m > 59 {
		return false
	}
	d.hasTZ, d.tzMin = true, sign*(h*60+m)
	return true
}

func autoTimestamp(d *dt, v []byte) bool {
	s := scanner{b: v}
	if s.date(d) {
		if s.done() {
			return true
		}
		if !(s.lit('T') || s.lit(' ')) || !s.clock(d) {
			return false
		}
		return s.done() || s.zone(d) && s.done()
	}
	*d = dt{}
	return rfcTimestamp(d, v)
}

// rfcTimestamp reads 'DY, DD MON YYYY HH24:MI:SS TZHTZM' and
// 'DY MON DD HH24:MI:SS TZHTZM YYYY'.
func rfcTimestamp(d *dt, v []byte) bool {
	s := scanner{b: v}
	if _, ok := s.word(dayAbbr[:]); !ok {
		return false
	}
	var ok bool
	var m int
	if s.lit(',') {
		if !s.lit(' ') {
			return false
		}
		if d.day, ok = s.num(1, 2); !ok || !s.lit(' ') {
			return false
		}
		if m, ok = s.word(monthAbbr[:]); !ok || !s.lit(' ') {
			return false
		}
		if d.year, ok = s.num(4, 4); !ok || !s.lit(' ') {
			return false
		}
		d.month, d.hasDate = m+1, true
		return s.clock(d) && (s.done() || s.zone(d) && s.done())
	}
	if !s.lit(' ') {
		return false
	}
	if m, ok = s.word(monthAbbr[:]); !ok || !s.lit(' ') {
		return false
	}
	if d.day, ok = s.num(1, 2); !ok || !s.lit(' ') || !s.clock(d) || !s.zone(d) || !s.lit(' ') {
		return false
	}
	d.year, ok = s.num(4, 4)
	d.month, d.hasDate = m+1, true
	return ok && s.done()
}
