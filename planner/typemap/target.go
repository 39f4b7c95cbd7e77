package typemap

import (
	"fmt"

	"github.com/pgsnow/pgsnow/lang/sftype"
)

// maxScale is Snowflake's largest NUMBER scale: precision 1..38, scale 0..37.
const maxScale = sftype.MaxScale

func number(p, s int) sftype.Type { return sftype.Type{Name: "NUMBER", Precision: p, Scale: s} }
func varchar(n int) sftype.Type   { return sftype.Type{Name: "VARCHAR", Length: n} }
func binary(n int) sftype.Type    { return sftype.Type{Name: "BINARY", Length: n} }
func named(n string) sftype.Type  { return sftype.Type{Name: n} }
func frac(n string, p int) sftype.Type {
	return sftype.Type{Name: n, Precision: p}
}

// textVarchar sizes a free-text column: the 16 MB default, or the 128 MB
// maximum (2025_03 bundle) when the profile shows longer values.
func textVarchar(f facts) (sftype.Type, string) {
	if sz := f.size(); sz != nil && sz.MaxOctetLength > sftype.DefaultVarchar {
		return varchar(sftype.MaxVarcharLength), fmt.Sprintf("longest value %s exceeds the 16 MB default: uses the 128 MB maximum (needs the 2025_03 behaviour bundle)", bytesText(sz.MaxOctetLength))
	}
	return varchar(sftype.DefaultVarchar), ""
}

// defaultTarget is the FIDELITY.md rule for a type and its profile. The
// caller checks the result with losses(), which turns values the target
// cannot hold into a refusal.
func defaultTarget(s source, f facts) (sftype.Type, string, Risk) {
	t := s.t
	switch s.class {
	case cInt2:
		return number(5, 0), "smallint: 5 digits", RiskNone
	case cInt4:
		return number(10, 0), "integer: 10 digits", RiskNone
	case cInt8:
		return number(19, 0), "bigint: 19 digits", RiskNone
	case cOID:
		return number(10, 0), t.Name + ": unsigned 32-bit counter", RiskNone
	case cXID8:
		return number(20, 0), "xid8: unsigned 64-bit counter", RiskNone
	case cNumeric:
		return numericTarget(s, f)
	case cFloat4:
		return named("FLOAT"), "real: loaded as its shortest exact decimal text into a double; compared by aggregates", RiskLow
	case cFloat8:
		return named("FLOAT"), "double precision: same IEEE double; NaN and ±Infinity spelled NaN/inf/-inf", RiskNone
	case cMoney:
		return number(19, 2), "money: extracted as c::numeric (plain text has currency symbols); scale 2 assumes lc_monetary with two fraction digits, checked by validation", RiskLow
	case cText:
		if t.Length != nil {
			return varchar(*t.Length), fmt.Sprintf("%s: same length in characters", t.Name), RiskNone
		}
		switch t.Name {
		case "name":
			return varchar(63), "name: at most 63 bytes", RiskNone
		case "char":
			return varchar(1), `"char": one byte`, RiskNone
		}
		v, why := textVarchar(f)
		r := RiskNone
		if why == "" {
			why = "free text: VARCHAR default 16 MB"
		} else {
			r = RiskMedium
		}
		if t.Name == "citext" {
			why = "citext: case-insensitive comparison is lost in Snowflake; " + why
			r = maxRisk(r, RiskLow)
		}
		return v, why, r
	case cBpchar:
		if t.Length == nil {
			v, _ := textVarchar(f)
			return v, "bpchar without length: values kept as stored, trailing spaces included (PostgreSQL ignores them in comparisons, Snowflake does not)", RiskLow
		}
		return varchar(*t.Length), fmt.Sprintf("char(%d): loaded padded to %d characters exactly as PostgreSQL stores it; Snowflake does not pad and compares trailing spaces", *t.Length, *t.Length), RiskLow
	case cUUID:
		return varchar(36), "uuid: canonical 36-character text", RiskNone
	case cBytea:
		if sz := f.size(); sz != nil && sz.MaxOctetLength > sftype.DefaultBinary {
			return binary(sftype.MaxBinaryLength), fmt.Sprintf("bytea: longest value %s exceeds the 8 MB default: uses the 64 MB maximum", bytesText(sz.MaxOctetLength)), RiskMedium
		}
		return binary(sftype.DefaultBinary), "bytea: hex with BINARY_FORMAT=HEX; BINARY default 8 MB", RiskNone
	case cBool:
		return named("BOOLEAN"), "boolean", RiskNone
	case cDate:
		return named("DATE"), "date: ISO text", RiskNone
	case cTimestamp:
		p := s.fracPrecision()
		return frac("TIMESTAMP_NTZ", p), fmt.Sprintf("timestamp(%d): wall-clock time without zone", p), RiskNone
	case cTimestampTZ:
		p := s.fracPrecision()
		return frac("TIMESTAMP_TZ", p), fmt.Sprintf("timestamptz(%d): the instant, written in UTC and stored with offset +00:00 (TIMESTAMP_TZ, not LTZ: values do not depend on the session time zone)", p), RiskNone
	case cTime:
		p := s.fracPrecision()
		return frac("TIME", p), fmt.Sprintf("time(%d)", p), RiskNone
	case cTimeTZ:
		return varchar(sftype.DefaultVarchar), "timetz: no Snowflake equivalent; kept as text with its offset", RiskLow
	case cInterval:
		return varchar(sftype.DefaultVarchar), "interval: no Snowflake equivalent; kept as ISO 8601 text (IntervalStyle=iso_8601)", RiskLow
	case cJSON:
		v, why := textVarchar(f)
		if why == "" {
			why = "VARCHAR keeps the exact text"
		}
		return v, "json: exact text (PARSE_JSON would reject duplicate keys and turn long numbers into doubles); " + why, RiskLow
	case cJSONB:
		return named("VARIANT"), "jsonb: VARIANT", riskIfLarge(f)
	case cArray:
		return named("ARRAY"), "array: JSON array via array_to_json (nested for several dimensions)", RiskLow
	case cEnum:
		return varchar(enumWidth(t)), fmt.Sprintf("enum %s: label text, longest label %d characters; the enum sort order is lost", t.Qualified(), enumWidth(t)), RiskLow
	case cComposite:
		return named("OBJECT"), fmt.Sprintf("composite %s: OBJECT via to_jsonb", t.Qualified()), RiskLow
	case cHstore:
		return named("OBJECT"), "hstore: OBJECT via hstore_to_json", RiskNone
	case cGeometry:
		return named("GEOMETRY"), "PostGIS geometry: EWKB hex; invalid shapes are rejected by Snowflake", RiskMedium
	case cGeography:
		return named("GEOGRAPHY"), "PostGIS geography: EWKB hex; Snowflake GEOGRAPHY is WGS84 (SRID 4326) only", RiskMedium
	case cTextual:
		v, _ := textVarchar(f)
		return v, fmt.Sprintf("%s: no Snowflake equivalent; values kept as PostgreSQL's text, semantics (operators, indexes) are not", t.Declared), RiskLow
	}
	v, _ := textVarchar(f)
	return v, fmt.Sprintf("%s: no specific rule; kept as PostgreSQL's text form", t.Declared), RiskMedium
}

func riskIfLarge(f facts) Risk {
	if sz := f.size(); sz != nil && sz.MaxOctetLength > sftype.DefaultVarchar {
		return RiskMedium
	}
	return RiskLow
}

// numericTarget sizes numeric: the declared (p,s) when it fits NUMBER,
// else the profile's integer digits and scale with full integer headroom.
func numericTarget(s source, f facts) (sftype.Type, string, Risk) {
	t := s.t
	if t.Precision != nil {
		p, sc := *t.Precision, 0
		if t.Scale != nil {
			sc = *t.Scale
		}
		id, fs := max(p-sc, 0), max(sc, 0)
		if id+fs <= sftype.MaxPrecision && fs <= maxScale {
			if sc == fs && p == id+fs {
				return number(p, sc), fmt.Sprintf("numeric(%d,%d): same precision and scale", p, sc), RiskNone
			}
			return number(id+fs, fs), fmt.Sprintf("numeric(%d,%d): %d integer and %d fraction digits", p, sc, id, fs), RiskNone
		}
	}
	what := "numeric without precision"
	if t.Precision != nil {
		what = fmt.Sprintf("%s (precision above 38)", t.Declared)
	}
	n := f.numeric()
	if n == nil {
		// losses() refuses: nothing tells how to size NUMBER.
		return number(38, 0), what + ": " + f.uncheckedWhy() + ", cannot be sized", RiskHigh
	}
	sc := min(n.MaxScale, maxScale)
	why := fmt.Sprintf("%s: profile shows at most %d integer digits and scale %d; NUMBER(38,%d) keeps that scale with full integer headroom", what, n.MaxIntegerDigits, n.MaxScale, sc)
	r := RiskNone
	if !f.full() {
		why += "; " + f.uncheckedWhy() + ": a larger scale elsewhere would be rounded (validation detects it)"
		r = RiskHigh
	}
	return number(38, sc), why, r
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
