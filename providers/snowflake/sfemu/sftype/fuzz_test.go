package sftype

import (
	"strings"
	"testing"
)

var fuzzTypes = []string{"NUMBER(38,0)", "NUMBER(12,2)", "NUMBER(5,5)", "FLOAT", "VARCHAR(5)", "BINARY(4)", "BOOLEAN",
	"DATE", "TIME(3)", "TIMESTAMP_NTZ(6)", "TIMESTAMP_LTZ(9)", "TIMESTAMP_TZ(0)", "VARIANT", "OBJECT", "ARRAY", "GEOGRAPHY"}

var fuzzOpts = []CoerceOptions{
	{},
	{DateFormat: "DD MON YYYY", TimeFormat: "HH12:MI:SS.FF3 AM", TimestampFormat: `YYYY-MM-DD"T"HH24:MI:SS.FFTZHTZM`, BinaryFormat: "BASE64", TimeZone: "Asia/Kolkata"},
	{TimestampFormat: "YYYYMMDDHH24MISS", BinaryFormat: "UTF8", TimeZone: "America/New_York"},
}

// FuzzCoerce checks that Coerce never panics, that failures are
// *ValueError, and that NUMBER results respect the column's scale.
func FuzzCoerce(f *testing.F) {
	for _, s := range []string{"1", "-1.5e3", "2024-01-02", "2024-01-02 03:04:05.123+05:30", "13:14", "true", "{\"a\":1}", "[1]", "deadbeef", "inf", ""} {
		f.Add(s, uint8(0), uint8(0))
	}
	f.Fuzz(func(t *testing.T, v string, ti, oi uint8) {
		ty := MustParse(fuzzTypes[int(ti)%len(fuzzTypes)])
		out, err := Coerce(ty, v, fuzzOpts[int(oi)%len(fuzzOpts)])
		if err != nil {
			if _, ok := err.(*ValueError); !ok {
				t.Fatalf("%T is not *ValueError", err)
			}
			return
		}
		if ty.Kind == Number {
			frac := ""
			if i := strings.IndexByte(out, '.'); i >= 0 {
				frac = out[i+1:]
			}
			digits := strings.Count(strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(out, "-"), ".", ""), "0"), "") - 1
			if len(frac) != ty.Scale || digits > ty.Precision {
				t.Fatalf("NUMBER %s from %q gave %q", ty, v, out)
			}
		}
	})
}
