package sftype

import (
	"sync"
	"time"
	_ "time/tzdata" // session TIMEZONE names must resolve on machines without zoneinfo
)

// dt is one parsed date/time/timestamp value.
type dt struct {
	year, month, day  int
	hour, minute, sec int
	nanos             int
	hasDate, hasTime  bool
	hasTZ             bool
	tzMin             int // offset east of UTC, minutes
	tzNeg             bool
}

func (d *dt) valid() bool {
	if d.hasDate && (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysIn(d.year, d.month)) {
		return false
	}
	if d.hour > 23 || d.minute > 59 || d.sec > 59 {
		return false // Snowflake has no 24:00:00 and no leap second
	}
	return !d.hasTZ || (d.tzMin > -24*60 && d.tzMin < 24*60)
}

func daysIn(y, m int) int {
	switch m {
	case 4, 6, 9, 11:
		return 30
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 31
}

// Error constructors: AUTO failures use "X 'v' is not recognized"; an
// explicit format that does not match uses "Can't parse 'v' as X with format 'f'".
func notRecognized(kind Kind, v []byte, format string) *ValueError {
	if !isAuto(format) {
		return valueErr(100096, "22007", "Can't parse '%s' as %s with format '%s'", v, kindWord(kind), format)
	}
	switch kind {
	case Date:
		return valueErr(CodeDateNotRecognized, "22007", "Date '%s' is not recognized", v)
	case Time:
		return valueErr(CodeTimeNotRecognized, "22007", "Time '%s' is not recognized", v)
	}
	return valueErr(CodeTimestampNotRecog, "22007", "Timestamp '%s' is not recognized", v)
}

func kindWord(k Kind) string {
	switch k {
	case Date:
		return "date"
	case Time:
		return "time"
	}
	return "timestamp"
}

func appendDate(dst []byte, v []byte, o *CoerceOptions) ([]byte, error) {
	var d dt
	ok := false
	if isAuto(o.DateFormat) {
		s := scanner{b: v}
		ok = s.date(&d) && s.done()
	} else {
		ok = matchFormat(&d, v, o.DateFormat) && d.hasDate && !d.hasTime
	}
	if !ok || !d.valid() {
		return dst, notRecognized(Date, v, o.DateFormat)
	}
	return appendYMD(dst, &d), nil
}

func appendTime(dst []byte, t Type, v []byte, o *CoerceOptions) ([]byte, error) {
	var d dt
	ok := false
	if isAuto(o.TimeFormat) {
		s := scanner{b: v}
		ok = s.clock(&d) && (s.done() || s.zone(&d) && s.done())
	} else {
		ok = matchFormat(&d, v, o.TimeFormat) && !d.hasDate
	}
	if !ok || !d.valid() {
		return dst, notRecognized(Time, v, o.TimeFormat)
	}
	// TIME has no time zone: an offset in the input is ignored.
	return appendClock(dst, t, &d, v)
}

func appendTimestamp(dst []byte, t Type, v []byte, o *CoerceOptions) ([]byte, error) {
	var d dt
	ok := false
	if isAuto(o.TimestampFormat) {
		ok = autoTimestamp(&d, v)
	} else {
		ok = matchFormat(&d, v, o.TimestampFormat) && d.hasDate
	}
	if !ok || !d.valid() {
		return dst, notRecognized(t.Kind, v, o.TimestampFormat)
	}
	dst = appendYMD(dst, &d)
	dst = append(dst, ' ')
	dst, err := appendClock(dst, t, &d, v)
	if err != nil || t.Kind == TimestampNTZ {
		return dst, err // NTZ ignores an offset in the input
	}
	off := d.tzMin
	if !d.hasTZ {
		off, err = sessionOffset(&d, o.TimeZone)
		if err != nil {
			return dst, err
		}
	}
	return appendOffset(dst, off), nil
}

func appendYMD(dst []byte, d *dt) []byte {
	dst = append4(dst, d.year)
	dst = append(dst, '-')
	dst = append2(dst, d.month)
	dst = append(dst, '-')
	return append2(dst, d.day)
}

// appendClock writes HH:MI:SS[.ffffff], truncating the fraction to the
// column's precision (an emulator choice: the docs do not say whether loading
// truncates or rounds extra fractional digits).
func appendClock(dst []byte, t Type, d *dt, v []byte) ([]byte, error) {
	n := d.nanos
	for p := t.Precision; p < 9; p++ {
		n /= 10
	}
	for p := t.Precision; p < 9; p++ {
		n *= 10
	}
	if n%1000 != 0 {
		return dst, valueErr(CodeEmulatorLimit, "22007",
			"emulator: value '%s' has fractional seconds beyond microseconds, which the PostgreSQL-backed emulator cannot store", v)
	}
	dst = append2(dst, d.hour)
	dst = append(dst, ':')
	dst = append2(dst, d.minute)
	dst = append(dst, ':')
	dst = append2(dst, d.sec)
	if us := n / 1000; us != 0 {
		dst = append(dst, '.')
		for div := 100000; div > 0; div /= 10 {
			dst = append(dst, byte('0'+us/div%10))
		}
	}
	return dst, nil
}

func appendOffset(dst []byte, off int) []byte {
	if off < 0 {
		dst = append(dst, '-')
		off = -off
	} else {
		dst = append(dst, '+')
	}
	dst = append2(dst, off/60)
	dst = append(dst, ':')
	return append2(dst, off%60)
}

var locations sync.Map // name → *time.Location

// sessionOffset is the offset of the session time zone at the given local
// wall time, for TIMESTAMP_LTZ/TZ values written without an offset.
func sessionOffset(d *dt, tz string) (int, error) {
	if tz == "" || tz == "UTC" || tz == "Etc/UTC" {
		return 0, nil
	}
	var loc *time.Location
	if l, ok := locations.Load(tz); ok {
		loc = l.(*time.Location)
	} else {
		l, err := time.LoadLocation(tz)
		if err != nil {
			return 0, valueErr(CodeEmulatorLimit, "22023", "Unknown time zone '%s'", tz)
		}
		locations.Store(tz, l)
		loc = l
	}
	_, off := time.Date(d.year, time.Month(d.month), d.day, d.hour, d.minute, d.sec, 0, loc).Zone()
	return off / 60, nil
}

func append2(dst []byte, n int) []byte { return append(dst, byte('0'+n/10%10), byte('0'+n%10)) }

func append4(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/1000%10), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}
