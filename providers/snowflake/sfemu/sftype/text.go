package sftype

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode/utf8"
)

// appendVarchar enforces the length limit in Unicode characters
// (https://docs.snowflake.com/en/sql-reference/data-types-text#varchar).
func appendVarchar(dst []byte, t Type, v []byte) ([]byte, error) {
	if !utf8.Valid(v) {
		return dst, valueErr(CodeInvalidUTF8, "22000", "Invalid UTF8 detected in string '%s'", v)
	}
	// A byte count within the limit bounds the character count: skip counting.
	if len(v) > t.Length && utf8.RuneCount(v) > t.Length {
		return dst, valueErr(CodeStringTooLong, "22000", "User character length limit (%d) exceeded by string '%s'", t.Length, v)
	}
	if bytes.IndexByte(v, 0) >= 0 {
		// Snowflake stores NUL characters; PostgreSQL text cannot.
		return dst, valueErr(CodeEmulatorLimit, "22000", "emulator: string contains a NUL character, which the PostgreSQL-backed emulator cannot store")
	}
	return append(dst, v...), nil
}

// appendBinary decodes per BINARY_FORMAT and enforces the length in bytes.
// Output is PostgreSQL's bytea hex form.
func appendBinary(dst []byte, t Type, v []byte, format string) ([]byte, error) {
	var raw []byte
	switch strings.ToUpper(format) {
	case "", "HEX":
		if len(v)%2 != 0 || !isHex(v) {
			return dst, valueErr(CodeBadHex, "22000", "The following string is not a legal hex-encoded value: '%s'", v)
		}
		if len(v)/2 > t.Length {
			return dst, binaryTooLong(t, v)
		}
		dst = append(dst, `\x`...)
		return append(dst, v...), nil
	case "BASE64":
		var err error
		raw, err = base64.StdEncoding.DecodeString(string(v))
		if err != nil {
			return dst, valueErr(CodeBadBase64, "22000", "The following string is not a legal base64-encoded value: '%s'", v)
		}
	case "UTF8", "UTF-8":
		raw = v
	default:
		return dst, valueErr(CodeEmulatorLimit, "22023", "emulator: unknown BINARY_FORMAT '%s'", format)
	}
	if len(raw) > t.Length {
		return dst, binaryTooLong(t, v)
	}
	dst = append(dst, `\x`...)
	const hexdigits = "0123456789abcdef"
	for _, b := range raw {
		dst = append(dst, hexdigits[b>>4], hexdigits[b&15])
	}
	return dst, nil
}

// binaryTooLong: the docs give no message for this case; the emulator
// mirrors the VARCHAR message with bytes.
func binaryTooLong(t Type, v []byte) *ValueError {
	return valueErr(CodeBinaryTooLong, "22000", "User binary length limit (%d) exceeded by binary value '%s'", t.Length, v)
}

func isHex(v []byte) bool {
	for _, c := range v {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// appendBoolean accepts the strings the conversion rules document
// (https://docs.snowflake.com/en/sql-reference/data-types-logical#conversion-to-boolean):
// 'true','t','yes','y','on','1' and 'false','f','no','n','off','0', case-insensitive.
func appendBoolean(dst []byte, v []byte) ([]byte, error) {
	if len(v) <= 5 {
		var low [5]byte
		for i, c := range v {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			low[i] = c
		}
		switch string(low[:len(v)]) {
		case "true", "t", "yes", "y", "on", "1":
			return append(dst, 't'), nil
		case "false", "f", "no", "n", "off", "0":
			return append(dst, 'f'), nil
		}
	}
	return dst, valueErr(CodeBooleanNotRecognized, "22018", "Boolean value '%s' is not recognized", v)
}

// appendGeo stores GEOGRAPHY/GEOMETRY input text as is (WKT, WKB hex, EWKB,
// GeoJSON): the emulator does not validate shapes — a documented difference.
func appendGeo(dst []byte, t Type, v []byte) ([]byte, error) {
	if len(bytes.TrimSpace(v)) == 0 || !utf8.Valid(v) || bytes.IndexByte(v, 0) >= 0 {
		return dst, valueErr(CodeEmulatorLimit, "22023", "Error parsing %s: '%s' is not a valid input", t.Kind, v)
	}
	return append(dst, v...), nil
}
