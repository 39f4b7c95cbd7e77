package typemap

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

// refCase is one row of the generated reference: a column type and the
// profile facts it was measured with.
type refCase struct {
	typ   *catalog.Type
	facts string
	p     *catalog.ColumnProfile
}

func refBuiltin(name, declared string) *catalog.Type {
	return &catalog.Type{Declared: declared, Schema: "pg_catalog", Name: name, Kind: catalog.KindBase}
}

func refInt(n int) *int { return &n }

func refCases() []refCase {
	num := func(p, s *int, d string) *catalog.Type {
		t := refBuiltin("numeric", d)
		t.Precision, t.Scale = p, s
		return t
	}
	vc := func(name, d string, n int) *catalog.Type { t := refBuiltin(name, d); t.Length = &n; return t }
	ext := func(name string) *catalog.Type {
		return &catalog.Type{Declared: name, Schema: "public", Name: name, Kind: catalog.KindBase, Extension: name}
	}
	size := func(n int64) *catalog.ColumnProfile {
		return &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: n}}
	}
	none := &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{}, Temporal: &catalog.TemporalFacts{}, Time: &catalog.TimeFacts{},
		Array: &catalog.ArrayFacts{}, JSON: &catalog.JSONFacts{}, Size: &catalog.SizeFacts{MaxOctetLength: 100}, Float: &catalog.FloatFacts{}}
	arr := &catalog.Type{Declared: "integer[]", Schema: "pg_catalog", Name: "_int4", Kind: catalog.KindArray, Element: refBuiltin("int4", "integer"), Dims: 1}
	return []refCase{
		{refBuiltin("int2", "smallint"), "", none},
		{refBuiltin("int4", "integer"), "", none},
		{refBuiltin("int8", "bigint"), "", none},
		{num(refInt(12), refInt(2), "numeric(12,2)"), "", none},
		{num(nil, nil, "numeric"), "max 12 integer digits, scale 4", &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 12, MaxScale: 4}}},
		{num(nil, nil, "numeric"), "max 45 integer digits", &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 45}}},
		{num(nil, nil, "numeric"), "3 NaN", &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 2, NaN: 3}}},
		{refBuiltin("float4", "real"), "", none},
		{refBuiltin("float8", "double precision"), "NaN, ±Infinity", &catalog.ColumnProfile{Float: &catalog.FloatFacts{NaN: 1, PosInfinity: 1, NegInfinity: 1}}},
		{refBuiltin("money", "money"), "", none},
		{refBuiltin("text", "text"), "max 100 bytes", size(100)},
		{refBuiltin("text", "text"), "max 40 MB", size(40 << 20)},
		{refBuiltin("text", "text"), "max 200 MB", size(200 << 20)},
		{vc("varchar", "character varying(40)", 40), "", none},
		{vc("bpchar", "character(5)", 5), "", none},
		{ext("citext"), "max 100 bytes", size(100)},
		{refBuiltin("uuid", "uuid"), "", none},
		{refBuiltin("bytea", "bytea"), "max 100 bytes", size(100)},
		{refBuiltin("bool", "boolean"), "", none},
		{refBuiltin("date", "date"), "", none},
		{refBuiltin("date", "date"), "2 BC", &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{YearBefore1: 2}}},
		{refBuiltin("timestamp", "timestamp without time zone"), "", none},
		{refBuiltin("timestamptz", "timestamp with time zone"), "", none},
		{refBuiltin("timestamptz", "timestamp with time zone"), "12 infinite", &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{PosInfinity: 12}}},
		{refBuiltin("time", "time without time zone"), "", none},
		{refBuiltin("time", "time without time zone"), "1 × 24:00:00", &catalog.ColumnProfile{Time: &catalog.TimeFacts{Hour24: 1}}},
		{refBuiltin("timetz", "time with time zone"), "", none},
		{refBuiltin("interval", "interval"), "", none},
		{refBuiltin("json", "json"), "max 100 bytes", size(100)},
		{refBuiltin("jsonb", "jsonb"), "", none},
		{refBuiltin("jsonb", "jsonb"), "2 long numbers", &catalog.ColumnProfile{JSON: &catalog.JSONFacts{LongNumbers: 2}}},
		{arr, "", none},
		{arr, "lower bound 0", &catalog.ColumnProfile{Array: &catalog.ArrayFacts{LowerBoundNot1: 1}}},
		{&catalog.Type{Declared: "mood", Schema: "public", Name: "mood", Kind: catalog.KindEnum, EnumLabels: []string{"sad", "ok", "happy"}}, "", none},
		{&catalog.Type{Declared: "address", Schema: "public", Name: "address", Kind: catalog.KindComposite}, "", none},
		{ext("hstore"), "", none},
		{&catalog.Type{Declared: "int4range", Schema: "pg_catalog", Name: "int4range", Kind: catalog.KindRange, RangeSubtype: refBuiltin("int4", "integer")}, "", none},
		{refBuiltin("inet", "inet"), "", none},
		{refBuiltin("tsvector", "tsvector"), "max 100 bytes", size(100)},
		{refBuiltin("xml", "xml"), "max 100 bytes", size(100)},
		{refBuiltin("oid", "oid"), "", none},
		{ext("geometry"), "", none},
		{ext("geography"), "", none},
	}
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// Reference renders docs/type-mapping.md from the rules themselves: every
// row is the result of mapping a sample column.
func Reference() string {
	var b strings.Builder
	b.WriteString(refIntro)
	b.WriteString("\n## The mapping\n\nEach row maps one sample column (fully profiled; \"facts\" lists what the profile found). Generated by `go test ./planner/typemap -update`; a test fails when this file is stale.\n\n")
	b.WriteString("| PostgreSQL | profile facts | Snowflake | risk | extract (COPY select list) | validation |\n|---|---|---|---|---|---|\n")
	var refusals, rationales []string
	for _, c := range refCases() {
		col := &catalog.Column{Name: "c", Position: 1, Type: c.typ, Profile: c.p}
		t := &catalog.Table{Schema: "public", Name: "t", Kind: catalog.TableRegular, Columns: []*catalog.Column{col}, Profile: &catalog.TableProfile{Method: catalog.ProfileFull}}
		m, err := Map(&catalog.Database{Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{t}}}}, Options{SourceName: "main"})
		d := m.Schemas[0].Tables[0].Columns[0]
		target, risk := "`"+d.Type.String()+"`", string(d.Risk)
		var me *Error
		if errors.As(err, &me) {
			target, risk = "refused", "—"
			refusals = append(refusals, me.Problems[0].String())
		} else {
			rationales = append(rationales, fmt.Sprintf("- **%s**%s: %s", c.typ.Declared, factsSuffix(c.facts), d.Rationale))
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | `%s` | %s |\n", c.typ.Declared, mdCell(c.facts), target, risk, mdCell(d.Extract), d.Check.Mode)
	}
	b.WriteString("\n## Rationales\n\n" + strings.Join(rationales, "\n") + "\n")
	b.WriteString("\n## Refusals\n\nA value Snowflake cannot hold fails the plan with the column, the value class and the override that fixes it:\n\n```text\n" + strings.Join(refusals, "\n") + "\n```\n")
	b.WriteString(refOverrides)
	b.WriteString("\n## Extraction session\n\nThe extraction session sets these before `COPY (SELECT …) TO STDOUT (FORMAT csv)`; every expression above assumes them.\n\n| setting | value |\n|---|---|\n")
	for _, s := range ExtractSession {
		fmt.Fprintf(&b, "| `%s` | `%s` |\n", s.Name, s.Value)
	}
	b.WriteString("\npgsnow's Snowflake session sets:\n\n| parameter | value |\n|---|---|\n")
	for _, s := range LoadSession {
		fmt.Fprintf(&b, "| `%s` | `%s` |\n", s.Name, s.Value)
	}
	b.WriteString("\n## File format\n\nThe named file format `PGSNOW.PGSNOW_CSV` (compression ZSTD by default):\n\n| option | value |\n|---|---|\n")
	for _, s := range FileFormatOptions("ZSTD") {
		fmt.Fprintf(&b, "| `%s` | `%s` |\n", s.Name, mdCell(s.Value))
	}
	b.WriteString(refOneColumn)
	b.WriteString(parquetReference())
	b.WriteString("\n## Defaults\n\n| PostgreSQL default | Snowflake type | Snowflake default |\n|---|---|---|\n")
	seq := func(string) (string, bool) { return `"PUBLIC"."ORDERS_ID_SEQ"`, true }
	for _, d := range []struct{ expr, typ string }{
		{"now()", "TIMESTAMP_TZ(6)"}, {"CURRENT_DATE", "DATE"}, {"gen_random_uuid()", "VARCHAR(36)"},
		{"nextval('orders_id_seq'::regclass)", "NUMBER(10,0)"}, {"0", "NUMBER(10,2)"}, {"'draft'::text", "VARCHAR(16777216)"},
		{"true", "BOOLEAN"}, {"'2020-01-01'::date", "DATE"}, {"(random() * 10)", "FLOAT"}, {"'{}'::jsonb", "VARIANT"},
	} {
		st, _ := sftype.Parse(d.typ)
		v, ok := translateDefault(d.expr, st, seq)
		if !ok {
			v = "dropped and reported"
		} else {
			v = "`" + v + "`"
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", d.expr, d.typ, v)
	}
	return b.String()
}

func factsSuffix(f string) string {
	if f == "" {
		return ""
	}
	return " (" + f + ")"
}

const refIntro = `# Type mapping

How pgsnow maps every PostgreSQL column to Snowflake (package ` + "`planner/typemap`" + `). One
decision per column drives the DDL, the extraction expression and the validation fingerprint.
Rule zero (FIDELITY.md): the source is profiled first; a value Snowflake cannot hold fails the plan.

## Decisions where FIDELITY.md left a choice

- **timestamptz → TIMESTAMP_TZ**, not LTZ: written in UTC by the extraction session
  (` + "`TimeZone=UTC`" + `), loaded with the Snowflake session's ` + "`TIMEZONE='UTC'`" + `, so every value
  is stored with offset +00:00 and reads the same whatever the reader's session time zone.
- **char(n) is loaded padded** to n characters, exactly as PostgreSQL stores and returns it
  (COPY prints it padded; a cast to text would trim). Snowflake does not pad and compares
  trailing spaces, so the rationale warns. ` + "`bpchar`" + ` without a length is kept as stored too.
- **Float specials** are written ` + "`inf`" + `, ` + "`-inf`" + ` and ` + "`NaN`" + `, the spellings Snowflake documents
  for FLOAT. ` + "`real`" + ` values are written as their shortest exact decimal text (what PostgreSQL
  displays), so Snowflake stores the double nearest that text; floats are compared by
  aggregates, not in the fingerprint.
- **json → VARCHAR** (exact text: PARSE_JSON rejects duplicate keys and makes long numbers
  doubles); **jsonb → VARIANT**, refused when the profile finds numbers of 16+ significant
  digits. Overriding json to VARIANT counts as lossy (whitespace, key order, duplicates).
- **numeric without precision** (or precision above 38) becomes NUMBER(38,S) with S the
  profile's largest scale and full integer headroom; refused when integer digits + S > 38,
  on NaN/±Infinity, and when the column was not profiled at all (nothing to size it from).
  A sampled profile sizes it but marks the decision high risk; validation prints PostgreSQL
  values unrounded when their scale exceeds S, so rounding in the load shows as a mismatch.
- **money → NUMBER(19,2)**, extracted as ` + "`c::numeric`" + `; it assumes lc_monetary has two
  fraction digits (risk low; validation detects otherwise).
- **Timestamps** are extracted with ` + "`to_char(c, 'YYYY-MM-DD HH24:MI:SS.US')`" + ` only inside years
  1..9999; outside (BC, > 9999, ±infinity) the value keeps PostgreSQL's own text so that
  Snowflake rejects the load instead of storing a wrong year (to_char drops the BC marker).
  Dates keep PostgreSQL's ISO output for the same reason. Such values are refused at plan time
  when the profile found them; unprofiled columns rely on this loud failure.
- **time 24:00:00** is refused (Snowflake TIME ends at 23:59:59.999999999); fix: VARCHAR.
- **Arrays** become ARRAY via array_to_json; a lower bound other than 1 is refused (the JSON
  array would shift indexes) unless the column is overridden to VARCHAR (exact PostgreSQL text)
  or accepts the loss with ` + "`allow_lossy = true`" + `.
- **Identity and serial** columns get a Snowflake sequence starting at last_value + increment
  and ` + "`DEFAULT <seq>.NEXTVAL`" + ` (not IDENTITY, so one mechanism serves both).
- **Names**: schema_map targets, target_name overrides and source names all go through the
  identifier rule (` + "`identifier_case`" + `): folded-looking names become UPPER, others keep their case.
- **Views** are translated only when every token is on a checked list (plain SELECT/JOIN/WHERE,
  a few functions and casts, LIKE spelled by pg_get_viewdef as ` + "`~~`" + `); integer ` + "`/`" + ` and other
  functions are reported, not emitted. Unqualified relations get the view's schema.
- Validation: VARCHAR, NUMBER, BOOLEAN, BINARY, DATE, TIME and TIMESTAMP columns enter the
  row fingerprint with canonical text on both sides; FLOAT is compared by aggregates;
  VARIANT, OBJECT, ARRAY and spatial columns by non-NULL counts.
`

const refOverrides = `
## Overrides

Per column, and per PostgreSQL type (matched by internal name such as ` + "`timestamptz`" + `, by SQL
spelling such as ` + "`timestamp with time zone`" + ` or ` + "`integer[]`" + `, by the declared text such as
` + "`numeric(12,2)`" + `, or by ` + "`schema.name`" + ` for user types; a domain's own name wins over its base type):

` + "```hcl" + `
table "main.public.orders" {
  column "amount" {
    type        = "NUMBER(10,2)"
    allow_lossy = true # needed only when the profile shows values NUMBER(10,2) cannot hold
  }
}

type_override "money" {
  type = "NUMBER(21,4)"
}
` + "```" + `

An override is checked against the profile exactly like a default: NUMBER(10,2) for a column
whose values have scale 4, VARCHAR(10) for values up to 40 characters (bytes bound characters
from above), TIMESTAMP_NTZ(3) for timestamp(6)… are refused unless ` + "`allow_lossy = true`" + `, and
then the decision lists the loss in mapping_decisions.yml and improvement_recommendations.md.
A column block with only ` + "`allow_lossy = true`" + ` accepts the default type's losses. Text sources
overridden to a typed target are accepted with high risk: the load fails on a value that does
not parse.
`

const refOneColumn = `
**One-column tables.** A NULL in a one-column table would be written as a blank line, which
Snowflake rejects (SKIP_BLANK_LINES = FALSE) or skips. Extraction of such tables appends a
constant empty field (` + "`SELECT c, NULL`" + `) so no record is blank, and their COPY INTO spells the
format inline with ` + "`ERROR_ON_COLUMN_COUNT_MISMATCH = FALSE`" + ` (Snowflake does not combine
FORMAT_NAME with other format options), under which Snowflake documents that extra fields
are not loaded. Row counts are still compared per file.
`
