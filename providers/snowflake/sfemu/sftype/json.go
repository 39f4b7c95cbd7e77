package sftype

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// appendJSON loads text into VARIANT/OBJECT/ARRAY. In a CSV load Snowflake
// parses the field as JSON (https://docs.snowflake.com/en/user-guide/semistructured-considerations):
// invalid JSON is an error, and so are duplicate keys (PARSE_JSON rejects
// them unless ALLOW_DUPLICATE). OBJECT needs a JSON object, ARRAY a JSON array.
// Numbers Snowflake would store as DOUBLE (an exponent, or more than 38
// significant digits) are rewritten as the double they become, so the
// emulator loses exactly the precision Snowflake loses.
func appendJSON(dst []byte, t Type, v []byte) ([]byte, error) {
	if !utf8.Valid(v) {
		return dst, valueErr(CodeInvalidUTF8, "22000", "Invalid UTF8 detected in string '%s'", v)
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	type frame struct {
		obj   bool
		keys  map[string]bool
		n     int  // elements written
		isKey bool // next token in an object is a key
	}
	var stack []frame
	start := len(dst)
	first := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return dst[:start], jsonErr(err.Error())
		}
		if !first && len(stack) == 0 {
			return dst[:start], jsonErr("extra data after the JSON value")
		}
		if first {
			switch {
			case t.Kind == Object && tok != json.Delim('{'):
				return dst[:start], valueErr(CodeJSON, "22000", "Error parsing JSON: value is not an object: '%s'", v)
			case t.Kind == Array && tok != json.Delim('['):
				return dst[:start], valueErr(CodeJSON, "22000", "Error parsing JSON: value is not an array: '%s'", v)
			}
		}
		first = false
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			dst = append(dst, byte(d))
			if len(stack) > 0 {
				stack[len(stack)-1].n++
			}
			continue
		}
		// Separator before this token.
		if len(stack) > 0 {
			f := &stack[len(stack)-1]
			switch {
			case f.obj && f.isKey:
				if f.n > 0 {
					dst = append(dst, ',')
				}
				k := tok.(string)
				if strings.IndexByte(k, 0) >= 0 {
					return dst[:start], valueErr(CodeEmulatorLimit, "22000", "emulator: JSON string contains \\u0000, which PostgreSQL jsonb cannot store")
				}
				if f.keys[k] {
					return dst[:start], valueErr(CodeJSON, "22000", "Error parsing JSON: duplicate object attribute \"%s\"", k)
				}
				f.keys[k] = true
				dst = appendJSONString(dst, k)
				dst = append(dst, ':')
				f.isKey = false
				continue
			case f.obj:
				f.isKey = true
			case f.n > 0:
				dst = append(dst, ',')
			}
		}
		switch x := tok.(type) {
		case json.Delim:
			dst = append(dst, byte(x))
			stack = append(stack, frame{obj: x == '{', keys: map[string]bool{}, isKey: x == '{'})
			continue
		case string:
			if strings.IndexByte(x, 0) >= 0 {
				return dst[:start], valueErr(CodeEmulatorLimit, "22000", "emulator: JSON string contains \\u0000, which PostgreSQL jsonb cannot store")
			}
			dst = appendJSONString(dst, x)
		case json.Number:
			var err error
			if dst, err = appendJSONNumber(dst, string(x)); err != nil {
				return dst[:start], err
			}
		case bool:
			dst = strconv.AppendBool(dst, x)
		case nil:
			dst = append(dst, "null"...)
		}
		if len(stack) > 0 && !stack[len(stack)-1].obj {
			stack[len(stack)-1].n++
		} else if len(stack) > 0 {
			stack[len(stack)-1].n++
		}
	}
	if first {
		return dst[:start], jsonErr("unexpected end of input")
	}
	return dst, nil
}

func jsonErr(msg string) *ValueError {
	return valueErr(CodeJSON, "22000", "Error parsing JSON: %s", msg)
}

func appendJSONNumber(dst []byte, n string) ([]byte, error) {
	sig := 0
	for _, c := range strings.TrimLeft(strings.TrimLeft(n, "-"), "0.") {
		if c >= '0' && c <= '9' {
			sig++
		} else if c == 'e' || c == 'E' {
			break
		}
	}
	if !strings.ContainsAny(n, "eE") && sig <= 38 {
		return append(dst, n...), nil
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return dst, jsonErr("number out of range: " + n)
		}
		return dst, jsonErr(err.Error())
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64), nil
}

func appendJSONString(dst []byte, s string) []byte {
	// (A NUL in a string is rejected before this point: PostgreSQL jsonb cannot store \u0000.)
	const hexdigits = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexdigits[c>>4], hexdigits[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
