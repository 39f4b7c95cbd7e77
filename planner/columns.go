package planner

import (
	"fmt"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/inspect"
	"github.com/pgsnow/pgsnow/state"
)

// canWiden reports whether Snowflake's ALTER COLUMN … SET DATA TYPE turns
// type from into to in place: NUMBER precision up at the same scale,
// VARCHAR length up. Anything else needs the table replaced.
func canWiden(from, to string) bool {
	a, err1 := sftype.Parse(from)
	b, err2 := sftype.Parse(to)
	if err1 != nil || err2 != nil || a.Name != b.Name {
		return false
	}
	switch a.Name {
	case "NUMBER":
		return a.Scale == b.Scale && b.Precision > a.Precision
	case "VARCHAR":
		return b.Length > a.Length
	}
	return false
}

func liveColumns(t *inspect.Table) []plan.Column {
	var cs []plan.Column
	for _, c := range t.Columns {
		cs = append(cs, plan.Column{Name: c.Name, Type: c.Type, Nullable: c.Nullable, Default: c.Default, Comment: c.Comment})
	}
	return cs
}

func stateColumns(o *state.Object) []plan.Column {
	var cs []plan.Column
	for _, c := range o.Columns {
		cs = append(cs, plan.Column{Name: c.Name, Type: c.Type, Nullable: c.Nullable})
	}
	return cs
}

func find(cs []plan.Column, name string) *plan.Column {
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}

// columnDrift lists how live columns differ from those the state recorded.
func columnDrift(recorded, live []plan.Column) []plan.Reason {
	var rs []plan.Reason
	r := func(format string, args ...any) {
		rs = append(rs, plan.Reason{Code: plan.ReasonDriftColumn, Message: "drift: " + fmt.Sprintf(format, args...) + " in Snowflake outside pgsnow"})
	}
	for _, c := range recorded {
		l := find(live, c.Name)
		switch {
		case l == nil:
			r("column %s dropped", ident.Quote(c.Name))
		case l.Type != c.Type:
			r("column %s type changed: %s → %s", ident.Quote(c.Name), c.Type, l.Type)
		case l.Nullable != c.Nullable:
			r("column %s %s", ident.Quote(c.Name), nullWord(l.Nullable))
		}
	}
	for _, l := range live {
		if find(recorded, l.Name) == nil {
			r("column %s %s added", ident.Quote(l.Name), l.Type)
		}
	}
	return rs
}

func nullWord(nullable bool) string {
	if nullable {
		return "made nullable"
	}
	return "made NOT NULL"
}

// sameColumn compares what matters for loading: name, type, nullability.
func sameColumn(a, b *plan.Column) bool {
	return a != nil && b != nil && a.Type == b.Type && a.Nullable == b.Nullable
}
