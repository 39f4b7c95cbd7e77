package postgres

import (
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

// maxTargets keeps a profiling query under PostgreSQL's 1664 target
// entries; only tables with hundreds of risky columns need more than one
// query (and so more than one scan).
const maxTargets = 1500

// probe is one aggregate expression and where its value goes.
type probe struct {
	expr string
	set  func(p *catalog.ColumnProfile, v int64)
}

// columnProbes returns the aggregates that profile column c, chosen by
// its type with domains resolved. Every expression yields a bigint.
func columnProbes(c *catalog.Column, version int) []probe {
	q := pgx.Identifier{c.Name}.Sanitize()
	if t := c.Type.Resolved(); c.Type.Kind == catalog.KindDomain && t != nil {
		// Compare as the base type: a literal compared with a domain
		// value is cast to the domain, and its CHECK could reject it.
		q = "(" + q + ")::" + pgx.Identifier{t.Schema, t.Name}.Sanitize()
	}
	count := func(cond string) string {
		return fmt.Sprintf("count(*) FILTER (WHERE %s)", strings.ReplaceAll(cond, "$c", q))
	}
	maxOf := func(expr string) string {
		return fmt.Sprintf("coalesce(max(%s), 0)::bigint", strings.ReplaceAll(expr, "$c", q))
	}
	probes := []probe{{count("$c IS NULL"), func(p *catalog.ColumnProfile, v int64) { p.Nulls = v }}}
	add := func(expr string, set func(p *catalog.ColumnProfile, v int64)) {
		probes = append(probes, probe{expr, set})
	}
	t := c.Type.Resolved()
	if t == nil {
		return probes
	}
	if t.Kind == catalog.KindArray {
		add(count(`array_lower($c, 1) <> 1 OR (array_ndims($c) > 1 AND array_dims($c) !~ '^(\[1:[0-9]+\])+$')`),
			func(p *catalog.ColumnProfile, v int64) { arrayFacts(p).LowerBoundNot1 = v })
		add(maxOf("array_ndims($c)"), func(p *catalog.ColumnProfile, v int64) { arrayFacts(p).MaxDims = int(v) })
		if cond := specialElements(t, q, version); cond != "" {
			add("count(*) FILTER (WHERE "+cond+")", func(p *catalog.ColumnProfile, v int64) { arrayFacts(p).SpecialElements = v })
		}
		return probes
	}
	size := func(expr string) {
		add(maxOf(expr), func(p *catalog.ColumnProfile, v int64) {
			p.Size = &catalog.SizeFacts{MaxOctetLength: v}
		})
	}
	switch {
	case t.Is("text"), t.Is("varchar"), t.Is("bpchar"), t.Is("bytea"):
		// octet_length reads the TOAST header; it does not detoast.
		size("octet_length($c)")
	case t.Is("json"), t.Is("xml"), t.Extension == "citext", t.Extension == "hstore":
		size("octet_length($c::text)")
	case t.Is("jsonb"):
		size("octet_length($c::text)")
		// Cheap pre-filter (a run of 16 digits or dots in the text form)
		// before walking the document for numbers with >= 16 significant
		// digits; numeric_out never prints an exponent.
		add(count(`$c::text ~ '[0-9.]{16}' AND EXISTS (SELECT 1 FROM jsonb_path_query($c, 'strict $.**') AS v(x)
			WHERE jsonb_typeof(v.x) = 'number'
			  AND length(trim(both '0' from replace(ltrim(v.x::text, '-'), '.', ''))) >= 16)`),
			func(p *catalog.ColumnProfile, v int64) { p.JSON = &catalog.JSONFacts{LongNumbers: v} })
	case t.Is("numeric"):
		finite := "$c <> 'NaN'"
		if version >= 140000 {
			// numeric Infinity exists from PostgreSQL 14.
			finite += " AND $c <> 'Infinity' AND $c <> '-Infinity'"
			add(count("$c = 'Infinity'"), func(p *catalog.ColumnProfile, v int64) { numericFacts(p).PosInfinity = v })
			add(count("$c = '-Infinity'"), func(p *catalog.ColumnProfile, v int64) { numericFacts(p).NegInfinity = v })
		}
		add(count("$c = 'NaN'"), func(p *catalog.ColumnProfile, v int64) { numericFacts(p).NaN = v })
		// Integer digits grow with abs(c): count the digits of the largest
		// finite magnitude once instead of printing every value.
		maxAbs := strings.ReplaceAll("max(abs($c)) FILTER (WHERE "+finite+")", "$c", q)
		add(fmt.Sprintf("coalesce(CASE WHEN %[1]s >= 1 THEN length(trunc(%[1]s)::text) ELSE 0 END, 0)::bigint", maxAbs),
			func(p *catalog.ColumnProfile, v int64) { numericFacts(p).MaxIntegerDigits = int(v) })
		add(maxOf("CASE WHEN "+finite+" THEN scale($c) END"),
			func(p *catalog.ColumnProfile, v int64) { numericFacts(p).MaxScale = int(v) })
	case t.Is("float4"), t.Is("float8"):
		add(count("$c = 'NaN'"), func(p *catalog.ColumnProfile, v int64) { floatFacts(p).NaN = v })
		add(count("$c = 'Infinity'"), func(p *catalog.ColumnProfile, v int64) { floatFacts(p).PosInfinity = v })
		add(count("$c = '-Infinity'"), func(p *catalog.ColumnProfile, v int64) { floatFacts(p).NegInfinity = v })
	case t.Is("date"), t.Is("timestamp"), t.Is("timestamptz"):
		// Literals take the column's type; timestamptz literals are read
		// in the session time zone, which NewSource sets to UTC.
		add(count("$c = 'infinity'"), func(p *catalog.ColumnProfile, v int64) { temporalFacts(p).PosInfinity = v })
		add(count("$c = '-infinity'"), func(p *catalog.ColumnProfile, v int64) { temporalFacts(p).NegInfinity = v })
		add(count("$c < '0001-01-01' AND $c <> '-infinity'"), func(p *catalog.ColumnProfile, v int64) { temporalFacts(p).YearBefore1 = v })
		add(count("$c >= '10000-01-01' AND $c <> 'infinity'"), func(p *catalog.ColumnProfile, v int64) { temporalFacts(p).YearAfter9999 = v })
	case t.Is("time"):
		add(count("$c = '24:00:00'"), func(p *catalog.ColumnProfile, v int64) { p.Time = &catalog.TimeFacts{Hour24: v} })
	}
	return probes
}

// specialElements returns a condition true for array values holding an
// element that Snowflake cannot hold as a scalar, or "" when the element
// type has no such values. ANY looks into every dimension.
func specialElements(arr *catalog.Type, q string, version int) string {
	el := arr.ArrayElement()
	if el == nil || arr.Element == nil {
		return ""
	}
	if arr.Element.Kind == catalog.KindDomain {
		// Compare as the base type (see the scalar case).
		q = "(" + q + ")::" + pgx.Identifier{el.Schema, el.Name}.Sanitize() + "[]"
	}
	anyOf := func(lits ...string) string {
		var parts []string
		for _, l := range lits {
			parts = append(parts, l+" = ANY("+q+")")
		}
		return strings.Join(parts, " OR ")
	}
	switch {
	case el.Is("numeric"):
		if version >= 140000 {
			return anyOf("'NaN'", "'Infinity'", "'-Infinity'")
		}
		return anyOf("'NaN'")
	case el.Is("float4"), el.Is("float8"):
		return anyOf("'NaN'", "'Infinity'", "'-Infinity'")
	case el.Is("date"), el.Is("timestamp"), el.Is("timestamptz"):
		return anyOf("'infinity'", "'-infinity'") + " OR '0001-01-01' > ANY(" + q + ") OR '10000-01-01' <= ANY(" + q + ")"
	case el.Is("time"):
		return anyOf("'24:00:00'")
	}
	return ""
}

func arrayFacts(p *catalog.ColumnProfile) *catalog.ArrayFacts {
	if p.Array == nil {
		p.Array = &catalog.ArrayFacts{}
	}
	return p.Array
}

func numericFacts(p *catalog.ColumnProfile) *catalog.NumericFacts {
	if p.Numeric == nil {
		p.Numeric = &catalog.NumericFacts{}
	}
	return p.Numeric
}

func floatFacts(p *catalog.ColumnProfile) *catalog.FloatFacts {
	if p.Float == nil {
		p.Float = &catalog.FloatFacts{}
	}
	return p.Float
}

func temporalFacts(p *catalog.ColumnProfile) *catalog.TemporalFacts {
	if p.Temporal == nil {
		p.Temporal = &catalog.TemporalFacts{}
	}
	return p.Temporal
}

// profileQuery is one scan of a table computing a group of probes.
type profileQuery struct {
	sql    string
	probes []probe
	cols   []*catalog.Column // cols[i] owns probes[i]
}

// buildProfileQueries returns the queries for table t: one, unless the
// table has so many risky columns that the targets must be split.
func buildProfileQueries(t *catalog.Table, version int, samplePercent float64) []profileQuery {
	from := "ONLY " + pgx.Identifier{t.Schema, t.Name}.Sanitize()
	if t.Kind == catalog.TablePartitioned {
		// The parent has no rows of its own: read through the partitions.
		from = pgx.Identifier{t.Schema, t.Name}.Sanitize()
	}
	if samplePercent > 0 && samplePercent < 100 {
		from += fmt.Sprintf(" TABLESAMPLE SYSTEM (%g)", samplePercent)
	}
	var out []profileQuery
	cur := profileQuery{}
	flush := func() {
		exprs := []string{"count(*)"}
		for _, p := range cur.probes {
			exprs = append(exprs, p.expr)
		}
		cur.sql = "SELECT " + strings.Join(exprs, ",\n       ") + "\nFROM " + from
		out = append(out, cur)
		cur = profileQuery{}
	}
	for _, c := range t.Columns {
		ps := columnProbes(c, version)
		if len(cur.probes)+len(ps) > maxTargets {
			flush()
		}
		for _, p := range ps {
			cur.probes = append(cur.probes, p)
			cur.cols = append(cur.cols, c)
		}
	}
	if len(cur.probes) > 0 || len(out) == 0 {
		flush()
	}
	return out
}
