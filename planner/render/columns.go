package render

import "github.com/pgsnow/pgsnow/planner/plan"

// colChange is one row of a before/after column comparison.
type colChange struct {
	op            byte // ' ' same, '+' added, '-' removed, '~' changed
	name          string
	before, after string // type and nullability as shown
}

func colText(c plan.Column) string {
	s := c.Type
	if !c.Nullable {
		s += " NOT NULL"
	}
	if c.Default != "" {
		s += " DEFAULT " + c.Default
	}
	return s
}

// compareColumns lists the after columns in order (marking added and
// changed ones), then the removed ones.
func compareColumns(before, after []plan.Column) []colChange {
	old := make(map[string]plan.Column, len(before))
	for _, c := range before {
		old[c.Name] = c
	}
	seen := map[string]bool{}
	var out []colChange
	for _, c := range after {
		seen[c.Name] = true
		o, ok := old[c.Name]
		switch {
		case !ok:
			out = append(out, colChange{'+', c.Name, "", colText(c)})
		case colText(o) != colText(c):
			out = append(out, colChange{'~', c.Name, colText(o), colText(c)})
		default:
			out = append(out, colChange{' ', c.Name, colText(o), colText(c)})
		}
	}
	for _, c := range before {
		if !seen[c.Name] {
			out = append(out, colChange{'-', c.Name, colText(c), ""})
		}
	}
	return out
}

// changedColumns reports whether any column differs.
func changedColumns(cc []colChange) bool {
	for _, c := range cc {
		if c.op != ' ' {
			return true
		}
	}
	return false
}
