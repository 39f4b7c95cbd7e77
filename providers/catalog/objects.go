package catalog

// Sequence is a sequence, standalone or owned by a column (serial/identity).
type Sequence struct {
	Schema    string `json:"schema"`
	Name      string `json:"name"`
	DataType  string `json:"data_type"` // smallint, integer or bigint
	Start     int64  `json:"start"`
	Increment int64  `json:"increment"`
	Min       int64  `json:"min"`
	Max       int64  `json:"max"`
	Cache     int64  `json:"cache"`
	Cycle     bool   `json:"cycle,omitempty"`
	// LastValue is the last value handed out; nil when the sequence was
	// never used or the role may not read it.
	LastValue *int64 `json:"last_value,omitempty"`
	// OwnedBy is the column that owns the sequence (serial or identity).
	OwnedBy *ColumnRef `json:"owned_by,omitempty"`
	// Identity is true for the implicit sequence of an identity column.
	Identity bool   `json:"identity,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// ColumnRef names a column of a table.
type ColumnRef struct {
	Schema string `json:"schema"`
	Table  string `json:"table"`
	Column string `json:"column"`
}

// ViewKind distinguishes views from materialized views.
type ViewKind string

const (
	ViewPlain        ViewKind = "view"
	ViewMaterialized ViewKind = "materialized_view"
)

// View is a view or materialized view with its definition.
type View struct {
	Schema     string    `json:"schema"`
	Name       string    `json:"name"`
	Kind       ViewKind  `json:"kind"`
	Definition string    `json:"definition"` // pg_get_viewdef (PostgreSQL SQL; needs translation)
	Columns    []*Column `json:"columns"`
	// Populated is false for a materialized view created WITH NO DATA.
	Populated bool        `json:"populated,omitempty"`
	Comment   string      `json:"comment,omitempty"`
	Rules     []Rule      `json:"rules,omitempty"`
	Triggers  []Trigger   `json:"triggers,omitempty"`
	Stats     Volumetrics `json:"stats"`
}

// RoutineKind is the kind of a routine.
type RoutineKind string

const (
	RoutineFunction  RoutineKind = "function"
	RoutineProcedure RoutineKind = "procedure"
	RoutineAggregate RoutineKind = "aggregate"
	RoutineWindow    RoutineKind = "window"
)

// Routine is a user function or procedure (extension members omitted).
// pgsnow never moves routines; they are listed so that the analysis can
// say so.
type Routine struct {
	Name      string      `json:"name"`
	Kind      RoutineKind `json:"kind"`
	Arguments string      `json:"arguments"` // pg_get_function_identity_arguments
	Language  string      `json:"language"`
	Returns   string      `json:"returns,omitempty"`
}
