package render

import (
	"github.com/pgsnow/pgsnow/planner/plan"
)

// symbol is the text marker of an action; load takes Terraform's "read
// data" arrow because data flows into the table, and reload mirrors
// replace: empty, then load.
func symbol(a plan.Action) string {
	switch a {
	case plan.Create:
		return "+"
	case plan.Update:
		return "~"
	case plan.Replace:
		return "-/+"
	case plan.Delete:
		return "-"
	case plan.Load:
		return "<="
	case plan.Reload:
		return "-/<="
	}
	return " "
}

// verb is the "# X will be …" phrase of an action.
func verb(a plan.Action) string {
	switch a {
	case plan.Create:
		return "will be created"
	case plan.Update:
		return "will be updated in place"
	case plan.Replace:
		return "must be replaced"
	case plan.Delete:
		return "will be destroyed"
	case plan.Load:
		return "will be loaded"
	case plan.Reload:
		return "will be emptied and loaded again"
	}
	return "is unchanged"
}

// legend lists the symbols the plan uses, in a fixed order.
func legend(p *plan.Plan) [][2]string {
	used := map[plan.Action]bool{}
	for _, c := range p.Changes {
		used[c.Action] = true
	}
	var out [][2]string
	for _, e := range []struct {
		a    plan.Action
		what string
	}{
		{plan.Create, "create"}, {plan.Update, "update in place"}, {plan.Replace, "destroy and then create replacement"},
		{plan.Delete, "destroy"}, {plan.Load, "load data"}, {plan.Reload, "empty and load data again"},
	} {
		if used[e.a] {
			out = append(out, [2]string{symbol(e.a), e.what})
		}
	}
	return out
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

func actionColor(a plan.Action) string {
	switch a {
	case plan.Create:
		return ansiGreen
	case plan.Update:
		return ansiYellow
	case plan.Replace, plan.Delete:
		return ansiRed
	case plan.Load, plan.Reload:
		return ansiCyan
	}
	return ""
}

// painter wraps text in ANSI codes only when colour was asked for.
type painter bool

func (c painter) paint(code, s string) string {
	if !c || code == "" || s == "" {
		return s
	}
	return code + s + ansiReset
}
