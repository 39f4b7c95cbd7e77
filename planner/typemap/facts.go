package typemap

import (
	"unicode/utf8"

	"github.com/pgsnow/pgsnow/providers/catalog"
)

// facts are a column's measured values and how far they can be trusted.
type facts struct {
	p      *catalog.ColumnProfile
	method catalog.ProfileMethod // "" when the table carries no profile
}

// full: every row was read, so "none found" proves absence.
func (f facts) full() bool { return f.p != nil && f.method == catalog.ProfileFull }

// measured: some facts exist (full or sampled; sampled ones are lower bounds).
func (f facts) measured() bool {
	return f.p != nil && (f.method == catalog.ProfileFull || f.method == catalog.ProfileSample)
}

func (f facts) numeric() *catalog.NumericFacts {
	if f.measured() {
		return f.p.Numeric
	}
	return nil
}

func (f facts) size() *catalog.SizeFacts {
	if f.measured() {
		return f.p.Size
	}
	return nil
}

func (f facts) temporal() *catalog.TemporalFacts {
	if f.measured() {
		return f.p.Temporal
	}
	return nil
}

// uncheckedWhy says why absence claims cannot be trusted.
func (f facts) uncheckedWhy() string {
	switch {
	case f.p == nil || f.method == catalog.ProfileSkipped || f.method == "":
		return "not profiled"
	case f.method == catalog.ProfileSample:
		return "profiled on a sample only"
	}
	return ""
}

// numericNeed returns the integer digits and scale the values need.
func numericNeed(s source, f facts) (intDigits, scale int, known bool) {
	switch {
	case s.isInteger():
		return s.integerDigits(), 0, true
	case s.class == cMoney:
		return 17, 2, true // ±92233720368547758.07 with two fraction digits (lc_monetary assumed, see rationale)
	case s.class != cNumeric:
		return 0, 0, false
	}
	if n := f.numeric(); n != nil && f.full() {
		return n.MaxIntegerDigits, n.MaxScale, true
	}
	if s.t.Precision != nil {
		p, sc := *s.t.Precision, 0
		if s.t.Scale != nil {
			sc = *s.t.Scale
		}
		// numeric(p,s) with negative scale (PG15) holds p-s integer digits;
		// with s > p it holds only fraction digits.
		return max(p-sc, 0), max(sc, 0), true
	}
	if n := f.numeric(); n != nil { // sampled: lower bounds, flagged by the caller
		return n.MaxIntegerDigits, n.MaxScale, true
	}
	return 0, 0, false
}

// charNeed returns an upper bound of the length in characters the values
// need as text, when one is known.
func charNeed(s source, f facts) (int64, bool) {
	var bound int64 = -1
	set := func(n int64) {
		if bound < 0 || n < bound {
			bound = n
		}
	}
	switch s.class {
	case cText, cBpchar:
		if s.t.Length != nil {
			set(int64(*s.t.Length))
		}
		switch s.t.Name {
		case "name":
			set(63)
		case "char":
			set(1)
		}
	case cUUID:
		set(36)
	case cBool:
		set(5) // "false"
	case cInt2:
		set(6)
	case cInt4, cOID:
		set(11)
	case cInt8, cXID8:
		set(20)
	case cEnum:
		set(int64(enumWidth(s.t)))
	case cTimeTZ, cInterval, cDate, cTimestamp, cTimestampTZ, cTime, cMoney, cFloat4, cFloat8:
		set(textWidth[s.class])
	case cTextual:
		if smallTextual[s.t.Name] || s.t.RangeSubtype != nil && smallTextual[s.t.RangeSubtype.Name] {
			set(smallText)
		}
	}
	if sz := f.size(); sz != nil && f.full() {
		n := sz.MaxOctetLength // bytes bound characters from above
		if s.class == cBytea {
			n *= 2 // hex text
		}
		set(n)
	}
	return bound, bound >= 0
}

func enumWidth(t *catalog.Type) int {
	w := 1
	for _, l := range t.EnumLabels {
		w = max(w, utf8.RuneCountInString(l))
	}
	return w
}

// textWidth bounds the text form of fixed-size types: "-$92,233,720,368,547,758.08",
// "-1.7976931348623157e+308", "294276-12-31 23:59:59.999999+00 BC", an ISO interval.
var textWidth = map[class]int64{cMoney: 32, cFloat4: 32, cFloat8: 32, cDate: 16, cTimestamp: 40,
	cTimestampTZ: 40, cTime: 20, cTimeTZ: 32, cInterval: 128}

// smallText bounds the text form of fixed-size types (an interval or a
// tstzrange prints well under 100 characters); far below any VARCHAR.
const smallText = 256

var smallTextual = map[string]bool{
	"inet": true, "cidr": true, "macaddr": true, "macaddr8": true, "pg_lsn": true, "tid": true,
	"point": true, "lseg": true, "box": true, "line": true, "circle": true,
	"int4": true, "int8": true, "date": true, "timestamp": true, "timestamptz": true,
}
