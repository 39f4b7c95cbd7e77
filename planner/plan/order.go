package plan

import (
	"cmp"
	"slices"
)

// Sort puts p in its canonical order in place: changes by kind rank
// (database, schema, file format, stage, sequence, table, view, load)
// then address; dependencies, targets, fingerprints, drift and warnings
// sorted too. Reasons, DDL, columns and chunks keep the planner's order,
// which carries meaning.
func (p *Plan) Sort() {
	slices.SortFunc(p.Changes, func(a, b Change) int {
		if c := cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]); c != 0 {
			return c
		}
		return cmp.Compare(a.Address, b.Address)
	})
	for i := range p.Changes {
		slices.Sort(p.Changes[i].DependsOn)
	}
	slices.Sort(p.Targets)
	slices.SortFunc(p.Sources, func(a, b SourceRef) int { return cmp.Compare(a.Name, b.Name) })
	slices.SortFunc(p.Fingerprints, func(a, b Fingerprint) int { return compareTable(a.Table, b.Table) })
	slices.SortFunc(p.Drift, func(a, b Drift) int { return cmp.Compare(a.Address, b.Address) })
	slices.SortStableFunc(p.Warnings, func(a, b Warning) int {
		if c := cmp.Compare(a.Address, b.Address); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
}

func compareTable(a, b TableRef) int {
	return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Table, b.Table))
}

// Change returns the change with the given address, or nil.
func (p *Plan) Change(addr string) *Change {
	for i := range p.Changes {
		if p.Changes[i].Address == addr {
			return &p.Changes[i]
		}
	}
	return nil
}

// LoadOf returns the load change whose target is the table address, or nil.
func (p *Plan) LoadOf(table string) *Change {
	for i := range p.Changes {
		if c := &p.Changes[i]; c.Load != nil && c.Load.Target == table {
			return c
		}
	}
	return nil
}

// Order returns the changes in an order apply may run them one at a time:
// every change after its dependencies, ties broken by canonical order.
// Validate guarantees there is no cycle; Order panics if there is one.
func (p *Plan) Order() []*Change {
	idx := make(map[string]int, len(p.Changes))
	for i, c := range p.Changes {
		idx[c.Address] = i
	}
	state := make([]int8, len(p.Changes)) // 0 new, 1 visiting, 2 done
	var out []*Change
	var visit func(i int)
	visit = func(i int) {
		switch state[i] {
		case 1:
			panic("plan: dependency cycle at " + p.Changes[i].Address)
		case 2:
			return
		}
		state[i] = 1
		for _, d := range p.Changes[i].DependsOn {
			if j, ok := idx[d]; ok {
				visit(j)
			}
		}
		state[i] = 2
		out = append(out, &p.Changes[i])
	}
	for i := range p.Changes {
		visit(i)
	}
	return out
}
