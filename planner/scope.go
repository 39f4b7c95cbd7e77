package planner

import (
	"fmt"
	"slices"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
)

// target limits the plan to the loads of the -target tables, their
// tables and everything those depend on (transitively). Drift and
// fingerprints are limited the same way; deletes are left out.
func (b *builder) target(addrs []string) error {
	if len(addrs) == 0 {
		return nil
	}
	byAddr := map[string]*plan.Change{}
	for i := range b.p.Changes {
		byAddr[b.p.Changes[i].Address] = &b.p.Changes[i]
	}
	keep := map[string]bool{}
	var visit func(a string)
	visit = func(a string) {
		if keep[a] {
			return
		}
		keep[a] = true
		if c := byAddr[a]; c != nil {
			for _, d := range c.DependsOn {
				visit(d)
			}
		}
	}
	tables := map[plan.TableRef]bool{}
	for _, s := range addrs {
		ta, err := lang.ParseTableAddress(s)
		if err != nil {
			return fmt.Errorf("-target %s: %w", s, err)
		}
		ref := plan.TableRef{Source: ta.Source, Schema: ta.Schema, Table: ta.Table}
		load := plan.Address(plan.KindLoad, ref.Source, ref.Schema, ref.Table)
		if byAddr[load] == nil {
			return fmt.Errorf("-target %s: no such table among the tables the spec selects (see 'pgsnow analyze')", s)
		}
		tables[ref] = true
		visit(load)
		if !slices.Contains(b.p.Targets, ref.String()) {
			b.p.Targets = append(b.p.Targets, ref.String())
		}
	}
	b.p.Changes = slices.DeleteFunc(b.p.Changes, func(c plan.Change) bool { return !keep[c.Address] })
	b.p.Drift = slices.DeleteFunc(b.p.Drift, func(d plan.Drift) bool { return !keep[d.Address] })
	b.p.Warnings = slices.DeleteFunc(b.p.Warnings, func(w plan.Warning) bool { return w.Address != "" && !keep[w.Address] })
	b.p.Fingerprints = slices.DeleteFunc(b.p.Fingerprints, func(f plan.Fingerprint) bool { return !tables[f.Table] })
	return nil
}

// refreshOnly keeps the drift and turns every change into a no-op: the
// plan reports, it changes nothing.
func (b *builder) refreshOnly() {
	b.p.Mode = plan.ModeRefreshOnly
	b.p.Changes = slices.DeleteFunc(b.p.Changes, func(c plan.Change) bool { return c.Action == plan.Delete })
	for i := range b.p.Changes {
		c := &b.p.Changes[i]
		c.Action, c.Reasons, c.DDL, c.Before = plan.NoOp, nil, nil, nil
	}
}
