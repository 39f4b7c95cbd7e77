package sftype

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

type coerceCase struct {
	typ, in string
	want    string // expected PostgreSQL text, or the error message when err
	err     bool
}

func runCoerce(t *testing.T, opts CoerceOptions, cases []coerceCase) {
	t.Helper()
	for _, c := range cases {
		got, err := Coerce(MustParse(c.typ), c.in, opts)
		if c.err {
			if err == nil {
				t.Errorf("Coerce(%s, %q) = %q, want error %q", c.typ, c.in, got, c.want)
				continue
			}
			if _, ok := err.(*ValueError); !ok {
				t.Errorf("Coerce(%s, %q): error %T is not *ValueError", c.typ, c.in, err)
			}
			if diff := cmp.Diff(c.want, err.Error()); diff != "" {
				t.Errorf("Coerce(%s, %q) error (-want +got):\n%s", c.typ, c.in, diff)
			}
			continue
		}
		if err != nil {
			t.Errorf("Coerce(%s, %q): %v", c.typ, c.in, err)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("Coerce(%s, %q) (-want +got):\n%s", c.typ, c.in, diff)
		}
	}
}

func TestCoerceNumber(t *testing.T) {
	runCoerce(t, CoerceOptions{}, []coerceCase{
		{"NUMBER(38,0)", "0", "0", false},
		{"NUMBER(38,0)", "-0", "0", false},
		{"NUMBER(38,0)", "+42", "42", false},
		{"NUMBER(38,0)", "007", "7", false},
		{"NUMBER(38,0)", "99999999999999999999999999999999999999", "99999999999999999999999999999999999999", false},
		{"NUMBER(38,0)", "100000000000000000000000000000000000000", "Numeric value '100000000000000000000000000000000000000' is out of range", true},
		{"NUMBER(38,0)", "1e40", "Numeric value '1e40' is out of range", true},
		{"NUMBER(38,0)", "1e5", "100000", false},
		{"NUMBER(38,0)", "1.5E2", "150", false},
		{"NUMBER(38,0)", "2.5", "3", false},
		{"NUMBER(38,0)", "-2.5", "-3", false},
		{"NUMBER(38,0)", "0.4", "0", false},
		{"NUMBER(38,0)", "-0.4", "0", false},
		{"NUMBER(12,2)", "1234567890.12", "1234567890.12", false},
		{"NUMBER(12,2)", "12345678901.12", "Numeric value '12345678901.12' is out of range", true},
		{"NUMBER(12,2)", "1.235", "1.24", false},
		{"NUMBER(12,2)", "1.234", "1.23", false},
		{"NUMBER(12,2)", "9999999999.995", "Numeric value '9999999999.995' is out of range", true},
		{"NUMBER(12,2)", "9999999999.994", "9999999999.99", false},
		{"NUMBER(12,2)", ".5", "0.50", false},
		{"NUMBER(12,2)", "5.", "5.00", false},
		{"NUMBER(12,2)", "1e-3", "0.00", false},
		{"NUMBER(12,2)", "5e-3", "0.01", false},
		{"NUMBER(5,5)", "0.12345", "0.12345", false},
		{"NUMBER(5,5)", "1", "Numeric value '1' is out of range", true},
		{"NUMBER(5,5)", "-0.000001", "0.00000", false},
		{"NUMBER(3,1)", "99.96", "Numeric value '99.96' is out of range", true},
		{"NUMBER(38,0)", "1e100000000", "Numeric value '1e100000000' is out of range", true},
		{"NUMBER(38,0)", "1e-100000000", "0", false},
		{"NUMBER(38,0)", "", "Numeric value '' is not recognized", true},
		{"NUMBER(38,0)", "abc", "Numeric value 'abc' is not recognized", true},
		{"NUMBER(38,0)", " 1", "Numeric value ' 1' is not recognized", true},
		{"NUMBER(38,0)", "1 ", "Numeric value '1 ' is not recognized", true},
		{"NUMBER(38,0)", "1e", "Numeric value '1e' is not recognized", true},
		{"NUMBER(38,0)", "1.2.3", "Numeric value '1.2.3' is not recognized", true},
		{"NUMBER(38,0)", "NaN", "Numeric value 'NaN' is not recognized", true},
		{"NUMBER(38,0)", "Infinity", "Numeric value 'Infinity' is not recognized", true},
		{"NUMBER(38,0)", "-", "Numeric value '-' is not recognized", true},
		{"NUMBER(38,0)", ".", "Numeric value '.' is not recognized", true},
		{"NUMBER(38,0)", "1,000", "Numeric value '1,000' is not recognized", true},
	})
}

func TestCoerceFloat(t *testing.T) {
	runCoerce(t, CoerceOptions{}, []coerceCase{
		{"FLOAT", "1.5", "1.5", false},
		{"FLOAT", "-1e308", "-1e308", false},
		{"FLOAT", "1e400", "Numeric value '1e400' is out of range", true},
		{"FLOAT", "0.1000000000000000055511151231257827", "0.1000000000000000055511151231257827", false},
		{"FLOAT", "NaN", "NaN", false},
		{"FLOAT", "nan", "NaN", false},
		{"FLOAT", "inf", "Infinity", false},
		{"FLOAT", "INF", "Infinity", false},
		{"FLOAT", "-inf", "-Infinity", false},
		{"FLOAT", "Infinity", "Numeric value 'Infinity' is not recognized", true},
		{"FLOAT", "0x1p3", "Numeric value '0x1p3' is not recognized", true},
		{"FLOAT", "1_000", "Numeric value '1_000' is not recognized", true},
		{"FLOAT", "", "Numeric value '' is not recognized", true},
	})
}

func TestCoerceText(t *testing.T) {
	runCoerce(t, CoerceOptions{}, []coerceCase{
		{"VARCHAR(5)", "abcde", "abcde", false},
		{"VARCHAR(5)", "ééééé", "ééééé", false},
		{"VARCHAR(5)", "abcdef", "User character length limit (5) exceeded by string 'abcdef'", true},
		{"VARCHAR(5)", "", "", false},
		{"VARCHAR(5)", "a\x00b", "emulator: string contains a NUL character, which the PostgreSQL-backed emulator cannot store", true},
		{"VARCHAR(5)", "\xff", "Invalid UTF8 detected in string '\xff'", true},
		{"BOOLEAN", "TRUE", "t", false}, {"BOOLEAN", "t", "t", false}, {"BOOLEAN", "Yes", "t", false},
		{"BOOLEAN", "y", "t", false}, {"BOOLEAN", "on", "t", false}, {"BOOLEAN", "1", "t", false},
		{"BOOLEAN", "false", "f", false}, {"BOOLEAN", "F", "f", false}, {"BOOLEAN", "no", "f", false},
		{"BOOLEAN", "N", "f", false}, {"BOOLEAN", "OFF", "f", false}, {"BOOLEAN", "0", "f", false},
		{"BOOLEAN", "maybe", "Boolean value 'maybe' is not recognized", true},
		{"BOOLEAN", "2", "Boolean value '2' is not recognized", true},
		{"BOOLEAN", "", "Boolean value '' is not recognized", true},
		{"BINARY(2)", "ABcd", `\xABcd`, false},
		{"BINARY(2)", "ABCDEF", "User binary length limit (2) exceeded by binary value 'ABCDEF'", true},
		{"BINARY(2)", "ABC", "The following string is not a legal hex-encoded value: 'ABC'", true},
		{"BINARY(2)", "zz", "The following string is not a legal hex-encoded value: 'zz'", true},
		{"BINARY", "", `\x`, false},
		{"GEOGRAPHY", "POINT(1 2)", "POINT(1 2)", false},
	})
	runCoerce(t, CoerceOptions{BinaryFormat: "BASE64"}, []coerceCase{
		{"BINARY(3)", "AQID", `\x010203`, false},
		{"BINARY(2)", "AQID", "User binary length limit (2) exceeded by binary value 'AQID'", true},
		{"BINARY(3)", "A!", "The following string is not a legal base64-encoded value: 'A!'", true},
	})
	runCoerce(t, CoerceOptions{BinaryFormat: "UTF8"}, []coerceCase{
		{"BINARY(2)", "é", `\xc3a9`, false},
		{"BINARY(1)", "é", "User binary length limit (1) exceeded by binary value 'é'", true},
	})
}

func TestCoerceJSON(t *testing.T) {
	runCoerce(t, CoerceOptions{}, []coerceCase{
		{"VARIANT", `{"a": 1, "b": [true, null, "x\"y"]}`, `{"a":1,"b":[true,null,"x\"y"]}`, false},
		{"VARIANT", `42`, `42`, false},
		{"VARIANT", `"text"`, `"text"`, false},
		{"VARIANT", `12345678901234567890123456789012345678`, `12345678901234567890123456789012345678`, false},
		{"VARIANT", `123456789012345678901234567890123456789`, `1.2345678901234568e+38`, false},
		{"VARIANT", `1.5e3`, `1500`, false},
		{"VARIANT", `abc`, "Error parsing JSON: invalid character 'a' looking for beginning of value", true},
		{"VARIANT", `{"a":1,"a":2}`, `Error parsing JSON: duplicate object attribute "a"`, true},
		{"VARIANT", `{"a":1} x`, "Error parsing JSON: invalid character 'x' looking for beginning of value", true},
		{"VARIANT", `[1,2] [3]`, "Error parsing JSON: extra data after the JSON value", true},
		{"VARIANT", ``, "Error parsing JSON: unexpected end of input", true},
		{"OBJECT", `{"k":{"k":1}}`, `{"k":{"k":1}}`, false},
		{"OBJECT", `[1]`, "Error parsing JSON: value is not an object: '[1]'", true},
		{"ARRAY", `[1,[2,{}]]`, `[1,[2,{}]]`, false},
		{"ARRAY", `{}`, "Error parsing JSON: value is not an array: '{}'", true},
		{"VARIANT", `{"a":"x\u0000"}`, "emulator: JSON string contains \\u0000, which PostgreSQL jsonb cannot store", true},
	})
}
