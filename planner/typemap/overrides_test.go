package typemap

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/providers/catalog"
)

func colOpts(co ColumnOverride) Options {
	co.Column = "c"
	return Options{SourceName: "src", Tables: []TableOverride{{Schema: "public", Table: "t", Columns: []ColumnOverride{co}}}}
}

func TestOverrides(t *testing.T) {
	num4 := &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 6, MaxScale: 4}}
	text40 := &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 40}}
	cases := []struct {
		name string
		c    typeCase
		opts Options
		want outcome
		kind string // applied override kind
		loss bool   // decision records a loss
	}{
		{name: "numeric NaN fixed by VARCHAR", c: typeCase{typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{NaN: 3}}},
			opts: colOpts(ColumnOverride{Type: "VARCHAR"}), want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}, kind: "column"},
		{name: "NUMBER(10,2) refused for scale 4", c: typeCase{typ: numericT(nil, nil), profile: num4},
			opts: colOpts(ColumnOverride{Type: "NUMBER(10,2)"}), want: outcome{Type: "NUMBER(10,2)", Problem: "max scale 4", Extract: `"c"`}, kind: "column"},
		{name: "NUMBER(10,2) accepted with allow_lossy", c: typeCase{typ: numericT(nil, nil), profile: num4},
			opts: colOpts(ColumnOverride{Type: "NUMBER(10,2)", AllowLossy: true}), want: outcome{Type: "NUMBER(10,2)", Risk: RiskHigh, Extract: `"c"`}, kind: "column", loss: true},
		{name: "NUMBER(12,4) fits the profile", c: typeCase{typ: numericT(nil, nil), profile: num4},
			opts: colOpts(ColumnOverride{Type: "NUMBER(12,4)"}), want: outcome{Type: "NUMBER(12,4)", Risk: RiskNone, Extract: `"c"`}, kind: "column"},
		{name: "NUMBER(5,4) too few integer digits", c: typeCase{typ: numericT(nil, nil), profile: num4},
			opts: colOpts(ColumnOverride{Type: "NUMBER(5,4)"}), want: outcome{Type: "NUMBER(5,4)", Problem: "max 6 integer digits", Extract: `"c"`}, kind: "column"},
		{name: "VARCHAR(10) refused for 40 bytes", c: typeCase{typ: pgType("text", "text"), profile: text40},
			opts: colOpts(ColumnOverride{Type: "VARCHAR(10)"}), want: outcome{Type: "VARCHAR(10)", Problem: "values up to 40 characters", Extract: `"c"`}, kind: "column"},
		{name: "VARCHAR(10) for varchar(40) declared, unprofiled", c: typeCase{typ: withLen(pgType("varchar", "character varying(40)"), 40), method: catalog.ProfileSkipped},
			opts: colOpts(ColumnOverride{Type: "VARCHAR(10)"}), want: outcome{Type: "VARCHAR(10)", Problem: "values up to 40 characters", Extract: `"c"`}, kind: "column"},
		{name: "VARCHAR(40) accepted", c: typeCase{typ: pgType("text", "text"), profile: text40},
			opts: colOpts(ColumnOverride{Type: "VARCHAR(40)"}), want: outcome{Type: "VARCHAR(40)", Risk: RiskNone, Extract: `"c"`}, kind: "column"},
		{name: "timestamp to TIMESTAMP_NTZ(3) loses fractions", c: typeCase{typ: pgType("timestamp", "timestamp without time zone"), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{}}},
			opts: colOpts(ColumnOverride{Type: "TIMESTAMP_NTZ(3)"}), want: outcome{Type: "TIMESTAMP_NTZ(3)", Problem: "fractional seconds to 6 digits", Extract: `CASE WHEN "c" >= '0001-01-01'::timestamp AND "c" < '10000-01-01'::timestamp THEN to_char("c", 'YYYY-MM-DD HH24:MI:SS.US') ELSE "c"::text END`}, kind: "column"},
		{name: "infinite timestamps fixed by VARCHAR", c: typeCase{typ: pgType("timestamptz", "timestamp with time zone"), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{PosInfinity: 12}}},
			opts: colOpts(ColumnOverride{Type: "varchar"}), want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}, kind: "column"},
		{name: "json to VARIANT is lossy", c: typeCase{typ: pgType("json", "json"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 10}, JSON: &catalog.JSONFacts{}}},
			opts: colOpts(ColumnOverride{Type: "VARIANT"}), want: outcome{Type: "VARIANT", Problem: "exact JSON text", Extract: `"c"`}, kind: "column"},
		{name: "array lower bound accepted with allow_lossy only", c: typeCase{typ: arrayOf(pgType("int4", "integer")), profile: &catalog.ColumnProfile{Array: &catalog.ArrayFacts{LowerBoundNot1: 2}}},
			opts: colOpts(ColumnOverride{AllowLossy: true}), want: outcome{Type: "ARRAY", Risk: RiskHigh, Extract: `array_to_json("c")`}, kind: "column", loss: true},
		{name: "NUMBER override on an unprofiled numeric is high risk", c: typeCase{typ: numericT(nil, nil), method: catalog.ProfileSkipped},
			opts: colOpts(ColumnOverride{Type: "NUMBER(38,10)"}), want: outcome{Type: "NUMBER(38,10)", Risk: RiskHigh, Extract: `"c"`}, kind: "column"},
		{name: "bool to BINARY incompatible", c: typeCase{typ: pgType("bool", "boolean")},
			opts: colOpts(ColumnOverride{Type: "BINARY"}), want: outcome{Type: "BINARY(8388608)", Problem: "PostgreSQL boolean cannot be loaded into Snowflake BINARY(8388608)", Extract: `encode("c", 'hex')`}, kind: "column"},
		{name: "bad override type", c: typeCase{typ: pgType("int4", "integer")},
			opts: colOpts(ColumnOverride{Type: "NUMBER(40,0)"}), want: outcome{Type: "NUMBER(10,0)", Problem: `override type "NUMBER(40,0)": precision 40 out of range 1..38`, Extract: `"c"`}},
		{name: "override NUMBER(38,38) refused", c: typeCase{typ: numericT(nil, nil), profile: num4},
			opts: colOpts(ColumnOverride{Type: "NUMBER(38,38)"}), want: outcome{Type: "NUMBER(38,4)", Problem: `override type "NUMBER(38,38)": scale 38 out of range 0..37`, Extract: `"c"`}},
		{name: "type override money", c: typeCase{typ: pgType("money", "money")},
			opts: Options{Types: []TypeOverride{{PostgresType: "money", Type: "NUMBER(21,4)"}}}, want: outcome{Type: "NUMBER(21,4)", Risk: RiskLow, Extract: `"c"::numeric`}, kind: "type"},
		{name: "type override by SQL name", c: typeCase{typ: pgType("timestamptz", "timestamp with time zone"), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{}}},
			opts: Options{Types: []TypeOverride{{PostgresType: "timestamp  with time zone", Type: "TIMESTAMP_LTZ(6)"}}},
			want: outcome{Type: "TIMESTAMP_LTZ(6)", Risk: RiskNone, Extract: `CASE WHEN "c" >= '0001-01-01'::timestamptz AND "c" < '10000-01-01'::timestamptz THEN to_char("c", 'YYYY-MM-DD HH24:MI:SS.US') ELSE "c"::text END`}, kind: "type"},
		{name: "type override on array spelling", c: typeCase{typ: arrayOf(pgType("int4", "integer")), profile: &catalog.ColumnProfile{Array: &catalog.ArrayFacts{}}},
			opts: Options{Types: []TypeOverride{{PostgresType: "integer[]", Type: "VARIANT"}}}, want: outcome{Type: "VARIANT", Risk: RiskLow, Extract: `array_to_json("c")`}, kind: "type"},
		{name: "type override lossy refused", c: typeCase{typ: numericT(nil, nil), profile: num4},
			opts: Options{Types: []TypeOverride{{PostgresType: "numeric", Type: "NUMBER(38,2)"}}}, want: outcome{Type: "NUMBER(38,2)", Problem: "max scale 4", Extract: `"c"`}, kind: "type"},
		{name: "column override beats type override", c: typeCase{typ: pgType("money", "money")},
			opts: func() Options {
				o := colOpts(ColumnOverride{Type: "VARCHAR(32)"})
				o.Types = []TypeOverride{{PostgresType: "money", Type: "NUMBER(20,4)"}}
				return o
			}(), want: outcome{Type: "VARCHAR(32)", Risk: RiskLow, Extract: `"c"`}, kind: "column"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, d, _ := mapColumn(t, c.c, c.opts)
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			kind, loss := "", false
			if d.Override != nil {
				kind, loss = d.Override.Kind, len(d.Override.Loss) > 0
			}
			if kind != c.kind || loss != c.loss {
				t.Errorf("override kind %q loss %v, want %q %v (%+v)", kind, loss, c.kind, c.loss, d.Override)
			}
		})
	}
}

func TestLossyRefusalFix(t *testing.T) {
	c := typeCase{typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 6, MaxScale: 4}}}
	_, _, probs := mapColumn(t, c, colOpts(ColumnOverride{Type: "NUMBER(10,2)"}))
	if len(probs) != 1 {
		t.Fatalf("problems: %v", probs)
	}
	want := "table \"src.public.t\" {\n  column \"c\" {\n    type = \"NUMBER(10,2)\"\n    allow_lossy = true\n  }\n}"
	if diff := cmp.Diff(want, probs[0].Fix); diff != "" {
		t.Errorf("fix (-want +got):\n%s", diff)
	}
	if !strings.Contains(probs[0].Message, "NUMBER(10,2) rounds to scale 2") {
		t.Errorf("message: %s", probs[0].Message)
	}
}

func TestAllowLossyShownInDecision(t *testing.T) {
	c := typeCase{typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 6, MaxScale: 4}}}
	_, d, _ := mapColumn(t, c, colOpts(ColumnOverride{Type: "NUMBER(10,2)", AllowLossy: true}))
	want := &AppliedOverride{Kind: "column", Type: "NUMBER(10,2)", AllowLossy: true, Loss: []string{"max scale 4: NUMBER(10,2) rounds to scale 2"}}
	if diff := cmp.Diff(want, d.Override); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.Contains(d.Rationale, "accepted loss (allow_lossy)") {
		t.Errorf("rationale %q", d.Rationale)
	}
}

func TestUnknownColumnOverride(t *testing.T) {
	db := oneTable(catalog.ProfileFull, col("c", pgType("int4", "integer"), nil))
	_, err := Map(db, Options{Tables: []TableOverride{{Schema: "public", Table: "t", Columns: []ColumnOverride{{Column: "nope", Type: "VARCHAR"}}}}})
	if err == nil || !strings.Contains(err.Error(), "public.t.nope: column block names a column the table does not have") {
		t.Fatalf("err = %v", err)
	}
}
