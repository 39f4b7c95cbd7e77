package catalog

import "time"

// TableKind says what sort of relation a Table is.
type TableKind string

const (
	TableRegular     TableKind = "table"       // ordinary heap table (may be a partition or an inheritance child)
	TablePartitioned TableKind = "partitioned" // partitioned parent: holds no rows itself
	TableForeign     TableKind = "foreign"     // foreign table (FDW)
)

// Table is a relation that stores (or, for a partitioned parent, routes) rows.
type Table struct {
	Schema string    `json:"schema"`
	Name   string    `json:"name"`
	Kind   TableKind `json:"kind"`
	// Unlogged is true for UNLOGGED tables (contents are lost on crash).
	Unlogged bool `json:"unlogged,omitempty"`
	// PartitionKey is pg_get_partkeydef for a partitioned parent, e.g. "RANGE (created_at)".
	PartitionKey string `json:"partition_key,omitempty"`
	// PartitionOf names the parent when this table is a partition; PartitionBound is its
	// bound expression, e.g. "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')".
	PartitionOf    *QualifiedName `json:"partition_of,omitempty"`
	PartitionBound string         `json:"partition_bound,omitempty"`
	// Inherits lists the parents of a classic inheritance child (not partitions), in order.
	Inherits []QualifiedName `json:"inherits,omitempty"`
	// HasInheritanceChildren is true when other tables inherit from this one
	// (classic inheritance, not partitions).
	HasInheritanceChildren bool `json:"has_inheritance_children,omitempty"`

	Columns     []*Column    `json:"columns"`
	PrimaryKey  *Constraint  `json:"primary_key,omitempty"`
	Constraints []Constraint `json:"constraints,omitempty"` // unique, foreign, check, exclusion; by name
	Indexes     []Index      `json:"indexes,omitempty"`
	Triggers    []Trigger    `json:"triggers,omitempty"`
	Rules       []Rule       `json:"rules,omitempty"`
	RowSecurity bool         `json:"row_security,omitempty"`
	Comment     string       `json:"comment,omitempty"`

	// CanSelect is false when the connecting role lacks SELECT on the table
	// or USAGE on its schema (profiling and extraction will fail).
	CanSelect bool `json:"-"`

	Stats   Volumetrics   `json:"stats"`
	Profile *TableProfile `json:"profile,omitempty"`
}

// QualifiedName returns schema.name of the table.
func (t *Table) QualifiedName() QualifiedName { return QualifiedName{Schema: t.Schema, Name: t.Name} }

// Column returns the column with the given name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// IsPartition is true when the table is a partition of a partitioned parent.
func (t *Table) IsPartition() bool { return t.PartitionOf != nil }

// Volumetrics are size and activity facts. Estimates come from the
// planner statistics and may be stale; ExactRows is set only when the
// rows were counted (a full profiling scan counts them). Byte sizes are
// those of the main data files (heap, TOAST heap, each index); free-space
// and visibility maps are not counted.
type Volumetrics struct {
	EstimatedRows int64      `json:"estimated_rows"` // pg_class.reltuples; -1 when never analyzed (PG14+)
	ExactRows     *int64     `json:"exact_rows,omitempty"`
	HeapBytes     int64      `json:"heap_bytes"`
	ToastBytes    int64      `json:"toast_bytes"`
	IndexBytes    int64      `json:"index_bytes"`
	LastVacuum    *time.Time `json:"last_vacuum,omitempty"`  // latest of manual and auto vacuum
	LastAnalyze   *time.Time `json:"last_analyze,omitempty"` // latest of manual and auto analyze
}

// TotalBytes is heap + toast + index bytes.
func (v Volumetrics) TotalBytes() int64 { return v.HeapBytes + v.ToastBytes + v.IndexBytes }

// IdentityKind is the kind of an identity column.
type IdentityKind string

const (
	IdentityNone      IdentityKind = ""
	IdentityAlways    IdentityKind = "always"
	IdentityByDefault IdentityKind = "by_default"
)

// GeneratedKind is the kind of a generated column.
type GeneratedKind string

const (
	GeneratedNone   GeneratedKind = ""
	GeneratedStored GeneratedKind = "stored"
)

// Column is one column of a table, view or composite type.
type Column struct {
	Name     string `json:"name"`
	Position int    `json:"position"` // attnum (1-based; gaps where columns were dropped)
	Type     *Type  `json:"type"`
	NotNull  bool   `json:"not_null,omitempty"`
	// Default is the default expression as PostgreSQL prints it
	// (pg_get_expr), e.g. "nextval('s'::regclass)"; empty when none.
	Default string `json:"default,omitempty"`
	// Identity and Generated describe identity / generated columns;
	// GenerationExpression is the expression of a generated column.
	Identity             IdentityKind  `json:"identity,omitempty"`
	Generated            GeneratedKind `json:"generated,omitempty"`
	GenerationExpression string        `json:"generation_expression,omitempty"`
	// Sequence is the sequence owned by this column (serial or identity).
	Sequence *QualifiedName `json:"sequence,omitempty"`
	// Collation is set only when it differs from the type's default.
	Collation string `json:"collation,omitempty"`
	Comment   string `json:"comment,omitempty"`
	// Profile holds the measured value facts; nil when not profiled.
	Profile *ColumnProfile `json:"profile,omitempty"`
}
