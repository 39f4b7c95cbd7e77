package postgres

import "path"

// Filter selects what to introspect. It is applied to the list of
// relations before any per-table query, so excluded tables cost nothing.
type Filter struct {
	// Schemas to read; empty means every non-system schema.
	Schemas []string
	// Include and Exclude are path.Match globs on "schema.table". A
	// relation is selected when its schema is selected, Include is empty
	// or some Include pattern matches, and no Exclude pattern matches.
	Include []string
	Exclude []string
}

// SchemaSelected reports whether schema is read.
func (f Filter) SchemaSelected(schema string) bool {
	if len(f.Schemas) == 0 {
		return true
	}
	for _, s := range f.Schemas {
		if s == schema {
			return true
		}
	}
	return false
}

// Match reports whether schema.table is selected.
func (f Filter) Match(schema, table string) bool {
	if !f.SchemaSelected(schema) {
		return false
	}
	name := schema + "." + table
	if len(f.Include) > 0 && !matchAny(f.Include, name) {
		return false
	}
	return !matchAny(f.Exclude, name)
}

func matchAny(globs []string, name string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}
