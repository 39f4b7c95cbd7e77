package plan

import "time"

// FormatVersion is the version of the JSON form this package writes and
// the newest it reads. Bump the minor for additive changes (new optional
// fields, new reason or warning codes), the major for anything an older
// reader would misread.
const FormatVersion = "1.0"

// FileKind marks a pgsnow plan file, so that a state file or another JSON
// given to apply is refused with a clear message.
const FileKind = "pgsnow_plan"

// Mode is how the plan was made.
type Mode string

const (
	ModeNormal      Mode = "normal"       // changes to reach the spec
	ModeRefreshOnly Mode = "refresh-only" // drift is reported, nothing else is planned
)

// Plan is one reviewable change set.
type Plan struct {
	FormatVersion string    `json:"format_version"`
	Kind          string    `json:"kind"` // FileKind
	PgsnowVersion string    `json:"pgsnow_version"`
	CreatedAt     time.Time `json:"created_at"`
	Mode          Mode      `json:"mode"`
	// AllowDestroy records -allow-destroy; without it the plan holds no Delete.
	AllowDestroy bool `json:"allow_destroy"`
	// Targets are the -target addresses the plan was limited to (sorted).
	Targets []string `json:"targets,omitempty"`

	// State is the state the plan was made against: apply refuses the plan
	// when the state's lineage or serial differ.
	State StateRef `json:"state"`
	// Target and Sources say where apply connects. Secrets are never part
	// of them: apply takes those from the environment or the spec's
	// secret references at apply time.
	Target  TargetRef   `json:"target"`
	Sources []SourceRef `json:"sources"`
	// Fingerprints are the source tables as the plan saw them (sorted by
	// table); apply refuses the plan when any changed.
	Fingerprints []Fingerprint `json:"source_fingerprints"`

	// Drift lists objects changed outside pgsnow since the last apply
	// (what the state recorded versus what Snowflake has now).
	Drift []Drift `json:"drift"`
	// Changes are every managed object and every table load, no-ops
	// included, in canonical order (see Sort).
	Changes  []Change  `json:"changes"`
	Warnings []Warning `json:"warnings"`
	// Summary is derived from Changes; Marshal recomputes it and Unmarshal
	// refuses a file whose summary does not match its changes.
	Summary Summary `json:"summary"`
}

// StateRef identifies the state a plan builds on. Backend describes where
// it lives without secrets ("local: pgsnow.tfstate", "postgres: host/db").
type StateRef struct {
	Lineage string `json:"lineage"` // empty when no state existed yet
	Serial  int64  `json:"serial"`
	Backend string `json:"backend,omitempty"`
}

// TargetRef is the Snowflake connection identity, never its secrets.
type TargetRef struct {
	Name       string `json:"name"` // the spec's target block name
	Account    string `json:"account,omitempty"`
	Host       string `json:"host,omitempty"`
	Port       int    `json:"port,omitempty"`
	Protocol   string `json:"protocol,omitempty"`
	User       string `json:"user"`
	Role       string `json:"role,omitempty"`
	Warehouse  string `json:"warehouse,omitempty"`
	Database   string `json:"database"`
	AuthMethod string `json:"auth_method"` // password | oauth | keypair: which secret apply will need
}

// SourceRef is one PostgreSQL source's identity, never its password.
// SystemIdentifier (pg_control_system()) lets apply notice that the same
// host name now points at another cluster.
type SourceRef struct {
	Name             string `json:"name"` // the spec's source block name
	Host             string `json:"host"`
	Port             int    `json:"port"`
	Database         string `json:"database"`
	User             string `json:"user"`
	SystemIdentifier string `json:"system_identifier,omitempty"`
	ServerVersion    string `json:"server_version,omitempty"`
}

// Change is one action on one object or one table load.
type Change struct {
	Address string `json:"address"`
	Kind    Kind   `json:"kind"`
	// Name is the identifier parts exactly as Snowflake stores them
	// (database, schema, object), or source, schema, table for a load.
	Name    []string `json:"name"`
	Action  Action   `json:"action"`
	Reasons []Reason `json:"reasons,omitempty"`
	// DependsOn are addresses of changes that must finish first (sorted).
	DependsOn []string `json:"depends_on,omitempty"`
	// DDL are the statements apply runs for this change, in order (for a
	// reload, the TRUNCATE; the COPY INTO per chunk is made at apply time
	// from the staged file names).
	DDL []string `json:"ddl,omitempty"`
	// Before is the object as it is now (nil for Create), After as it will
	// be (nil for Delete). Both are set for Update and Replace.
	Before *Attributes `json:"before,omitempty"`
	After  *Attributes `json:"after,omitempty"`
	// Load is set for kind load.
	Load *LoadDetail `json:"load,omitempty"`
}

// Reason says why a change is planned. Code is stable for machines
// (see Reason* constants; new codes may appear in a minor version),
// Message is for people.
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Reason codes the planner uses. Drift codes start with "drift_".
const (
	ReasonNew             = "new"               // in the spec/source, not in Snowflake nor the state
	ReasonRemovedFromSpec = "removed_from_spec" // pgsnow created it, the spec no longer wants it
	ReasonColumnAdded     = "source_column_added"
	ReasonColumnRemoved   = "source_column_removed"
	ReasonColumnType      = "source_column_type_changed"
	ReasonTypeMapping     = "type_mapping_changed" // overrides or profile changed the Snowflake type
	ReasonSourceRows      = "source_rows_changed"  // row estimate or pg_stat counters moved since the load
	ReasonSourceRewritten = "source_rewritten"     // relfilenode changed (TRUNCATE, VACUUM FULL, CLUSTER)
	ReasonLoadIncomplete  = "load_incomplete"      // a previous load stopped part way
	ReasonNotLoaded       = "not_loaded"
	ReasonTargetRecreated = "target_recreated" // the table is created or replaced, so its data must be loaded
	ReasonDriftDropped    = "drift_dropped"
	ReasonDriftColumn     = "drift_column_changed"
	ReasonDriftDefinition = "drift_definition_changed"
)

// Attributes describe an object's shape for review.
type Attributes struct {
	// Definition is the object's full CREATE statement (as last run, or
	// as it would be created now); renderers diff Before against After.
	Definition string   `json:"definition,omitempty"`
	Columns    []Column `json:"columns,omitempty"`
	Comment    string   `json:"comment,omitempty"`
}

// Column is one column of a table or view, Snowflake side.
type Column struct {
	Name     string `json:"name"`
	Type     string `json:"type"` // e.g. NUMBER(38,0)
	Nullable bool   `json:"nullable"`
	Default  string `json:"default,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// LoadDetail is the data movement of one source table.
type LoadDetail struct {
	// Source is the source table; Target the address of the table loaded into.
	Source         TableRef `json:"source"`
	Target         string   `json:"target"`
	Format         string   `json:"format"`                // csv | parquet
	Compression    string   `json:"compression,omitempty"` // zstd | gzip | none
	EstimatedRows  int64    `json:"estimated_rows"`
	EstimatedBytes int64    `json:"estimated_bytes"`
	// Columns is the column mapping the extraction and COPY will use.
	Columns []ColumnMapping `json:"columns"`
	Chunks  []Chunk         `json:"chunks"`
}

// TableRef names a source table: the spec's source name, schema, table.
type TableRef struct {
	Source string `json:"source"`
	Schema string `json:"schema"`
	Table  string `json:"table"`
}

// String is source.schema.table, quoted like a load address.
func (t TableRef) String() string {
	return Address(KindLoad, t.Source, t.Schema, t.Table)[len(KindLoad)+1:]
}

// ColumnMapping pairs a source column with its Snowflake column.
type ColumnMapping struct {
	Source     string `json:"source"`
	SourceType string `json:"source_type"` // as PostgreSQL declares it
	Target     string `json:"target"`
	TargetType string `json:"target_type"`
	// Rationale is the type mapping's one-line why.
	Rationale string `json:"rationale,omitempty"`
	// Override is set when the user's override decided the type; Lossy
	// when that override can change values (allow_lossy).
	Override bool `json:"override,omitempty"`
	Lossy    bool `json:"lossy,omitempty"`
}

// Chunk is one load unit: a range of the source table extracted into one
// file. By is "ctid" (block numbers), "pk" (key values) or "full"; From
// is inclusive, To exclusive, empty means open.
type Chunk struct {
	Index          int    `json:"index"`
	By             string `json:"by"`
	From           string `json:"from,omitempty"`
	To             string `json:"to,omitempty"`
	EstimatedRows  int64  `json:"estimated_rows"`
	EstimatedBytes int64  `json:"estimated_bytes"`
}

// Drift is an object that differs from what pgsnow last did to it.
type Drift struct {
	Address string      `json:"address"`
	Reasons []Reason    `json:"reasons"`
	Before  *Attributes `json:"before,omitempty"` // as the state recorded it
	After   *Attributes `json:"after,omitempty"`  // as Snowflake has it now; nil when dropped
}

// Warning is something a reviewer must see; it does not stop apply.
type Warning struct {
	Code    string `json:"code"`
	Address string `json:"address,omitempty"`
	Message string `json:"message"`
}

// Warning codes.
const (
	WarnLossyOverride = "lossy_override"
	WarnStaleStats    = "stale_statistics" // row estimates from a table never analyzed
	WarnRisk          = "type_risk"        // a mapping the type mapping rates medium or high risk
)
