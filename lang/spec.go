package lang

import (
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/pgsnow/pgsnow/lang/sftype"
)

// Spec is a decoded, statically checked migration spec. Ranges point into
// the spec files so later stages (planner, CLI) can report against them.
type Spec struct {
	// Dir is the directory the spec was loaded from ("" for Parse); relative
	// paths in the spec are resolved against it (see Spec.Path).
	Dir           string          `json:"-"`
	Sources       []*Source       `json:"sources"`
	Target        *Target         `json:"target"`
	State         State           `json:"state"`
	Settings      Settings        `json:"settings"`
	Tables        []*Table        `json:"tables,omitempty"`
	TypeOverrides []*TypeOverride `json:"type_overrides,omitempty"`
}

// Decl carries the source ranges of one block: the whole block header and
// every attribute that was set (name → value expression range). Both are
// zero for a block that was not written (default state and settings).
type Decl struct {
	DeclRange hcl.Range            `json:"-"`
	Attrs     map[string]hcl.Range `json:"-"`
}

// Range returns the range of attribute attr, or the block's DeclRange when
// the attribute was not set, so a diagnostic always has a place to point.
func (d Decl) Range(attr string) hcl.Range {
	if r, ok := d.Attrs[attr]; ok {
		return r
	}
	return d.DeclRange
}

// Source is a `source "postgres" "<name>"` block.
type Source struct {
	Decl
	Type      string    `json:"type"`
	Name      string    `json:"name"`
	NameRange hcl.Range `json:"-"`
	// Either DSN, or the separate connection parameters below.
	DSN      Secret `json:"dsn,omitempty"`
	Host     string `json:"host,omitempty"`
	Port     int    `json:"port,omitempty"`
	Database string `json:"database,omitempty"`
	User     string `json:"user,omitempty"`
	Password Secret `json:"password,omitempty"`
	SSLMode  string `json:"sslmode,omitempty"`
	// Schemas to migrate (default ["public"]).
	Schemas []string `json:"schemas"`
	// IncludeTables / ExcludeTables are path.Match globs on "schema.table".
	IncludeTables []string `json:"include_tables"`
	ExcludeTables []string `json:"exclude_tables,omitempty"`
	// SchemaMap renames source schemas in the target.
	SchemaMap map[string]string `json:"schema_map,omitempty"`
}

// Target is the `target "snowflake" "<name>"` block.
type Target struct {
	Decl
	Type      string `json:"type"`
	Name      string `json:"name"`
	Account   string `json:"account"`
	Database  string `json:"database"`
	Warehouse string `json:"warehouse,omitempty"`
	Role      string `json:"role,omitempty"`
	User      string `json:"user,omitempty"`
	Host      string `json:"host,omitempty"`
	Port      int    `json:"port"`
	Protocol  string `json:"protocol"`
	Auth      Auth   `json:"auth"`
}

// Auth is the target's `auth` block.
type Auth struct {
	Decl
	Method string `json:"method"` // password | oauth | keypair
	// password
	Password Secret `json:"password,omitempty"`
	// oauth: a ready token, a token file re-read on expiry, or a client
	// credentials grant against an OAuth server (Okta or any RFC 6749 server).
	Token     Secret `json:"token,omitempty"`
	TokenFile string `json:"token_file,omitempty"`
	Issuer    string `json:"issuer,omitempty"`
	TokenURL  string `json:"token_url,omitempty"`
	// AuthorizationURL is the browser login endpoint for `pgsnow login` when
	// token_url (not issuer) names the server.
	AuthorizationURL string   `json:"authorization_url,omitempty"`
	ClientID         string   `json:"client_id,omitempty"`
	ClientSecret     Secret   `json:"client_secret,omitempty"`
	Scopes           []string `json:"scopes,omitempty"`
	// keypair
	PrivateKeyPath string `json:"private_key_path,omitempty"`
	PrivateKey     Secret `json:"private_key,omitempty"`
	Passphrase     Secret `json:"passphrase,omitempty"`
}

// State is the `state "<backend>"` block.
type State struct {
	Decl
	Backend string `json:"backend"` // local | postgres
	Path    string `json:"path,omitempty"`
	DSN     Secret `json:"dsn,omitempty"`
	Table   string `json:"table,omitempty"`
}

// Settings is the `settings` block with defaults applied.
type Settings struct {
	Decl
	Parallelism    int    `json:"parallelism"`
	Format         string `json:"format"`
	Compression    string `json:"compression"`
	ChunkRows      int64  `json:"chunk_rows"`
	ChunkSize      int64  `json:"chunk_size"`
	ChunkBy        string `json:"chunk_by"`
	IdentifierCase string `json:"identifier_case"`
	KeepFiles      bool   `json:"keep_files"`
	SpillDir       string `json:"spill_dir,omitempty"`
	// StageEncryption is the stage's ENCRYPTION TYPE in lower case:
	// snowflake_full (client-side too, Snowflake's default) or snowflake_sse.
	StageEncryption      string  `json:"stage_encryption"`
	Profile              bool    `json:"profile"`
	ProfileSamplePercent float64 `json:"profile_sample_percent"`
	Retry                Retry   `json:"retry"`
}

// Retry is the `retry` block inside settings.
type Retry struct {
	Decl
	Attempts   int           `json:"attempts"`
	MinBackoff time.Duration `json:"min_backoff"`
	MaxBackoff time.Duration `json:"max_backoff"`
}

// Table is a `table "<source>.<schema>.<table>"` block: per-table overrides.
// Nil pointers and empty strings mean "inherit from settings".
type Table struct {
	Decl
	Address              TableAddress `json:"address"`
	AddressRange         hcl.Range    `json:"-"`
	ChunkRows            *int64       `json:"chunk_rows,omitempty"`
	ChunkSize            *int64       `json:"chunk_size,omitempty"`
	ChunkBy              string       `json:"chunk_by,omitempty"`
	Where                string       `json:"where,omitempty"`
	Profile              *bool        `json:"profile,omitempty"`
	ProfileSamplePercent *float64     `json:"profile_sample_percent,omitempty"`
	TargetName           string       `json:"target_name,omitempty"`
	Columns              []*Column    `json:"columns,omitempty"`
}

// Column is a `column "<name>"` block inside a table block.
type Column struct {
	Decl
	Name      string    `json:"name"`
	NameRange hcl.Range `json:"-"`
	// Type is the Snowflake type as written; SFType its parsed form (nil
	// when no type is set).
	Type       string       `json:"type,omitempty"`
	SFType     *sftype.Type `json:"sf_type,omitempty"`
	TypeRange  hcl.Range    `json:"-"`
	AllowLossy bool         `json:"allow_lossy"`
	TargetName string       `json:"target_name,omitempty"`
}

// TypeOverride is a `type_override "<postgres type>"` block.
type TypeOverride struct {
	Decl
	// PostgresType is the label as written; Name its canonical form (see
	// CanonicalPostgresType), which is what the planner matches on.
	PostgresType string       `json:"postgres_type"`
	Name         string       `json:"name"`
	LabelRange   hcl.Range    `json:"-"`
	Type         string       `json:"type"`
	SFType       *sftype.Type `json:"sf_type,omitempty"`
	TypeRange    hcl.Range    `json:"-"`
	AllowLossy   bool         `json:"allow_lossy"`
}
