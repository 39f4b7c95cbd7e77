package sfload

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTypedRow loads one row of every type FIDELITY.md maps, written the way
// pgsnow's extractor writes CSV, with explicit date/time formats.
func TestTypedRow(t *testing.T) {
	c := cols("I", "NUMBER(19,0)", "N", "NUMBER(12,2)", "F", "FLOAT", "S", "VARCHAR(10)", "B", "BINARY(4)",
		"BO", "BOOLEAN", "D", "DATE", "TS", "TIMESTAMP_NTZ(6)", "TZ", "TIMESTAMP_TZ(6)", "TM", "TIME(6)", "V", "VARIANT", "A", "ARRAY")
	format := pgsnowFormat + ` DATE_FORMAT='YYYY-MM-DD' TIME_FORMAT='HH24:MI:SS.FF6' TIMESTAMP_FORMAT='YYYY-MM-DD HH24:MI:SS.FF6TZH:TZM'`
	in := `-9223372036854775808,1234567890.12,-inf,"say ""hi""",DEADbeef,t,0001-01-01,9999-12-31 23:59:59.999999+00:00,` +
		`2024-02-29 12:00:00.000001+05:30,23:59:59.999999,"{""k"": [1, 2.5, null]}","[""x""]"` + "\n" +
		`0,0.00,NaN,"",,f,2024-01-02,2024-01-02 00:00:00.000000+00:00,2024-01-02 00:00:00.000000-08:00,00:00:00.000000,,` + "\n"
	out, res, err := load(t, []byte(in), "f.csv", format, "", c)
	if err != nil {
		t.Fatal(err)
	}
	want := "-9223372036854775808\t1234567890.12\t-Infinity\tsay \"hi\"\t\\\\xDEADbeef\tt\t0001-01-01\t9999-12-31 23:59:59.999999\t" +
		"2024-02-29 12:00:00.000001+05:30\t23:59:59.999999\t{\"k\":[1,2.5,null]}\t[\"x\"]\n" +
		"0\t0.00\tNaN\t\t\\N\tf\t2024-01-02\t2024-01-02 00:00:00\t2024-01-02 00:00:00-08:00\t00:00:00\t\\N\t\\N\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if res.Status != "LOADED" || res.RowsLoaded != 2 {
		t.Errorf("result %+v", res)
	}
}
