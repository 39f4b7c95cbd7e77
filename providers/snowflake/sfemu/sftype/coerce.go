package sftype

import "errors"

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

var errNotImplemented = errors.New("sftype: Coerce not implemented yet")

// Coerce turns one text value into the PostgreSQL text representation for t,
// enforcing Snowflake's rules and limits, or returns a *ValueError whose
// Message reads like Snowflake's ("Numeric value '1e40' is out of range",
// "User character length limit (5) exceeded by string 'abcdef'", …).
// NULL handling is the caller's: value is never NULL here.
func Coerce(t Type, value string, opts CoerceOptions) (string, error) {
	return "", errNotImplemented
}
