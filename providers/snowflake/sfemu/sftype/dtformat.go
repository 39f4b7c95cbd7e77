package sftype

import (
	"strings"
	"sync"
)

// Explicit DATE_FORMAT / TIME_FORMAT / TIMESTAMP_FORMAT strings use the
// elements of "Date and time formats in conversion functions"
// (https://docs.snowflake.com/en/sql-reference/functions-conversion#date-and-time-formats-in-conversion-functions):
// YYYY YY MM MON MMMM DD DY HH24 HH12 HH AM PM MI SS FF FF0..FF9 TZH TZM TZHTZM,
// "quoted literal text"; any other character matches itself. Element names
// are case-insensitive. Matching is strict: every element must be present
// (a '.FF' in the format needs a fraction in the value).

type fmtElem struct {
	kind string // element name, or "" for literal text
	id   int    // index of kind in elemNames + 1 (0 for literal text), for a fast switch
	text string // literal text
	n    int    // FFn digits (0 = 1..9)
}

// Element ids: the position of each name in elemNames, plus one.
const (
	eTZHTZM = iota + 1
	eMMMM
	eYYYY
	eHH24
	eHH12
	eTZH
	eTZM
	eMON
	eFF
	eYY
	eMM
	eDD
	eDY
	eHH
	eAM
	ePM
	eMI
	eSS
)

var compiled sync.Map // format string → []fmtElem

var elemNames = []string{"TZHTZM", "MMMM", "YYYY", "HH24", "HH12", "TZH", "TZM", "MON", "FF", "YY", "MM", "DD", "DY", "HH", "AM", "PM", "MI", "SS"}

func compileFormat(f string) []fmtElem {
	if c, ok := compiled.Load(f); ok {
		return c.([]fmtElem)
	}
	var out []fmtElem
	up := strings.ToUpper(f)
	for i := 0; i < len(f); {
		if f[i] == '"' {
			j := strings.IndexByte(f[i+1:], '"')
			if j < 0 {
				j = len(f) - i - 1
			}
			out = append(out, fmtElem{text: f[i+1 : i+1+j]})
			i += j + 2
			continue
		}
		matched := false
		for k, n := range elemNames {
			if strings.HasPrefix(up[i:], n) {
				e := fmtElem{kind: n, id: k + 1}
				i += len(n)
				if n == "FF" && i < len(f) && f[i] >= '0' && f[i] <= '9' {
					e.n = int(f[i] - '0')
					i++
				}
				out = append(out, e)
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, fmtElem{text: f[i : i+1]})
			i++
		}
	}
	compiled.Store(f, out)
	return out
}

// matchFormat parses v with format f into d.
func matchFormat(d *dt, v []byte, f string) bool {
	s := scanner{b: v}
	pm, hasAMPM := false, false
	var ok bool
	for _, e := range compileFormat(f) {
		switch e.id {
		case 0:
			for k := 0; k < len(e.text); k++ {
				if s.i >= len(v) || upper(v[s.i]) != upper(e.text[k]) {
					return false
				}
				s.i++
			}
		case eYYYY:
			d.year, ok = s.num(4, 4)
			d.hasDate = true
		case eYY:
			d.year, ok = s.num(2, 2)
			d.year += 1900 // two-digit years: 70..99 → 19xx, 00..69 → 20xx (documented choice)
			if d.year < 1970 {
				d.year += 100
			}
			d.hasDate = true
		case eMM:
			d.month, ok = s.num(1, 2)
		case eMON:
			var m int
			m, ok = s.word(monthAbbr[:])
			d.month = m + 1
		case eMMMM:
			ok = s.monthName(d)
		case eDD:
			d.day, ok = s.num(1, 2)
		case eDY:
			_, ok = s.word(dayAbbr[:])
		case eHH24, eHH12, eHH:
			d.hour, ok = s.num(1, 2)
			d.hasTime = true
		case eAM, ePM:
			hasAMPM = true
			if s.i+2 <= len(v) && upper(v[s.i+1]) == 'M' && (upper(v[s.i]) == 'A' || upper(v[s.i]) == 'P') {
				pm = upper(v[s.i]) == 'P'
				s.i += 2
				ok = true
			} else {
				ok = false
			}
		case eMI:
			d.minute, ok = s.num(1, 2)
			d.hasTime = true
		case eSS:
			d.sec, ok = s.num(1, 2)
			d.hasTime = true
		case eFF:
			max := e.n
			if max == 0 {
				max = 9
			}
			ok = s.frac(d, max)
		case eTZH:
			ok = s.offsetHours(d)
		case eTZM:
			var m int
			m, ok = s.num(2, 2)
			if d.tzNeg {
				d.tzMin -= m
			} else {
				d.tzMin += m
			}
		case eTZHTZM:
			ok = s.offsetHours(d)
			if ok {
				var m int
				m, ok = s.num(2, 2)
				if d.tzNeg {
					d.tzMin -= m
				} else {
					d.tzMin += m
				}
			}
		}
		if !ok && e.id != 0 {
			return false
		}
	}
	if hasAMPM {
		if d.hour < 1 || d.hour > 12 {
			return false
		}
		d.hour %= 12
		if pm {
			d.hour += 12
		}
	}
	return s.done()
}

// offsetHours reads ±HH (the sign is required) or Z.
func (s *scanner) offsetHours(d *dt) bool {
	d.hasTZ = true
	if s.lit('Z') {
		return true
	}
	neg := false
	switch {
	case s.lit('+'):
	case s.lit('-'):
		neg = true
	default:
		return false
	}
	h, ok := s.num(2, 2)
	d.tzMin, d.tzNeg = h*60, neg
	if neg {
		d.tzMin = -d.tzMin
	}
	return ok
}

var monthNames = [...]string{"JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"}

func (s *scanner) monthName(d *dt) bool {
	for k, n := range monthNames {
		if s.i+len(n) <= len(s.b) && strings.EqualFold(string(s.b[s.i:s.i+len(n)]), n) {
			s.i += len(n)
			d.month = k + 1
			return true
		}
	}
	return false
}
