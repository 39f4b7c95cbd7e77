package typemap

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

// columnInput is everything decide needs about one column.
type columnInput struct {
	table  *catalog.Table
	col    *catalog.Column
	facts  facts
	co     *ColumnOverride
	rules  []typeRule
	source string // spec source name, for fixes
	target string // mapped column name
}

// decide maps one column. It returns the decision (always, so that the
// artifacts can show refused columns too) and the problems that refuse it.
func decide(in columnInput) (*Decision, []Problem) {
	col, s, f := in.col, resolve(in.col.Type), in.facts
	obj := in.table.Schema + "." + in.table.Name + "." + col.Name
	d := &Decision{Column: col.Name, Target: in.target, SourceType: col.Type.Declared, NotNull: col.NotNull}
	def, why, risk := defaultTarget(s, f)
	var probs []Problem

	// Which type, chosen by whom.
	tgt, allowLossy := def, in.co != nil && in.co.AllowLossy
	switch {
	case in.co != nil && in.co.Type != "":
		ot, err := sftype.Parse(in.co.Type)
		if err != nil {
			probs = append(probs, Problem{Object: obj, Message: fmt.Sprintf("override type %q: %v", in.co.Type, err)})
			break
		}
		tgt = ot
		d.Override = &AppliedOverride{Kind: "column", Type: in.co.Type, AllowLossy: allowLossy}
		why = fmt.Sprintf("column override %s (default %s: %s%s)", ot, def, why, defaultRefusal(s, f, def))
	default:
		if r := matchType(in.rules, col.Type); r != nil {
			tgt, allowLossy = r.target, r.AllowLossy || allowLossy
			d.Override = &AppliedOverride{Kind: "type", Type: r.Type, AllowLossy: allowLossy}
			why = fmt.Sprintf("type_override %q → %s (default %s: %s%s)", r.PostgresType, r.target, def, why, defaultRefusal(s, f, def))
		} else if allowLossy {
			d.Override = &AppliedOverride{Kind: "column", AllowLossy: true}
		}
	}
	d.Type = tgt
	if d.Override != nil && tgt.Name == "VARCHAR" && !s.isTextLike() {
		why += "; kept as PostgreSQL's text: type semantics are lost"
		risk = maxRisk(risk, RiskLow)
	}

	losses, unchecked, err := check(s, f, tgt)
	switch {
	case err != nil:
		probs = append(probs, Problem{Object: obj, Message: err.Error(), Fix: columnFix(in.source, in.table.Schema, in.table.Name, col.Name, "VARCHAR", false)})
	case len(losses) > 0 && !allowLossy:
		probs = append(probs, refusal(in, obj, s, f, tgt, losses, d.Override)...)
	case len(losses) > 0:
		d.Override.Loss = lossText(losses)
		risk = RiskHigh
		why += "; accepted loss (allow_lossy): " + strings.Join(d.Override.Loss, "; ")
	}
	if s.class == cNumeric && tgt.Name == "NUMBER" && d.Override == nil {
		if _, _, known := numericNeed(s, f); !known {
			probs = append(probs, Problem{Object: obj, Class: "numeric without precision, " + f.uncheckedWhy(),
				Message: "cannot size NUMBER without the profile's digits and scale; profile the table or choose the type",
				Fix:     columnFix(in.source, in.table.Schema, in.table.Name, col.Name, "VARCHAR", false)})
		}
	}
	if len(unchecked) > 0 {
		why += "; unchecked: " + strings.Join(unchecked, "; ")
		if d.Override != nil && (s.isTextLike() || tgt.Name == "NUMBER") {
			// a value that does not parse fails the load; an unmeasured
			// scale may be rounded (validation detects it).
			risk = maxRisk(risk, RiskHigh)
		} else {
			risk = maxRisk(risk, RiskMedium)
		}
	}
	if s.domain != nil {
		why = fmt.Sprintf("domain %s over %s: ", s.domain.Qualified(), s.t.Declared) + why
		if s.domain.Domain != nil {
			if s.domain.Domain.NotNull {
				d.NotNull = true
			}
			if len(s.domain.Domain.Checks) > 0 {
				why += "; domain CHECK constraints are not enforced in Snowflake"
				risk = maxRisk(risk, RiskLow)
			}
		}
	}
	d.Rationale, d.Risk = why, risk
	d.Extract = extractExpr(s, col.Name, tgt)
	d.Check = validation(s, col.Name, in.target, tgt, d.Extract)
	return d, probs
}

// refusal explains values the target cannot hold and proposes the override
// that fixes it: VARCHAR for a default mapping (when VARCHAR can hold the
// values), allow_lossy for an explicit override.
func refusal(in columnInput, obj string, s source, f facts, tgt sftype.Type, losses []Loss, o *AppliedOverride) []Problem {
	p := Problem{Object: obj, Class: lossClasses(losses)}
	reasons := make([]string, len(losses))
	for i, l := range losses {
		reasons[i] = l.Why
	}
	t, c := in.table, in.col
	if o == nil {
		p.Message = fmt.Sprintf("Snowflake %s cannot hold them (%s)", tgt, strings.Join(reasons, "; "))
		fixType := "VARCHAR"
		if sz := f.size(); sz != nil && sz.MaxOctetLength > sftype.DefaultVarchar {
			fixType = fmt.Sprintf("VARCHAR(%d)", sftype.MaxVarcharLength)
		}
		ft, _ := sftype.Parse(fixType)
		if l, _, err := check(s, f, ft); err == nil && len(l) == 0 {
			p.Message += "; keep the exact text as " + fixType
			p.Fix = columnFix(in.source, t.Schema, t.Name, c.Name, fixType, false)
		} else {
			p.Message += "; no Snowflake type holds these values: exclude the table or change the values at the source"
		}
		return []Problem{p}
	}
	p.Message = fmt.Sprintf("override %s would lose data (%s); widen the type or accept the loss with allow_lossy = true", tgt, strings.Join(reasons, "; "))
	if o.Kind == "type" {
		p.Fix = columnFix(in.source, t.Schema, t.Name, c.Name, "", true)
	} else {
		p.Fix = columnFix(in.source, t.Schema, t.Name, c.Name, o.Type, true)
	}
	return []Problem{p}
}

// defaultRefusal says what the default type could not hold, so the
// rationale of an override explains why it was needed.
func defaultRefusal(s source, f facts, def sftype.Type) string {
	if l, _, err := check(s, f, def); err == nil && len(l) > 0 {
		return "; refused because of " + lossClasses(l)
	}
	return ""
}
