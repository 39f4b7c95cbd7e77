package typemap

import (
	"fmt"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

// Loss is a class of values a target type cannot hold unchanged.
type Loss struct {
	Class string `json:"class"` // "3 NaN values", "max 45 integer digits"
	Why   string `json:"why"`   // "Snowflake NUMBER cannot hold NaN"
}

func (l Loss) String() string { return l.Class + ": " + l.Why }

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// check compares what the values need with what target holds. losses are
// values that would change or fail; unchecked are needs nothing measured;
// err means the target cannot take this source at all.
func check(s source, f facts, tgt sftype.Type) (losses []Loss, unchecked []string, err error) {
	add := func(class, why string) { losses = append(losses, Loss{class, why}) }
	uncheck := func(what string) {
		if w := f.uncheckedWhy(); w != "" {
			unchecked = append(unchecked, what+" ("+w+")")
		}
	}
	if s.isTextLike() && !isText(tgt) {
		unchecked = append(unchecked, fmt.Sprintf("every value must parse as %s; the load fails on the first that does not", tgt))
		return nil, unchecked, nil
	}
	switch tgt.Name {
	case "VARCHAR":
		if n, ok := charNeed(s, f); ok {
			if n > int64(tgt.Length) {
				add(fmt.Sprintf("values up to %d characters", n), fmt.Sprintf("longer than %s", tgt))
			}
		} else {
			uncheck("value lengths")
		}
		if sz := f.size(); sz != nil && sz.MaxOctetLength > sftype.MaxVarcharLength {
			add("values of "+bytesText(sz.MaxOctetLength), "Snowflake VARCHAR holds at most 128 MB")
		}
		return losses, unchecked, nil
	case "NUMBER":
		return checkNumber(s, f, tgt)
	case "FLOAT":
		switch {
		case s.class == cFloat4 || s.class == cFloat8 || s.class == cInt2 || s.class == cInt4:
		case s.isInteger() || s.class == cNumeric || s.class == cMoney:
			add("values with more than 15 significant digits", "FLOAT (double precision) rounds them")
		default:
			return nil, nil, incompatible(s, tgt)
		}
		return losses, unchecked, nil
	case "BINARY":
		if s.class != cBytea {
			return nil, nil, incompatible(s, tgt)
		}
		if sz := f.size(); sz != nil {
			if sz.MaxOctetLength > int64(tgt.Length) {
				add("values of "+bytesText(sz.MaxOctetLength), fmt.Sprintf("longer than %s", tgt))
			}
		} else {
			uncheck("value sizes")
		}
		return losses, unchecked, nil
	case "BOOLEAN":
		if s.class != cBool {
			return nil, nil, incompatible(s, tgt)
		}
		return nil, nil, nil
	case "DATE", "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "TIMESTAMP_LTZ":
		return checkTemporal(s, f, tgt)
	case "TIME":
		switch s.class {
		case cTime:
		case cTimeTZ:
			add("time zone offsets", "TIME has no offset")
		default:
			return nil, nil, incompatible(s, tgt)
		}
		if p := s.fracPrecision(); p > tgt.Precision {
			add(fmt.Sprintf("fractional seconds to %d digits", p), fmt.Sprintf("%s rounds to %d", tgt, tgt.Precision))
		}
		if f.measured() && f.p.Time != nil {
			if n := f.p.Time.Hour24; n > 0 {
				add(plural(n, "value 24:00:00", "values 24:00:00"), "Snowflake TIME ends at 23:59:59.999999999")
			}
		}
		if s.class == cTime && (f.p == nil || f.p.Time == nil || !f.full()) {
			uncheck("24:00:00 values")
		}
		return losses, unchecked, nil
	case "VARIANT", "OBJECT", "ARRAY":
		return checkSemi(s, f, tgt)
	case "GEOMETRY", "GEOGRAPHY":
		if s.class != cGeometry && s.class != cGeography {
			return nil, nil, incompatible(s, tgt)
		}
		if tgt.Name == "GEOGRAPHY" {
			unchecked = append(unchecked, "every shape must be WGS84 (SRID 4326); the load fails otherwise")
		}
		return nil, unchecked, nil
	}
	return nil, nil, incompatible(s, tgt)
}

func isText(t sftype.Type) bool { return t.Name == "VARCHAR" }

func incompatible(s source, tgt sftype.Type) error {
	return fmt.Errorf("PostgreSQL %s cannot be loaded into Snowflake %s", s.t.Declared, tgt)
}

func checkNumber(s source, f facts, tgt sftype.Type) (losses []Loss, unchecked []string, err error) {
	add := func(class, why string) { losses = append(losses, Loss{class, why}) }
	switch {
	case s.isInteger() || s.class == cNumeric || s.class == cMoney:
	case s.class == cFloat4 || s.class == cFloat8:
		add("floating-point values", fmt.Sprintf("rounded to %s", tgt))
		if fl := f.p; fl != nil && fl.Float != nil && fl.Float.NaN+fl.Float.PosInfinity+fl.Float.NegInfinity > 0 {
			add(plural(fl.Float.NaN+fl.Float.PosInfinity+fl.Float.NegInfinity, "NaN or infinite value", "NaN or infinite values"), "Snowflake NUMBER cannot hold them")
		}
		return losses, nil, nil
	default:
		return nil, nil, incompatible(s, tgt)
	}
	if tgt.Scale > maxScale {
		return nil, nil, fmt.Errorf("Snowflake NUMBER scale is at most %d, not %d", maxScale, tgt.Scale)
	}
	id, sc, known := numericNeed(s, f)
	if !known {
		unchecked = append(unchecked, "integer digits and scale ("+f.uncheckedWhy()+")")
	} else {
		if room := tgt.Precision - tgt.Scale; id > room {
			add(fmt.Sprintf("max %d integer digits", id), fmt.Sprintf("%s holds %d", tgt, room))
		}
		if sc > tgt.Scale {
			add(fmt.Sprintf("max scale %d", sc), fmt.Sprintf("%s rounds to scale %d", tgt, tgt.Scale))
		}
	}
	if s.class == cNumeric {
		if n := f.numeric(); n != nil {
			if n.NaN > 0 {
				add(plural(n.NaN, "NaN value", "NaN values"), "Snowflake NUMBER cannot hold NaN")
			}
			if inf := n.PosInfinity + n.NegInfinity; inf > 0 {
				add(plural(inf, "infinite value", "infinite values"), "Snowflake NUMBER cannot hold ±Infinity")
			}
		}
		if !f.full() {
			unchecked = append(unchecked, "NaN/Infinity ("+f.uncheckedWhy()+")")
		}
		if n := f.numeric(); known && n != nil && !f.full() {
			unchecked = append(unchecked, "digits and scale beyond the sample")
		}
	}
	return losses, unchecked, nil
}

func checkTemporal(s source, f facts, tgt sftype.Type) (losses []Loss, unchecked []string, err error) {
	add := func(class, why string) { losses = append(losses, Loss{class, why}) }
	noun, nouns := "timestamp", "timestamps"
	switch s.class {
	case cDate:
		noun, nouns = "date", "dates"
	case cTimestamp, cTimestampTZ:
		if tgt.Name == "DATE" {
			add("time of day", "DATE keeps only the day")
		}
	default:
		return nil, nil, incompatible(s, tgt)
	}
	if tgt.Name != "DATE" && s.class != cDate {
		if p := s.fracPrecision(); p > tgt.Precision {
			add(fmt.Sprintf("fractional seconds to %d digits", p), fmt.Sprintf("%s rounds to %d", tgt, tgt.Precision))
		}
	}
	if tf := f.temporal(); tf != nil {
		if n := tf.PosInfinity + tf.NegInfinity; n > 0 {
			add(plural(n, "infinite "+noun, "infinite "+nouns), "Snowflake has no infinity")
		}
		if n := tf.YearBefore1; n > 0 {
			add(plural(n, "BC "+noun, "BC "+nouns), "Snowflake years start at 1")
		}
		if n := tf.YearAfter9999; n > 0 {
			add(plural(n, noun, nouns)+" after year 9999", "Snowflake years end at 9999")
		}
	}
	if !f.full() {
		unchecked = append(unchecked, "infinity, BC and year > 9999 values ("+f.uncheckedWhy()+"; the load fails on them, extraction never rewrites them)")
	}
	return losses, unchecked, nil
}

func checkSemi(s source, f facts, tgt sftype.Type) (losses []Loss, unchecked []string, err error) {
	add := func(class, why string) { losses = append(losses, Loss{class, why}) }
	switch s.class {
	case cJSON:
		add("exact JSON text", "VARIANT normalises whitespace and key order and rejects duplicate keys")
	case cJSONB:
	case cArray:
		if tgt.Name == "OBJECT" {
			return nil, nil, incompatible(s, tgt)
		}
		if f.measured() && f.p.Array != nil && f.p.Array.LowerBoundNot1 > 0 {
			add(plural(f.p.Array.LowerBoundNot1, "array with a lower bound other than 1", "arrays with a lower bound other than 1"), "JSON arrays have no bounds; the indexes would shift")
		} else if !f.full() {
			unchecked = append(unchecked, "array lower bounds ("+f.uncheckedWhy()+")")
		}
	case cComposite, cHstore:
		if tgt.Name == "ARRAY" {
			return nil, nil, incompatible(s, tgt)
		}
	default:
		return nil, nil, incompatible(s, tgt)
	}
	if s.class == cArray || s.class == cComposite {
		if w := jsonNumberRisk(s.t, 0); w != "" {
			unchecked = append(unchecked, "long numbers inside values ("+w+" elements or fields with 16+ significant digits become doubles in a VARIANT; the profile does not measure them)")
		}
	}
	if s.class == cJSON || s.class == cJSONB {
		if tgt.Name != "VARIANT" {
			unchecked = append(unchecked, "every document must be a JSON "+map[string]string{"OBJECT": "object", "ARRAY": "array"}[tgt.Name])
		}
		if f.measured() && f.p.JSON != nil && f.p.JSON.LongNumbers > 0 {
			add(plural(f.p.JSON.LongNumbers, "document with numbers of 16 or more significant digits", "documents with numbers of 16 or more significant digits"), "VARIANT stores such numbers as doubles")
		} else if !f.full() {
			unchecked = append(unchecked, "long JSON numbers ("+f.uncheckedWhy()+")")
		}
	}
	if sz := f.size(); sz != nil && sz.MaxOctetLength > sftype.MaxVarcharLength {
		add("documents of "+bytesText(sz.MaxOctetLength), "a VARIANT holds at most 128 MB")
	}
	return losses, unchecked, nil
}

// jsonNumberRisk names the element or field type of an array or composite
// whose JSON numbers may carry 16 or more significant digits (bigint,
// numeric, money), or whose specials become JSON strings (floats).
func jsonNumberRisk(t *catalog.Type, depth int) string {
	if t == nil || depth > 8 {
		return ""
	}
	t = t.Resolved()
	switch t.Kind {
	case catalog.KindArray:
		return jsonNumberRisk(t.Element, depth+1)
	case catalog.KindComposite:
		for _, f := range t.Fields {
			if w := jsonNumberRisk(f.Type, depth+1); w != "" {
				return w
			}
		}
		return ""
	}
	if t.IsBuiltin() {
		switch t.Name {
		case "int8", "numeric", "money", "float4", "float8":
			return t.Declared
		}
	}
	return ""
}
