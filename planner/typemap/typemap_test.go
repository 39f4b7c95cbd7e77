package typemap

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/providers/catalog"
)

type outcome struct {
	Type    string
	Risk    Risk
	Problem string // value class (or message) of the refusal, "" when accepted
	Extract string
}

type typeCase struct {
	name    string
	typ     *catalog.Type
	profile *catalog.ColumnProfile
	method  catalog.ProfileMethod // default full
	want    outcome
}

func mapColumn(t *testing.T, c typeCase, opts Options) (outcome, *Decision, []Problem) {
	t.Helper()
	method := c.method
	if method == "" {
		method = catalog.ProfileFull
	}
	if method == "none" {
		method = ""
	}
	db := oneTable(method, col("c", c.typ, c.profile))
	m, err := Map(db, opts)
	var probs []Problem
	var me *Error
	if errors.As(err, &me) {
		probs = me.Problems
	} else if err != nil {
		t.Fatalf("Map: %v", err)
	}
	d := m.Schemas[0].Tables[0].Columns[0]
	o := outcome{Type: d.Type.String(), Risk: d.Risk, Extract: d.Extract}
	if len(probs) > 0 {
		o.Problem = probs[0].Class
		if o.Problem == "" {
			o.Problem = probs[0].Message
		}
		o.Risk = ""
	}
	return o, d, probs
}

func TestTypes(t *testing.T) {
	nanProfile := &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 3, MaxScale: 2, NaN: 3}}
	cases := []typeCase{
		{name: "smallint", typ: pgType("int2", "smallint"), want: outcome{Type: "NUMBER(5,0)", Risk: RiskNone, Extract: `"c"`}},
		{name: "integer", typ: pgType("int4", "integer"), want: outcome{Type: "NUMBER(10,0)", Risk: RiskNone, Extract: `"c"`}},
		{name: "bigint", typ: pgType("int8", "bigint"), want: outcome{Type: "NUMBER(19,0)", Risk: RiskNone, Extract: `"c"`}},
		{name: "oid", typ: pgType("oid", "oid"), want: outcome{Type: "NUMBER(10,0)", Risk: RiskNone, Extract: `"c"`}},
		{name: "numeric(12,2)", typ: numericT(ip(12), ip(2)), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 5, MaxScale: 2}},
			want: outcome{Type: "NUMBER(12,2)", Risk: RiskNone, Extract: `"c"`}},
		{name: "numeric(12,2) with NaN", typ: numericT(ip(12), ip(2)), profile: nanProfile,
			want: outcome{Type: "NUMBER(12,2)", Problem: "3 NaN values", Extract: `"c"`}},
		{name: "numeric(3,-2) negative scale", typ: numericT(ip(3), ip(-2)), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{}},
			want: outcome{Type: "NUMBER(5,0)", Risk: RiskNone, Extract: `"c"`}},
		{name: "numeric(2,5) scale above precision", typ: numericT(ip(2), ip(5)), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{}},
			want: outcome{Type: "NUMBER(5,5)", Risk: RiskNone, Extract: `"c"`}},
		{name: "numeric(50,10) fits per profile", typ: numericT(ip(50), ip(10)), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 20, MaxScale: 10}},
			want: outcome{Type: "NUMBER(38,10)", Risk: RiskNone, Extract: `"c"`}},
		{name: "numeric fits", typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 12, MaxScale: 4}},
			want: outcome{Type: "NUMBER(38,4)", Risk: RiskNone, Extract: `"c"`}},
		{name: "numeric does not fit", typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 45}},
			want: outcome{Type: "NUMBER(38,0)", Problem: "max 45 integer digits", Extract: `"c"`}},
		{name: "numeric digits+scale over 38", typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 30, MaxScale: 10}},
			want: outcome{Type: "NUMBER(38,10)", Problem: "max 30 integer digits", Extract: `"c"`}},
		{name: "numeric scale 38", typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxScale: 38}},
			want: outcome{Type: "NUMBER(38,37)", Problem: "max scale 38", Extract: `"c"`}},
		{name: "numeric(38,38) beyond Snowflake's scale", typ: numericT(ip(38), ip(38)), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxScale: 38}},
			want: outcome{Type: "NUMBER(38,37)", Problem: "max scale 38", Extract: `"c"`}},
		{name: "numeric with NaN", typ: numericT(nil, nil), profile: nanProfile,
			want: outcome{Type: "NUMBER(38,2)", Problem: "3 NaN values", Extract: `"c"`}},
		{name: "numeric with infinities", typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 1, PosInfinity: 1, NegInfinity: 1}},
			want: outcome{Type: "NUMBER(38,0)", Problem: "2 infinite values", Extract: `"c"`}},
		{name: "numeric not profiled", typ: numericT(nil, nil), method: catalog.ProfileSkipped,
			want: outcome{Type: "NUMBER(38,0)", Problem: "numeric without precision, not profiled", Extract: `"c"`}},
		{name: "numeric sampled", typ: numericT(nil, nil), method: catalog.ProfileSample, profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 3, MaxScale: 1}},
			want: outcome{Type: "NUMBER(38,1)", Risk: RiskHigh, Extract: `"c"`}},
		{name: "real", typ: pgType("float4", "real"), profile: &catalog.ColumnProfile{Float: &catalog.FloatFacts{NaN: 1}},
			want: outcome{Type: "FLOAT", Risk: RiskLow, Extract: `CASE WHEN "c" = 'Infinity' THEN 'inf' WHEN "c" = '-Infinity' THEN '-inf' ELSE "c"::text END`}},
		{name: "double with NaN and Infinity", typ: pgType("float8", "double precision"), profile: &catalog.ColumnProfile{Float: &catalog.FloatFacts{NaN: 2, PosInfinity: 1, NegInfinity: 1}},
			want: outcome{Type: "FLOAT", Risk: RiskNone, Extract: `CASE WHEN "c" = 'Infinity' THEN 'inf' WHEN "c" = '-Infinity' THEN '-inf' ELSE "c"::text END`}},
		{name: "money", typ: pgType("money", "money"), want: outcome{Type: "NUMBER(19,2)", Risk: RiskLow, Extract: `"c"::numeric`}},
		{name: "text", typ: pgType("text", "text"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 100}},
			want: outcome{Type: "VARCHAR(16777216)", Risk: RiskNone, Extract: `"c"`}},
		{name: "text over 16 MB", typ: pgType("text", "text"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 40 << 20}},
			want: outcome{Type: "VARCHAR(134217728)", Risk: RiskMedium, Extract: `"c"`}},
		{name: "text over 128 MB", typ: pgType("text", "text"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 200 << 20}},
			want: outcome{Type: "VARCHAR(134217728)", Problem: "values up to 209715200 characters, values of 200.0 MB", Extract: `"c"`}},
		{name: "text not profiled", typ: pgType("text", "text"), method: catalog.ProfileSkipped,
			want: outcome{Type: "VARCHAR(16777216)", Risk: RiskMedium, Extract: `"c"`}},
		{name: "varchar(40)", typ: withLen(pgType("varchar", "character varying(40)"), 40), want: outcome{Type: "VARCHAR(40)", Risk: RiskNone, Extract: `"c"`}},
		{name: "char(5)", typ: withLen(pgType("bpchar", "character(5)"), 5), want: outcome{Type: "VARCHAR(5)", Risk: RiskLow, Extract: `"c"`}},
		{name: "bpchar without length", typ: pgType("bpchar", "bpchar"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 10}},
			want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}},
		{name: "citext", typ: &catalog.Type{Declared: "citext", Schema: "public", Name: "citext", Kind: catalog.KindBase, Extension: "citext"},
			profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 10}}, want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}},
		{name: "uuid", typ: pgType("uuid", "uuid"), want: outcome{Type: "VARCHAR(36)", Risk: RiskNone, Extract: `"c"`}},
		{name: "bytea", typ: pgType("bytea", "bytea"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 10}},
			want: outcome{Type: "BINARY(8388608)", Risk: RiskNone, Extract: `encode("c", 'hex')`}},
		{name: "bytea over 8 MB", typ: pgType("bytea", "bytea"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 9 << 20}},
			want: outcome{Type: "BINARY(67108864)", Risk: RiskMedium, Extract: `encode("c", 'hex')`}},
		{name: "bytea over 64 MB", typ: pgType("bytea", "bytea"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 65 << 20}},
			want: outcome{Type: "BINARY(67108864)", Problem: "values of 65.0 MB", Extract: `encode("c", 'hex')`}},
		{name: "boolean", typ: pgType("bool", "boolean"), want: outcome{Type: "BOOLEAN", Risk: RiskNone, Extract: `"c"`}},
		{name: "date", typ: pgType("date", "date"), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{}},
			want: outcome{Type: "DATE", Risk: RiskNone, Extract: `"c"`}},
		{name: "date BC", typ: pgType("date", "date"), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{YearBefore1: 2}},
			want: outcome{Type: "DATE", Problem: "2 BC dates", Extract: `"c"`}},
		{name: "date after 9999", typ: pgType("date", "date"), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{YearAfter9999: 1}},
			want: outcome{Type: "DATE", Problem: "1 date after year 9999", Extract: `"c"`}},
		{name: "timestamp", typ: pgType("timestamp", "timestamp without time zone"), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{}},
			want: outcome{Type: "TIMESTAMP_NTZ(6)", Risk: RiskNone, Extract: `CASE WHEN "c" >= '0001-01-01'::timestamp AND "c" < '10000-01-01'::timestamp THEN to_char("c", 'YYYY-MM-DD HH24:MI:SS.US') ELSE "c"::text END`}},
		{name: "timestamp infinite", typ: pgType("timestamp", "timestamp without time zone"), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{PosInfinity: 10, NegInfinity: 2}},
			want: outcome{Type: "TIMESTAMP_NTZ(6)", Problem: "12 infinite timestamps", Extract: `CASE WHEN "c" >= '0001-01-01'::timestamp AND "c" < '10000-01-01'::timestamp THEN to_char("c", 'YYYY-MM-DD HH24:MI:SS.US') ELSE "c"::text END`}},
		{name: "timestamptz(3)", typ: func() *catalog.Type {
			t := pgType("timestamptz", "timestamp(3) with time zone")
			t.TimePrecision = ip(3)
			return t
		}(), profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{}},
			want: outcome{Type: "TIMESTAMP_TZ(3)", Risk: RiskNone, Extract: `CASE WHEN "c" >= '0001-01-01'::timestamptz AND "c" < '10000-01-01'::timestamptz THEN to_char("c", 'YYYY-MM-DD HH24:MI:SS.US') ELSE "c"::text END`}},
		{name: "time", typ: pgType("time", "time without time zone"), profile: &catalog.ColumnProfile{Time: &catalog.TimeFacts{}},
			want: outcome{Type: "TIME(6)", Risk: RiskNone, Extract: `to_char("c", 'HH24:MI:SS.US')`}},
		{name: "time 24:00:00", typ: pgType("time", "time without time zone"), profile: &catalog.ColumnProfile{Time: &catalog.TimeFacts{Hour24: 4}},
			want: outcome{Type: "TIME(6)", Problem: "4 values 24:00:00", Extract: `to_char("c", 'HH24:MI:SS.US')`}},
		{name: "timetz", typ: pgType("timetz", "time with time zone"), want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}},
		{name: "interval", typ: pgType("interval", "interval"), want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}},
		{name: "json", typ: pgType("json", "json"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 10}, JSON: &catalog.JSONFacts{}},
			want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}},
		{name: "jsonb", typ: pgType("jsonb", "jsonb"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 10}, JSON: &catalog.JSONFacts{}},
			want: outcome{Type: "VARIANT", Risk: RiskLow, Extract: `"c"`}},
		{name: "jsonb long numbers", typ: pgType("jsonb", "jsonb"), profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 10}, JSON: &catalog.JSONFacts{LongNumbers: 2}},
			want: outcome{Type: "VARIANT", Problem: "2 documents with numbers of 16 or more significant digits", Extract: `"c"`}},
		{name: "integer[]", typ: arrayOf(pgType("int4", "integer")), profile: &catalog.ColumnProfile{Array: &catalog.ArrayFacts{MaxDims: 2}},
			want: outcome{Type: "ARRAY", Risk: RiskLow, Extract: `array_to_json("c")`}},
		{name: "numeric[] elements unchecked", typ: arrayOf(numericT(nil, nil)), profile: &catalog.ColumnProfile{Array: &catalog.ArrayFacts{MaxDims: 1}},
			want: outcome{Type: "ARRAY", Risk: RiskMedium, Extract: `array_to_json("c")`}},
		{name: "array lower bound 0", typ: arrayOf(pgType("text", "text")), profile: &catalog.ColumnProfile{Array: &catalog.ArrayFacts{LowerBoundNot1: 1, MaxDims: 1}},
			want: outcome{Type: "ARRAY", Problem: "1 array with a lower bound other than 1", Extract: `array_to_json("c")`}},
		{name: "enum", typ: &catalog.Type{Declared: "mood", Schema: "public", Name: "mood", Kind: catalog.KindEnum, EnumLabels: []string{"sad", "happy"}},
			want: outcome{Type: "VARCHAR(5)", Risk: RiskLow, Extract: `"c"`}},
		{name: "composite", typ: &catalog.Type{Declared: "addr", Schema: "public", Name: "addr", Kind: catalog.KindComposite},
			want: outcome{Type: "OBJECT", Risk: RiskLow, Extract: `to_jsonb("c")`}},
		{name: "hstore", typ: &catalog.Type{Declared: "hstore", Schema: "ext", Name: "hstore", Kind: catalog.KindBase, Extension: "hstore"},
			want: outcome{Type: "OBJECT", Risk: RiskNone, Extract: `"ext".hstore_to_json("c")`}},
		{name: "int4range", typ: &catalog.Type{Declared: "int4range", Schema: "pg_catalog", Name: "int4range", Kind: catalog.KindRange, RangeSubtype: pgType("int4", "integer")},
			want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}},
		{name: "inet", typ: pgType("inet", "inet"), want: outcome{Type: "VARCHAR(16777216)", Risk: RiskLow, Extract: `"c"`}},
		{name: "geography", typ: &catalog.Type{Declared: "geography", Schema: "public", Name: "geography", Kind: catalog.KindBase, Extension: "postgis"},
			want: outcome{Type: "GEOGRAPHY", Risk: RiskMedium, Extract: `encode("public".ST_AsEWKB("c"), 'hex')`}},
		{name: "domain over numeric(10,2)", typ: &catalog.Type{Declared: "price", Schema: "public", Name: "price", Kind: catalog.KindDomain,
			Domain: &catalog.DomainInfo{Base: numericT(ip(10), ip(2)), NotNull: true, Checks: []catalog.Check{{Name: "pos", Expression: "CHECK (VALUE > 0)"}}}},
			profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 2, MaxScale: 2}},
			want:    outcome{Type: "NUMBER(10,2)", Risk: RiskLow, Extract: `"c"`}},
		{name: "unknown type", typ: &catalog.Type{Declared: "public.thing", Schema: "public", Name: "thing", Kind: catalog.KindBase},
			want: outcome{Type: "VARCHAR(16777216)", Risk: RiskMedium, Extract: `"c"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, _ := mapColumn(t, c, Options{SourceName: "src"})
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefusalMessage(t *testing.T) {
	c := typeCase{typ: numericT(nil, nil), profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 2, NaN: 3}}}
	_, _, probs := mapColumn(t, c, Options{SourceName: "main"})
	if len(probs) != 1 {
		t.Fatalf("want 1 problem, got %v", probs)
	}
	want := `public.t.c: 3 NaN values: Snowflake NUMBER(38,0) cannot hold them (Snowflake NUMBER cannot hold NaN); keep the exact text as VARCHAR
  fix with:
    table "main.public.t" {
      column "c" {
        type = "VARCHAR"
      }
    }`
	if diff := cmp.Diff(want, probs[0].String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDomainNotNull(t *testing.T) {
	typ := &catalog.Type{Declared: "email", Schema: "public", Name: "email", Kind: catalog.KindDomain,
		Domain: &catalog.DomainInfo{Base: pgType("text", "text"), NotNull: true}}
	_, d, _ := mapColumn(t, typeCase{typ: typ, profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 5}}}, Options{})
	if !d.NotNull || !strings.HasPrefix(d.Rationale, "domain public.email over text") {
		t.Errorf("NotNull=%v rationale=%q", d.NotNull, d.Rationale)
	}
}
