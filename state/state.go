package state

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// FormatVersion is the version of the state file format this pgsnow writes
// and the newest it reads. Bump it on any change an older pgsnow would
// misread, and teach Decode to upgrade the older versions.
const FormatVersion = 1

// State is everything pgsnow remembers between runs.
type State struct {
	// FormatVersion is the file format version (FormatVersion when written).
	FormatVersion int `json:"format_version"`
	// Lineage identifies this state for its whole life: made once by New,
	// never changed. A plan made against one lineage never applies to another.
	Lineage string `json:"lineage"`
	// Serial counts writes: a Manager's Write stores Serial+1 and refuses a
	// state whose Serial is not the stored one (someone else wrote since).
	Serial int64 `json:"serial"`
	// PgsnowVersion is the version of pgsnow that wrote the state last.
	PgsnowVersion string `json:"pgsnow_version"`
	// Objects are the Snowflake objects pgsnow created, by address
	// (ObjectAddress). encoding/json writes map keys sorted.
	Objects map[string]*Object `json:"objects"`
	// Loads are the table loads, by address (LoadAddress).
	Loads map[string]*Load `json:"loads"`
}

// Kind is the kind of a Snowflake object in the state; it is also the first
// part of the object's address.
type Kind string

const (
	KindDatabase   Kind = "snowflake_database"
	KindSchema     Kind = "snowflake_schema"
	KindTable      Kind = "snowflake_table"
	KindView       Kind = "snowflake_view"
	KindSequence   Kind = "snowflake_sequence"
	KindStage      Kind = "snowflake_stage"
	KindFileFormat Kind = "snowflake_file_format"
	// KindLoad is the address prefix of table loads (not an object kind).
	KindLoad Kind = "load"
)

// Object is one Snowflake object pgsnow created.
type Object struct {
	Kind Kind `json:"kind"`
	// Name is the object's identifier parts as Snowflake stores them
	// (database, schema, name), unquoted.
	Name []string `json:"name"`
	// DDL is the statement pgsnow last ran for the object (CREATE or the
	// latest ALTER), and DDLSHA256 its SHA-256 in hex.
	DDL       string `json:"ddl"`
	DDLSHA256 string `json:"ddl_sha256"`
	// Columns are a table's columns as created, for drift detection.
	Columns []Column `json:"columns,omitempty"`
	// Source is the source table ("source.schema.table") a table was made
	// from; empty for other objects.
	Source    string    `json:"source,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Column is one column of a created table.
type Column struct {
	Name     string `json:"name"`
	Type     string `json:"type"` // Snowflake type, e.g. NUMBER(38,0)
	Nullable bool   `json:"nullable"`
}

// LoadStatus is where a table load stands.
type LoadStatus string

const (
	LoadPending LoadStatus = "pending" // planned, nothing loaded yet
	LoadLoading LoadStatus = "loading" // started; Files lists what is done
	LoadLoaded  LoadStatus = "loaded"  // every chunk loaded and validated
	LoadFailed  LoadStatus = "failed"  // stopped by an error; Files lists what is done
)

var loadStatuses = []LoadStatus{LoadPending, LoadLoading, LoadLoaded, LoadFailed}

// Load is the load of one source table into one Snowflake table.
type Load struct {
	// Source coordinates: the spec's source name, schema and table.
	Source string `json:"source"`
	Schema string `json:"schema"`
	Table  string `json:"table"`
	// Target is the address of the snowflake_table loaded into.
	Target string     `json:"target"`
	Status LoadStatus `json:"status"`
	// Format and Compression of the files ("csv"/"parquet", "zstd"/"gzip"/"none").
	Format      string `json:"format,omitempty"`
	Compression string `json:"compression,omitempty"`
	// Fingerprint of the source table when the load started.
	Fingerprint *Fingerprint `json:"fingerprint,omitempty"`
	StartedAt   *time.Time   `json:"started_at,omitempty"`
	FinishedAt  *time.Time   `json:"finished_at,omitempty"`
	// Files is the manifest of loaded files, sorted by name.
	Files []*File `json:"files"`
	// Pending are files staged whose COPY INTO may have run: each is
	// written here before its COPY, so a run killed between the COPY and
	// the manifest leaves a trace, and the resume asks Snowflake whether
	// the file loaded instead of loading its chunk a second time. Name is
	// the staged path (prefix/name), Rows and SHA256 what was extracted.
	Pending []*File `json:"pending,omitempty"`
}

// Fingerprint is what pgsnow saw of a source table, to notice later that it
// changed: planner estimates, the cumulative pg_stat_user_tables counters
// and the relfilenode.
type Fingerprint struct {
	EstimatedRows int64  `json:"estimated_rows"` // pg_class.reltuples (-1: never analyzed)
	ExactRows     *int64 `json:"exact_rows,omitempty"`
	TupInserted   int64  `json:"n_tup_ins"`
	TupUpdated    int64  `json:"n_tup_upd"`
	TupDeleted    int64  `json:"n_tup_del"`
	// Relfilenode is pg_class.relfilenode (for a partitioned table, the
	// sum of its partitions' modulo 2^32): TRUNCATE, VACUUM FULL, CLUSTER
	// and rewriting ALTERs change it without moving any counter. Nil in a
	// state written before pgsnow recorded it: unknown, so not compared.
	Relfilenode *uint32 `json:"relfilenode,omitempty"`
	// ColumnsSHA256 hashes the source columns (names, types, order).
	ColumnsSHA256 string    `json:"columns_sha256,omitempty"`
	TakenAt       time.Time `json:"taken_at"`
}

// File is one file loaded into Snowflake.
type File struct {
	// Name is the file's name in the stage.
	Name string `json:"name"`
	// Chunk is the source range the file holds.
	Chunk   Chunk  `json:"chunk"`
	Rows    int64  `json:"rows"`
	Bytes   int64  `json:"bytes"`
	SHA256  string `json:"sha256"`
	QueryID string `json:"query_id"` // the COPY INTO that loaded it
	// LoadedAt is when COPY INTO reported the file loaded.
	LoadedAt time.Time `json:"loaded_at"`
}

// Chunk is a range of a source table, with bounds rendered as strings so any
// key type fits: By "ctid" with block numbers, "pk" with key values, "full"
// for the whole table. From is inclusive, To exclusive; empty means open.
type Chunk struct {
	By   string `json:"by"`
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

func (c Chunk) String() string {
	if c.By == "full" {
		return "full"
	}
	return fmt.Sprintf("%s [%s, %s)", c.By, c.From, c.To)
}

// New returns an empty state with a fresh lineage, written by version.
func New(version string) *State {
	return &State{
		FormatVersion: FormatVersion,
		Lineage:       newUUID(),
		PgsnowVersion: version,
		Objects:       map[string]*Object{},
		Loads:         map[string]*Load{},
	}
}

// NewID returns a random UUID (version 4), for lineages and lock ids.
func NewID() string { return newUUID() }

func newUUID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// HashDDL returns the SHA-256 of a DDL statement in hex.
func HashDDL(ddl string) string {
	sum := sha256.Sum256([]byte(ddl))
	return hex.EncodeToString(sum[:])
}

// SetDDL records the DDL run for the object and its hash.
func (o *Object) SetDDL(ddl string) {
	o.DDL = ddl
	o.DDLSHA256 = HashDDL(ddl)
}

// Totals are the rows and bytes of every file in the manifest.
func (l *Load) Totals() (rows, bytes int64) {
	for _, f := range l.Files {
		rows += f.Rows
		bytes += f.Bytes
	}
	return rows, bytes
}

// File returns the manifest entry named name, or nil.
func (l *Load) File(name string) *File {
	for _, f := range l.Files {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Addresses returns every object and load address, sorted.
func (s *State) Addresses() []string {
	out := make([]string, 0, len(s.Objects)+len(s.Loads))
	for a := range s.Objects {
		out = append(out, a)
	}
	for a := range s.Loads {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// Has reports whether addr is in the state.
func (s *State) Has(addr string) bool {
	_, o := s.Objects[addr]
	_, l := s.Loads[addr]
	return o || l
}

// Remove forgets addr and reports whether it was there.
func (s *State) Remove(addr string) bool {
	if !s.Has(addr) {
		return false
	}
	delete(s.Objects, addr)
	delete(s.Loads, addr)
	return true
}

// Clone returns a deep copy. It does not validate, so it works on a state
// being built.
func (s *State) Clone() *State {
	b, err := json.Marshal(s)
	if err != nil { // plain data: cannot fail
		panic(fmt.Sprintf("state: clone: %v", err))
	}
	var c State
	if err := json.Unmarshal(b, &c); err != nil {
		panic(fmt.Sprintf("state: clone: %v", err))
	}
	return &c
}

// normalize makes the encoding deterministic: nil maps and slices become
// empty, manifests are sorted by file name, times are UTC.
func (s *State) normalize() {
	if s.Objects == nil {
		s.Objects = map[string]*Object{}
	}
	if s.Loads == nil {
		s.Loads = map[string]*Load{}
	}
	for _, o := range s.Objects {
		if o.Name == nil {
			o.Name = []string{}
		}
		o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	}
	for _, l := range s.Loads {
		if l.Files == nil {
			l.Files = []*File{}
		}
		slices.SortFunc(l.Files, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
		for _, f := range l.Files {
			f.LoadedAt = f.LoadedAt.UTC()
		}
		if len(l.Pending) == 0 {
			l.Pending = nil
		}
		slices.SortFunc(l.Pending, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
		l.StartedAt, l.FinishedAt = utcPtr(l.StartedAt), utcPtr(l.FinishedAt)
		if l.Fingerprint != nil {
			l.Fingerprint.TakenAt = l.Fingerprint.TakenAt.UTC()
		}
	}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
