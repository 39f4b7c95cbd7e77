package typemap

import (
	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

// Risk grades what could go wrong with a decision.
type Risk string

const (
	RiskNone   Risk = "none"   // every value arrives unchanged, semantics kept
	RiskLow    Risk = "low"    // values unchanged; some semantics differ (case-insensitivity, padding, enum order)
	RiskMedium Risk = "medium" // values unchanged but checks were incomplete (sampled or skipped profile) or a representation changes (JSON as VARIANT)
	RiskHigh   Risk = "high"   // a value may not survive unchanged: lossy override accepted, or an unchecked narrowing
)

var riskOrder = map[Risk]int{RiskNone: 0, RiskLow: 1, RiskMedium: 2, RiskHigh: 3}

func maxRisk(a, b Risk) Risk {
	if riskOrder[b] > riskOrder[a] {
		return b
	}
	return a
}

// Model is the mapped database: everything DDL, extraction, validation and
// the artifacts need.
type Model struct {
	IdentifierCase string    `json:"identifier_case"`
	Schemas        []*Schema `json:"schemas"`
	// Notes are things the plan must report that are not errors: dropped
	// defaults, views not translated, skipped partitions, ...
	Notes []Note `json:"notes,omitempty"`
}

// Note is a reported fact about one object.
type Note struct {
	Object string `json:"object"` // schema.table[.column] in source names
	Text   string `json:"text"`
}

// Schema is one target schema.
type Schema struct {
	Source    string      `json:"source"`
	Target    string      `json:"target"`
	Comment   string      `json:"comment,omitempty"`
	Tables    []*Table    `json:"tables"`
	Sequences []*Sequence `json:"sequences,omitempty"`
	Views     []*View     `json:"views,omitempty"`
}

// Table is one target table and how to fill it.
type Table struct {
	Source *catalog.Table `json:"-"`
	// SourceName is schema.table in PostgreSQL; Target the Snowflake name.
	SourceName catalog.QualifiedName `json:"source"`
	Schema     string                `json:"target_schema"`
	Target     string                `json:"target"`
	Columns    []*Decision           `json:"columns"`
	// Only is true when extraction must read FROM ONLY (every plain table:
	// inheritance children are migrated as their own tables). False for
	// partitioned parents, whose rows live in the partitions.
	Only bool `json:"only"`
	// Partitions are the partitions folded into this parent.
	Partitions  []catalog.QualifiedName `json:"partitions,omitempty"`
	Constraints []Constraint            `json:"constraints,omitempty"`
	Comment     string                  `json:"comment,omitempty"`
	// ProfileMethod is how the profile was obtained ("" when none).
	ProfileMethod catalog.ProfileMethod `json:"profile_method,omitempty"`
}

// Constraint is an informational PK/UNIQUE/FK in target names.
type Constraint struct {
	Name       string   `json:"name"`
	Kind       string   `json:"kind"` // PRIMARY KEY, UNIQUE, FOREIGN KEY
	Columns    []string `json:"columns"`
	RefSchema  string   `json:"ref_schema,omitempty"`
	RefTable   string   `json:"ref_table,omitempty"`
	RefColumns []string `json:"ref_columns,omitempty"`
}

// Decision is the complete fate of one column.
type Decision struct {
	Column     string      `json:"source"`
	Target     string      `json:"target"`
	SourceType string      `json:"source_type"` // format_type as PostgreSQL prints it
	Type       sftype.Type `json:"target_type"`
	NotNull    bool        `json:"not_null"`
	Rationale  string      `json:"rationale"`
	Risk       Risk        `json:"risk"`
	// Override is the override that chose Type, nil when none applied.
	Override *AppliedOverride `json:"override,omitempty"`
	// Default is the translated Snowflake default ("" when none).
	Default string `json:"default,omitempty"`
	Comment string `json:"comment,omitempty"`
	// Extract is the PostgreSQL expression in COPY (SELECT …) for this
	// column, valid in the session of ExtractSession.
	Extract string `json:"extract"`
	// Check is how validation compares the column (see Validation).
	Check Validation `json:"validation"`
}

// AppliedOverride records which override chose the type.
type AppliedOverride struct {
	Kind       string `json:"kind"` // "column" or "type"
	Type       string `json:"type"` // as written
	AllowLossy bool   `json:"allow_lossy,omitempty"`
	// Loss lists what the override loses (accepted with allow_lossy).
	Loss []string `json:"loss,omitempty"`
}

// Sequence is a target sequence that continues the source's.
type Sequence struct {
	SourceName catalog.QualifiedName `json:"source"`
	Schema     string                `json:"target_schema"`
	Target     string                `json:"target"`
	Start      int64                 `json:"start"`
	Increment  int64                 `json:"increment"`
	Comment    string                `json:"comment,omitempty"`
}

// View is a view whose SQL was translated.
type View struct {
	SourceName catalog.QualifiedName `json:"source"`
	Schema     string                `json:"target_schema"`
	Target     string                `json:"target"`
	Query      string                `json:"query"`
	Comment    string                `json:"comment,omitempty"`
}

// QualifiedSource is "schema.table.column" for messages.
func (t *Table) qualified(col string) string { return t.SourceName.String() + "." + col }
