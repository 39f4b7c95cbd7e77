package catalog

// ConstraintKind is the kind of a table constraint.
type ConstraintKind string

const (
	ConstraintPrimaryKey ConstraintKind = "primary_key"
	ConstraintUnique     ConstraintKind = "unique"
	ConstraintForeignKey ConstraintKind = "foreign_key"
	ConstraintCheck      ConstraintKind = "check"
	ConstraintExclusion  ConstraintKind = "exclusion"
)

// Constraint is a table constraint. Columns are in key order (empty for
// a CHECK that references none by key, e.g. expression-only checks).
type Constraint struct {
	Name    string         `json:"name"`
	Kind    ConstraintKind `json:"kind"`
	Columns []string       `json:"columns,omitempty"`
	// Definition is pg_get_constraintdef: "PRIMARY KEY (id)",
	// "CHECK ((price >= (0)::numeric))", "EXCLUDE USING gist (...)".
	Definition string `json:"definition"`
	// Foreign key target and actions (Kind == ConstraintForeignKey).
	References        *QualifiedName `json:"references,omitempty"`
	ReferencedColumns []string       `json:"referenced_columns,omitempty"`
	OnUpdate          string         `json:"on_update,omitempty"` // "no action", "restrict", "cascade", "set null", "set default"
	OnDelete          string         `json:"on_delete,omitempty"`
	MatchType         string         `json:"match_type,omitempty"` // "simple", "full", "partial"
	Deferrable        bool           `json:"deferrable,omitempty"`
	InitiallyDeferred bool           `json:"initially_deferred,omitempty"`
	// NotValid is true for constraints added NOT VALID and never validated.
	NotValid bool `json:"not_valid,omitempty"`
	// Inherited is true when the constraint comes from a parent table
	// (partition or inheritance child).
	Inherited bool `json:"inherited,omitempty"`
}

// Index is a table index. Constraint-backing indexes (PK, UNIQUE,
// EXCLUDE) are listed too, with Constraint set to the constraint's name.
type Index struct {
	Name       string   `json:"name"`
	Method     string   `json:"method"` // btree, hash, gist, gin, brin, ...
	Unique     bool     `json:"unique,omitempty"`
	Primary    bool     `json:"primary,omitempty"`
	Columns    []string `json:"columns"` // column names or expressions, in key order
	Predicate  string   `json:"predicate,omitempty"`
	Definition string   `json:"definition"` // pg_get_indexdef
	Constraint string   `json:"constraint,omitempty"`
	Valid      bool     `json:"valid"`
}

// Trigger is a user trigger on a table (internal ones are omitted).
type Trigger struct {
	Name       string `json:"name"`
	Definition string `json:"definition"` // pg_get_triggerdef
	Enabled    bool   `json:"enabled"`
}

// Rule is a rewrite rule on a table or view (the implicit _RETURN rule of
// views is omitted).
type Rule struct {
	Name       string `json:"name"`
	Definition string `json:"definition"` // pg_get_ruledef
}
