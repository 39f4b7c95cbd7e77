package planner

import (
	"fmt"
	"slices"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/snowflake/ddl"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// tableDiff is what it takes to turn a live table into the desired one.
type tableDiff struct {
	action  plan.Action // NoOp, Update or Replace
	reasons []plan.Reason
	ddl     []string
}

// diffTable compares the desired table o with the live columns. recorded
// are the columns the state recorded (nil without a record): where live
// differs from the record, the difference is drift; otherwise it comes
// from the source or the spec. liveRows is Snowflake's row count (nil:
// unknown).
func diffTable(o *object, live, recorded []plan.Column, liveRows *int64) tableDiff {
	q := ident.Qualified(o.name...)
	src := loadLabel(o)
	var alters []string
	var why, blockers []plan.Reason
	reason := func(code, format string, args ...any) {
		why = append(why, plan.Reason{Code: code, Message: fmt.Sprintf(format, args...)})
	}
	drifted := func(name string) bool {
		if recorded == nil {
			return false
		}
		r, l := find(recorded, name), find(live, name)
		return !(r == nil && l == nil || sameColumn(r, l))
	}
	for i, d := range o.cols {
		dec := o.table.Columns[i]
		l := find(live, d.Name)
		switch {
		case l == nil:
			if drifted(d.Name) {
				reason(plan.ReasonDriftColumn, "drift: column %s dropped in Snowflake outside pgsnow; it is added again", ident.Quote(d.Name))
			} else {
				reason(plan.ReasonColumnAdded, "column %q %s added in source %s", dec.Column, dec.SourceType, src)
			}
			if !d.Nullable && (liveRows == nil || *liveRows > 0) {
				blockers = append(blockers, plan.Reason{Code: plan.ReasonColumnAdded,
					Message: fmt.Sprintf("column %s is NOT NULL: Snowflake cannot add a NOT NULL column without a default to a table that has rows", ident.Quote(d.Name))})
			}
			alters = append(alters, "ALTER TABLE "+q+" ADD COLUMN "+columnSQL(d))
		case l.Type != d.Type:
			code := typeCode(dec)
			if drifted(d.Name) {
				code = plan.ReasonDriftColumn
			}
			if canWiden(l.Type, d.Type) {
				reason(code, "column %s: %s → %s (widened in place)", ident.Quote(d.Name), l.Type, d.Type)
				alters = append(alters, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s SET DATA TYPE %s", q, ident.Quote(d.Name), d.Type))
			} else {
				blockers = append(blockers, plan.Reason{Code: code,
					Message: fmt.Sprintf("column %s: %s → %s; Snowflake cannot ALTER a column from %s to %s", ident.Quote(d.Name), l.Type, d.Type, l.Type, d.Type)})
			}
		case l.Nullable != d.Nullable:
			code := plan.ReasonColumnType
			if drifted(d.Name) {
				code = plan.ReasonDriftColumn
			}
			verb := "SET NOT NULL"
			if d.Nullable {
				verb = "DROP NOT NULL"
			}
			reason(code, "column %s: %s", ident.Quote(d.Name), verb)
			alters = append(alters, fmt.Sprintf("ALTER TABLE %s ALTER COLUMN %s %s", q, ident.Quote(d.Name), verb))
		}
	}
	kept := []string{}
	for _, l := range live {
		if find(o.cols, l.Name) != nil {
			kept = append(kept, l.Name)
			continue
		}
		if drifted(l.Name) {
			reason(plan.ReasonDriftColumn, "drift: column %s added in Snowflake outside pgsnow; it is dropped", ident.Quote(l.Name))
		} else {
			reason(plan.ReasonColumnRemoved, "column %s no longer in source %s (or no longer mapped to this name)", ident.Quote(l.Name), src)
		}
		alters = append(alters, "ALTER TABLE "+q+" DROP COLUMN "+ident.Quote(l.Name))
	}
	// ADD COLUMN appends; CSV loads by position, so the order must match.
	for _, d := range o.cols {
		if find(live, d.Name) == nil {
			kept = append(kept, d.Name)
		}
	}
	var want []string
	for _, d := range o.cols {
		want = append(want, d.Name)
	}
	if len(blockers) == 0 && !slices.Equal(kept, want) {
		blockers = append(blockers, plan.Reason{Code: plan.ReasonColumnAdded,
			Message: "column order differs from the source's and ALTER TABLE can only append columns; files are loaded by position"})
	}
	switch {
	case len(blockers) > 0:
		return tableDiff{action: plan.Replace, reasons: append(blockers, why...),
			ddl: append([]string{"DROP TABLE IF EXISTS " + q}, o.ddl...)}
	case len(alters) > 0:
		return tableDiff{action: plan.Update, reasons: why, ddl: alters}
	}
	return tableDiff{action: plan.NoOp}
}

// typeCode is the reason code of a column type difference that is not drift.
func typeCode(d *typemap.Decision) string {
	if d.Override != nil {
		return plan.ReasonTypeMapping
	}
	return plan.ReasonColumnType
}

// columnSQL is a column definition for ADD COLUMN.
func columnSQL(c plan.Column) string {
	s := ident.Quote(c.Name) + " " + c.Type
	if !c.Nullable {
		s += " NOT NULL"
	}
	if c.Default != "" {
		s += " DEFAULT " + c.Default
	}
	if c.Comment != "" {
		s += " COMMENT " + ddl.String(c.Comment)
	}
	return s
}

// loadLabel is the source table as people read it: source.schema.table.
func loadLabel(o *object) string {
	return plan.TableRef{Source: o.source, Schema: o.table.SourceName.Schema, Table: o.table.SourceName.Name}.String()
}
