package typemap

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/lang/sftype"
)

func TestParquetColumn(t *testing.T) {
	typ := func(s string) sftype.Type {
		st, err := sftype.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	type out struct {
		Native        bool
		Extract, Load string
	}
	for _, c := range []struct {
		source, target, extract string
		want                    out
	}{
		{"integer", "NUMBER(10,0)", `"c"`, out{true, `"c"`, `GET($1, 'it''s')::NUMBER(10,0)`}},
		// An override to text keeps PostgreSQL's text, never the native value.
		{"integer", "VARCHAR(11)", `"c"`, out{false, `"c"`, `GET($1, 'it''s')::VARCHAR`}},
		{"boolean", "VARCHAR(5)", `"c"`, out{false, `"c"`, `GET($1, 'it''s')::VARCHAR`}},
		{"timestamp(3) without time zone", "TIMESTAMP_NTZ(3)", "CASE …", out{true, `"c"`, `GET($1, 'it''s')::TIMESTAMP_NTZ(3)`}},
		{"timestamp with time zone", "VARCHAR(100)", `"c"`, out{false, `"c"`, `GET($1, 'it''s')::VARCHAR`}},
		{"timestamp with time zone", "TIMESTAMP_TZ(6)", "CASE …", out{true, `"c"`, `GET($1, 'it''s')::TIMESTAMP_TZ(6)`}},
		{"time(6) without time zone", "TIME(6)", "to_char(…)", out{true, `"c"`, `GET($1, 'it''s')::TIME(6)`}},
		{"time with time zone", "TIME(6)", "to_char(…)", out{false, "to_char(…)", `GET($1, 'it''s')::TIME(6)`}},
		{"real", "FLOAT", "CASE …", out{false, "CASE …", `GET($1, 'it''s')::FLOAT`}},
		{"double precision", "FLOAT", "CASE …", out{true, `"c"`, `GET($1, 'it''s')::FLOAT`}},
		{"bytea", "BINARY(100)", `encode("c", 'hex')`, out{false, `encode("c", 'hex')`, `TO_BINARY(GET($1, 'it''s')::VARCHAR, 'HEX')`}},
		{"jsonb", "VARIANT", `"c"`, out{false, `"c"`, `PARSE_JSON(GET($1, 'it''s')::VARCHAR)`}},
		{"integer[]", "ARRAY", `array_to_json("c")`, out{false, `array_to_json("c")`, `PARSE_JSON(GET($1, 'it''s')::VARCHAR)::ARRAY`}},
		{"numeric", "NUMBER(38,4)", `"c"`, out{false, `"c"`, `GET($1, 'it''s')::NUMBER(38,4)`}},
		{"date", "DATE", `"c"`, out{true, `"c"`, `GET($1, 'it''s')::DATE`}},
		{"mydomain", "NUMBER(10,0)", `"c"`, out{false, `"c"`, `GET($1, 'it''s')::NUMBER(10,0)`}},
	} {
		d := &Decision{Column: "c", Target: "it's", SourceType: c.source, Type: typ(c.target), Extract: c.extract}
		got := out{d.ParquetNative(), d.ParquetExtract(), d.ParquetLoad()}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%s → %s (-want +got):\n%s", c.source, c.target, diff)
		}
	}
}
