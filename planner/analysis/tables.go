package analysis

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/internal/units"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

func (a *assessor) table(t *catalog.Table) {
	obj := t.Schema + "." + t.Name
	switch {
	case t.Kind == catalog.TablePartitioned:
		a.add(SeverityInfo, "partitioned_table", obj, "",
			"partitioned by %s: becomes one Snowflake table loaded through the parent; its partitions are not created separately", t.PartitionKey)
	case t.PartitionOf != nil:
		if a.db.Table(t.PartitionOf.Schema, t.PartitionOf.Name) == nil {
			a.add(SeverityWarning, "partition_without_parent", obj,
				"Include the parent table instead, or keep the partition as a table of its own.",
				"partition of %s, whose parent is not selected: it becomes a table of its own", t.PartitionOf)
		}
		return // a partition's columns and keys are its parent's
	case t.Kind == catalog.TableForeign:
		a.add(SeverityWarning, "foreign_table", obj, "Exclude it if the remote data should not be copied.",
			"foreign table: its rows are read through the foreign-data wrapper and are not profiled")
	}
	if len(t.Inherits) > 0 {
		var ps []string
		for _, p := range t.Inherits {
			ps = append(ps, p.String())
		}
		a.add(SeverityWarning, "inheritance", obj, "",
			"inherits from %s: becomes an independent Snowflake table; queries on the parent will no longer include its rows", strings.Join(ps, ", "))
	}
	if t.HasInheritanceChildren {
		a.add(SeverityWarning, "inheritance", obj, "",
			"has inheritance children: it is extracted with ONLY (its own rows); each child becomes its own table")
	}
	if t.Unlogged {
		a.add(SeverityInfo, "unlogged_table", obj, "", "unlogged table: becomes a regular Snowflake table")
	}
	if t.PrimaryKey == nil && t.Kind != catalog.TableForeign {
		a.add(SeverityWarning, "no_primary_key", obj,
			"Add a primary key, or declare a unique key for the table in the spec.",
			"no primary key: extraction is chunked by physical position and validation cannot point a mismatch at a key range")
	}
	if n := len(t.Columns); n > WideTableColumns {
		a.add(SeverityWarning, "wide_table", obj, "Check that every column is needed; consider excluding some.",
			"%d columns (more than %d): slow to load and validate", n, WideTableColumns)
	}
	for _, c := range t.Constraints {
		if c.Kind == catalog.ConstraintExclusion || c.Kind == catalog.ConstraintCheck {
			a.add(SeverityInfo, "constraint_not_enforced", obj+"."+c.Name, "",
				"%s constraint is not supported by Snowflake and is not created: %s", strings.ReplaceAll(string(c.Kind), "_", " "), c.Definition)
		}
	}
	for _, tg := range t.Triggers {
		a.add(SeverityWarning, "trigger_not_moved", obj+"."+tg.Name,
			"Reproduce its effect in the loading pipeline or a Snowflake task if it is still needed.",
			"trigger will not move (Snowflake has no triggers)")
	}
	for _, r := range t.Rules {
		a.add(SeverityWarning, "rule_not_moved", obj+"."+r.Name, "", "rewrite rule will not move (Snowflake has no rules)")
	}
	risky := false
	for _, c := range t.Columns {
		if a.column(t, c) {
			risky = true
		}
	}
	if p := t.Profile; p != nil && risky {
		switch p.Method {
		case catalog.ProfileSkipped:
			if t.PartitionOf == nil {
				a.add(SeverityWarning, "profile_skipped", obj, "Profile the table (remove profile = false) or accept the risk.",
					"values were not profiled (%s): values Snowflake cannot hold are unchecked and would fail the load", p.Reason)
			}
		case catalog.ProfileSample:
			a.add(SeverityInfo, "profile_sampled", obj, "",
				"profiled from a %g%% sample (%d rows): rare values Snowflake cannot hold may be missed", p.SamplePercent, p.RowsScanned)
		}
	}
}

// column reports type and value findings; it returns whether the
// column's type can hold values that need a profile.
func (a *assessor) column(t *catalog.Table, c *catalog.Column) (risky bool) {
	obj := t.Schema + "." + t.Name + "." + c.Name
	typ := c.Type.Resolved()
	if typ == nil {
		return false
	}
	a.typeNote(obj, c.Type)
	if c.Generated != catalog.GeneratedNone {
		a.add(SeverityInfo, "generated_column", obj, "",
			"generated column: its stored values are loaded and the expression is kept in the column comment: %s", c.GenerationExpression)
	}
	risky = riskyType(typ)
	p := c.Profile
	if p == nil {
		return risky
	}
	override := fmt.Sprintf("Override the column's type to VARCHAR in the spec (type_override for %s), or fix the values in PostgreSQL.", obj)
	if f := p.Numeric; f != nil {
		if n := f.NaN + f.PosInfinity + f.NegInfinity; n > 0 {
			a.add(SeverityError, "value_numeric_special", obj, override,
				"%s holds %s: Snowflake NUMBER cannot store NaN or Infinity", c.Type.Declared,
				countList(f.NaN, "NaN", f.PosInfinity, "Infinity", f.NegInfinity, "-Infinity"))
		}
		declared := typ.Precision != nil && *typ.Precision <= 38
		if !declared && f.MaxIntegerDigits+f.MaxScale > 38 {
			a.add(SeverityError, "value_numeric_too_wide", obj, override,
				"%s values need %d integer digits and %d decimals, more than NUMBER's 38 digits", c.Type.Declared, f.MaxIntegerDigits, f.MaxScale)
		}
	}
	if f := p.Temporal; f != nil {
		if n := f.PosInfinity + f.NegInfinity; n > 0 {
			a.add(SeverityError, "value_temporal_infinite", obj, override,
				"%s holds %s: Snowflake has no infinite dates or timestamps", c.Type.Declared,
				countList(f.PosInfinity, "infinity", f.NegInfinity, "-infinity"))
		}
		if n := f.YearBefore1 + f.YearAfter9999; n > 0 {
			a.add(SeverityError, "value_temporal_out_of_range", obj, override,
				"%s holds %s: Snowflake dates and timestamps cover years 1 to 9999", c.Type.Declared,
				countList(f.YearBefore1, "BC value", f.YearAfter9999, "value after year 9999"))
		}
	}
	if f := p.Time; f != nil && f.Hour24 > 0 {
		a.add(SeverityError, "value_time_24", obj, override,
			"time holds %s: Snowflake TIME stops at 23:59:59.999999999", countList(f.Hour24, "24:00:00 value"))
	}
	if f := p.Array; f != nil && f.LowerBoundNot1 > 0 {
		a.add(SeverityError, "value_array_lower_bound", obj, override,
			"%s holds %s: JSON arrays start at index 0 and keep no bounds, so the subscripts would change", c.Type.Declared,
			countList(f.LowerBoundNot1, "array whose lower bound is not 1"))
	}
	if f := p.Array; f != nil && f.SpecialElements > 0 {
		a.add(SeverityError, "value_array_special_elements", obj, override,
			"%s holds %s: NaN, Infinity, infinite or out-of-range dates and 24:00:00 cannot be array elements in Snowflake (they would become strings)",
			c.Type.Declared, countList(f.SpecialElements, "array with such elements"))
	}
	if f := p.JSON; f != nil && f.LongNumbers > 0 {
		a.add(SeverityWarning, "value_json_long_number", obj, override,
			"jsonb holds %s: VARIANT stores numbers as double and would round them", countList(f.LongNumbers, "value with a number of 16 or more significant digits"))
	}
	if f := p.Size; f != nil {
		a.size(obj, typ, f.MaxOctetLength)
	}
	return risky
}

func (a *assessor) size(obj string, typ *catalog.Type, n int64) {
	def, max, kind := int64(varcharDefaultBytes), int64(varcharMaxBytes), "VARCHAR"
	if typ.Is("bytea") {
		def, max, kind = binaryDefaultBytes, binaryMaxBytes, "BINARY"
	} else if typ.Is("jsonb") || typ.Is("json") {
		kind = "VARIANT/VARCHAR"
	}
	switch {
	case n > max:
		a.add(SeverityError, "value_too_large", obj, "Exclude the column or the table, or store these values outside Snowflake.",
			"largest value is %s, above Snowflake's %s maximum of %s", units.Bytes(n), kind, units.Bytes(max))
	case n > def:
		a.add(SeverityWarning, "value_large", obj, "",
			"largest value is %s, above the %s default of %s: the column is created with an explicit larger size", units.Bytes(n), kind, units.Bytes(def))
	}
}

// riskyType reports whether a type can hold values the profile checks.
func riskyType(t *catalog.Type) bool {
	if t.Kind == catalog.KindArray {
		return true
	}
	for _, n := range []string{"text", "varchar", "bpchar", "bytea", "json", "jsonb", "xml", "numeric", "float4", "float8",
		"date", "timestamp", "timestamptz", "time"} {
		if t.Is(n) {
			return true
		}
	}
	return t.Extension == "citext" || t.Extension == "hstore"
}

// countList renders "2 NaN, 1 Infinity" from (count, label) pairs, leaving out zeros.
func countList(pairs ...any) string {
	var parts []string
	for i := 0; i+1 < len(pairs); i += 2 {
		n := pairs[i].(int64)
		if n == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, plural(pairs[i+1].(string), n)))
	}
	return strings.Join(parts, ", ")
}

func plural(label string, n int64) string {
	if n == 1 || !strings.HasPrefix(label, "value") && !strings.HasPrefix(label, "array") && !strings.HasPrefix(label, "BC") &&
		!strings.HasPrefix(label, "24:") {
		return label
	}
	w := strings.SplitN(label, " ", 2)
	w[0] += "s"
	return strings.Join(w, " ")
}
