package sftype

import (
	"strconv"
	"strings"
)

// appendNumber parses a decimal literal (sign, digits, optional fraction,
// optional exponent: Snowflake's string→NUMBER conversion accepts
// scientific notation), rounds it half away from zero to the column's scale
// (Snowflake rounds extra fractional digits on conversion, see
// https://docs.snowflake.com/en/sql-reference/data-types-numeric), and rejects
// values whose integer part needs more than p−s digits.
// Leading or trailing spaces are not accepted (TRIM_SPACE exists for that).
func appendNumber(dst []byte, t Type, v []byte) ([]byte, error) {
	var digits [80]byte // significant digits, capped; overflow is detected below
	nd := 0             // significant digits stored
	dropped := 0        // integer digits not stored because the buffer is full
	exp := 0            // decimal exponent of the last stored digit
	i, neg := 0, false
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		neg = v[i] == '-'
		i++
	}
	sawDigit, sawDot := false, false
	for ; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			if sawDot {
				exp--
			}
			if nd == 0 && c == '0' {
				continue // leading zero
			}
			switch {
			case nd < len(digits):
				digits[nd] = c
				nd++
			case sawDot:
				exp++ // a dropped fraction digit: keep the exponent of the last stored one
			default:
				dropped++
			}
		case c == '.' && !sawDot:
			sawDot = true
		default:
			goto tail
		}
	}
tail:
	if !sawDigit {
		return dst, notNumeric(v)
	}
	if i < len(v) {
		if v[i] != 'e' && v[i] != 'E' || i+1 == len(v) {
			return dst, notNumeric(v)
		}
		i++
		eneg := false
		if v[i] == '+' || v[i] == '-' {
			eneg = v[i] == '-'
			i++
		}
		if i == len(v) {
			return dst, notNumeric(v)
		}
		e := 0
		for ; i < len(v); i++ {
			if v[i] < '0' || v[i] > '9' {
				return dst, notNumeric(v)
			}
			if e < 100000 {
				e = e*10 + int(v[i]-'0')
			}
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	exp += dropped
	// value = digits[:nd] × 10^exp. Scale to an integer count of 10^-s units.
	shift := exp + t.Scale
	var r [80 + 2]byte
	nr := 0
	switch {
	case nd == 0:
		// zero
	case shift >= 0:
		if nd+shift > t.Precision {
			return dst, outOfRange(v)
		}
		nr = copy(r[:], digits[:nd])
		for k := 0; k < shift; k++ {
			r[nr] = '0'
			nr++
		}
	default:
		keep := nd + shift // digits kept before rounding
		roundUp := false
		if keep >= 0 && keep < nd {
			roundUp = digits[keep] >= '5'
		}
		if keep > 0 {
			nr = copy(r[:], digits[:keep])
		}
		if roundUp {
			k := nr - 1
			for ; k >= 0 && r[k] == '9'; k-- {
				r[k] = '0'
			}
			if k >= 0 {
				r[k]++
			} else {
				copy(r[1:nr+1], r[:nr])
				r[0] = '1'
				nr++
			}
		}
		if nr > t.Precision {
			return dst, outOfRange(v)
		}
	}
	if nr == 0 {
		neg = false
	}
	if neg {
		dst = append(dst, '-')
	}
	// Render nr digits as an integer part and t.Scale fraction digits.
	intDigits := nr - t.Scale
	if intDigits <= 0 {
		dst = append(dst, '0')
	} else {
		dst = append(dst, r[:intDigits]...)
	}
	if t.Scale > 0 {
		dst = append(dst, '.')
		for k := intDigits; k < 0; k++ {
			dst = append(dst, '0')
		}
		if intDigits < 0 {
			intDigits = 0
		}
		dst = append(dst, r[intDigits:nr]...)
	}
	return dst, nil
}

func notNumeric(v []byte) *ValueError {
	return valueErr(CodeNumericNotRecognized, "22018", "Numeric value '%s' is not recognized", v)
}

func outOfRange(v []byte) *ValueError {
	return valueErr(CodeNumericOutOfRange, "22003", "Numeric value '%s' is out of range", v)
}

// appendFloat accepts decimal literals and the special values the numeric
// data-type page documents: 'NaN', 'inf', '-inf' (case-insensitive;
// https://docs.snowflake.com/en/sql-reference/data-types-numeric#special-values).
// 'Infinity' is not documented and is rejected (a deliberate strictness:
// PostgreSQL prints 'Infinity', which a loader must translate).
func appendFloat(dst []byte, v []byte) ([]byte, error) {
	s := string(v)
	switch strings.ToLower(s) {
	case "nan":
		return append(dst, "NaN"...), nil
	case "inf", "+inf":
		return append(dst, "Infinity"...), nil
	case "-inf":
		return append(dst, "-Infinity"...), nil
	}
	if !isDecimalLiteral(v) {
		return dst, notNumeric(v)
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return dst, outOfRange(v) // syntax was checked: only range errors remain
	}
	return append(dst, v...), nil
}

// isDecimalLiteral matches [+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?.
func isDecimalLiteral(v []byte) bool {
	i := 0
	if i < len(v) && (v[i] == '+' || v[i] == '-') {
		i++
	}
	n := 0
	for ; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
		n++
	}
	if i < len(v) && v[i] == '.' {
		i++
		for ; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
			n++
		}
	}
	if n == 0 {
		return false
	}
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			i++
		}
		m := 0
		for ; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
			m++
		}
		if m == 0 {
			return false
		}
	}
	return i == len(v)
}
