package sftype

import (
	"fmt"
	"strings"
)

// CoerceOptions carries the file-format and session settings that decide how
// text is read.
type CoerceOptions struct {
	DateFormat, TimeFormat, TimestampFormat string // "AUTO" (or "") or Snowflake format strings
	BinaryFormat                            string // HEX (default) | BASE64 | UTF8
	TimeZone                                string // session TIMEZONE for LTZ/TZ values without an offset; "" = UTC
}

// ValueError is a value Snowflake would reject, with Snowflake's error code,
// SQL state and message text.
type ValueError struct {
	Code     int
	SQLState string
	Message  string
}

func (e *ValueError) Error() string { return e.Message }

// Snowflake's data-error codes for the messages below. Codes and states are
// the ones Snowflake reports for these messages as far as known; where the
// documentation is silent the emulator picks one and keeps it stable.
const (
	CodeNumericNotRecognized = 100038
	CodeNumericOutOfRange    = 100039
	CodeBooleanNotRecognized = 100037
	CodeTimestampNotRecog    = 100035
	CodeDateNotRecognized    = 100040
	CodeTimeNotRecognized    = 100108
	CodeStringTooLong        = 100074
	CodeBinaryTooLong        = 100078
	CodeBadHex               = 100115
	CodeBadBase64            = 100116
	CodeJSON                 = 100069
	CodeInvalidUTF8          = 100071
	CodeEmulatorLimit        = 100999 // a value Snowflake accepts but the emulator cannot store
)

func valueErr(code int, state, format string, a ...any) *ValueError {
	return &ValueError{Code: code, SQLState: state, Message: fmt.Sprintf(format, a...)}
}

// Coerce turns one text value into the PostgreSQL text representation for t,
// enforcing Snowflake's rules and limits, or returns a *ValueError whose
// Message reads like Snowflake's ("Numeric value '1e40' is out of range",
// "User character length limit (5) exceeded by string 'abcdef'", …).
// NULL handling is the caller's: value is never NULL here.
func Coerce(t Type, value string, opts CoerceOptions) (string, error) {
	out, err := AppendCoerce(nil, t, []byte(value), &opts)
	if err != nil {
		return "", err
	}
	return string(out), nil
}

// AppendCoerce is Coerce for the loader's hot path: it appends the
// PostgreSQL text form of v to dst without allocating on success.
func AppendCoerce(dst []byte, t Type, v []byte, o *CoerceOptions) ([]byte, error) {
	switch t.Kind {
	case Number:
		return appendNumber(dst, t, v)
	case Float:
		return appendFloat(dst, v)
	case Varchar:
		return appendVarchar(dst, t, v)
	case Binary:
		return appendBinary(dst, t, v, o.BinaryFormat)
	case Boolean:
		return appendBoolean(dst, v)
	case Date:
		return appendDate(dst, v, o)
	case Time:
		return appendTime(dst, t, v, o)
	case TimestampNTZ, TimestampLTZ, TimestampTZ:
		return appendTimestamp(dst, t, v, o)
	case Variant, Object, Array:
		return appendJSON(dst, t, v)
	case Geography, Geometry:
		return appendGeo(dst, t, v)
	}
	return dst, valueErr(CodeEmulatorLimit, "0A000", "emulator: unsupported type %s", t)
}

// isAuto reports whether a format option asks for AUTO detection.
func isAuto(f string) bool { return f == "" || strings.EqualFold(f, "AUTO") }
