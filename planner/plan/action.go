package plan

import (
	"fmt"
	"regexp"
	"strings"
)

// Action is what apply does to one object or one table load.
type Action string

const (
	NoOp    Action = "no-op"   // nothing to do; listed so the plan shows every managed object
	Create  Action = "create"  // object does not exist yet
	Update  Action = "update"  // changed in place (ALTER: add column, widen type, comment)
	Replace Action = "replace" // dropped and created again; only when no ALTER can do it (Reasons say why)
	Delete  Action = "delete"  // dropped; only objects pgsnow created, only with allow-destroy
	Load    Action = "load"    // table data loaded into an empty (or new) table
	Reload  Action = "reload"  // table emptied and loaded again (Reasons say why)
)

// Kind is the kind of thing a change acts on. The values equal the state
// package's kinds, which are also the first part of an address.
type Kind string

const (
	KindDatabase   Kind = "snowflake_database"
	KindSchema     Kind = "snowflake_schema"
	KindTable      Kind = "snowflake_table"
	KindView       Kind = "snowflake_view"
	KindSequence   Kind = "snowflake_sequence"
	KindStage      Kind = "snowflake_stage"
	KindFileFormat Kind = "snowflake_file_format"
	KindLoad       Kind = "load" // the data of one source table; Name is source, schema, table
)

// kindRank orders changes in the JSON and in the renderers: containers
// before their contents, loads last. Dependencies, not this order, decide
// what apply runs first.
var kindRank = map[Kind]int{
	KindDatabase: 0, KindSchema: 1, KindFileFormat: 2, KindStage: 3,
	KindSequence: 4, KindTable: 5, KindView: 6, KindLoad: 7,
}

var nameParts = map[Kind]int{
	KindDatabase: 1, KindSchema: 2, KindTable: 3, KindView: 3,
	KindSequence: 3, KindStage: 3, KindFileFormat: 3, KindLoad: 3,
}

// Valid reports whether a is an action this version knows.
func (a Action) Valid() bool {
	switch a {
	case NoOp, Create, Update, Replace, Delete, Load, Reload:
		return true
	}
	return false
}

// AllowedFor reports whether action a makes sense for kind k: loads take
// load actions, objects take object actions, both can be no-op.
func (a Action) AllowedFor(k Kind) bool {
	if a == NoOp {
		return true
	}
	if k == KindLoad {
		return a == Load || a == Reload
	}
	return a == Create || a == Update || a == Replace || a == Delete
}

// Valid reports whether k is a kind this version knows.
func (k Kind) Valid() bool { _, ok := nameParts[k]; return ok }

var plainPart = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*$`)

// Address spells kind.part.part…, double-quoting parts that are not plain
// identifiers (quotes doubled), exactly as state.ObjectAddress does.
func Address(k Kind, parts ...string) string {
	var b strings.Builder
	b.WriteString(string(k))
	for _, p := range parts {
		b.WriteByte('.')
		if plainPart.MatchString(p) {
			b.WriteString(p)
		} else {
			b.WriteString(`"` + strings.ReplaceAll(p, `"`, `""`) + `"`)
		}
	}
	return b.String()
}

// checkAddress verifies that addr is the address of kind k and name parts.
func checkAddress(addr string, k Kind, name []string) error {
	if want := nameParts[k]; len(name) != want {
		return fmt.Errorf("%s: a %s has %d name parts, not %d", addr, k, want, len(name))
	}
	if got := Address(k, name...); got != addr {
		return fmt.Errorf("address %q does not match kind %s and name %q (want %q)", addr, k, name, got)
	}
	return nil
}
