package lang

import "strings"

// Source returns the source named name, or nil.
func (s *Spec) Source(name string) *Source {
	for _, src := range s.Sources {
		if src.Name == name {
			return src
		}
	}
	return nil
}

// TableConfig returns the table block for source.schema.table, or nil.
func (s *Spec) TableConfig(source, schema, table string) *Table {
	want := TableAddress{Source: source, Schema: schema, Table: table}
	for _, t := range s.Tables {
		if t.Address == want {
			return t
		}
	}
	return nil
}

// TypeOverride returns the type_override for a PostgreSQL type name (any
// spelling CanonicalPostgresType accepts), or nil.
func (s *Spec) TypeOverride(pgType string) *TypeOverride {
	name := CanonicalPostgresType(pgType)
	for _, o := range s.TypeOverrides {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// Path resolves a path from the spec (state path, spill_dir, key files)
// against the spec directory.
func (s *Spec) Path(p string) string { return resolvePath(s.Dir, p) }

// TableSettings are the settings in effect for one table: the table
// block's values where set, the settings block's otherwise.
type TableSettings struct {
	ChunkRows            int64     `json:"chunk_rows"`
	ChunkSize            int64     `json:"chunk_size"`
	ChunkBy              string    `json:"chunk_by"`
	Where                string    `json:"where,omitempty"`
	Profile              bool      `json:"profile"`
	ProfileSamplePercent float64   `json:"profile_sample_percent"`
	TargetName           string    `json:"target_name,omitempty"`
	Columns              []*Column `json:"columns,omitempty"`
}

// EffectiveTableSettings merges the table block for addr (if any) over the
// global settings.
func (s *Spec) EffectiveTableSettings(source, schema, table string) TableSettings {
	g := s.Settings
	out := TableSettings{
		ChunkRows: g.ChunkRows, ChunkSize: g.ChunkSize, ChunkBy: g.ChunkBy,
		Profile: g.Profile, ProfileSamplePercent: g.ProfileSamplePercent,
	}
	t := s.TableConfig(source, schema, table)
	if t == nil {
		return out
	}
	if t.ChunkRows != nil {
		out.ChunkRows = *t.ChunkRows
	}
	if t.ChunkSize != nil {
		out.ChunkSize = *t.ChunkSize
	}
	if t.ChunkBy != "" {
		out.ChunkBy = t.ChunkBy
	}
	if t.Profile != nil {
		out.Profile = *t.Profile
	}
	if t.ProfileSamplePercent != nil {
		out.ProfileSamplePercent = *t.ProfileSamplePercent
	}
	out.Where, out.TargetName, out.Columns = t.Where, t.TargetName, t.Columns
	return out
}

// TargetSchema is the Snowflake schema name for a source schema: the
// schema_map entry verbatim if there is one, else the schema name folded
// to upper case when identifier_case = "upper".
func (s *Spec) TargetSchema(source, schema string) string {
	if src := s.Source(source); src != nil {
		if m, ok := src.SchemaMap[schema]; ok {
			return m
		}
	}
	if s.Settings.IdentifierCase == "upper" {
		return strings.ToUpper(schema)
	}
	return schema
}
