package inspect

// Database is what exists in one Snowflake database.
type Database struct {
	Name string `json:"name"`
	// Exists is false when the database does not exist (or the role may
	// not see it); everything else is then empty.
	Exists bool `json:"exists"`
	// Schemas are sorted by name; INFORMATION_SCHEMA is left out.
	Schemas []*Schema `json:"schemas"`
}

// Schema holds one schema's objects, each list sorted by name.
type Schema struct {
	Name        string        `json:"name"`
	Comment     string        `json:"comment,omitempty"`
	Transient   bool          `json:"transient,omitempty"`
	Tables      []*Table      `json:"tables,omitempty"`
	Views       []*View       `json:"views,omitempty"`
	Sequences   []*Sequence   `json:"sequences,omitempty"`
	Stages      []*Stage      `json:"stages,omitempty"`
	FileFormats []*FileFormat `json:"file_formats,omitempty"`
}

// Table is a base table.
type Table struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Type is TABLE_TYPE: BASE TABLE, TEMPORARY TABLE, EXTERNAL TABLE…
	Type      string `json:"type"`
	Transient bool   `json:"transient,omitempty"`
	Comment   string `json:"comment,omitempty"`
	// RowCount and Bytes are Snowflake's figures (nil when not reported).
	RowCount    *int64       `json:"row_count,omitempty"`
	Bytes       *int64       `json:"bytes,omitempty"`
	Columns     []Column     `json:"columns"`     // by ordinal position
	Constraints []Constraint `json:"constraints"` // by name
}

// Column is one column of a table or view.
type Column struct {
	Name     string `json:"name"`
	Position int    `json:"position"`
	// Type is the canonical type, e.g. NUMBER(12,2), VARCHAR(16777216).
	Type string `json:"type"`
	// DataType is INFORMATION_SCHEMA's DATA_TYPE as read (TEXT for VARCHAR).
	DataType string `json:"data_type"`
	Nullable bool   `json:"nullable"`
	Default  string `json:"default,omitempty"`
	Identity bool   `json:"identity,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// Constraint is a table constraint (Snowflake records but does not
// enforce most of them).
type Constraint struct {
	Name string `json:"name"`
	Type string `json:"type"` // PRIMARY KEY | UNIQUE | FOREIGN KEY | NOT NULL…
}

// View is a view. Definition is VIEW_DEFINITION as read: documented as
// the view's query expression, but some accounts return the whole CREATE
// VIEW statement, so the planner should not compare it byte for byte.
type View struct {
	Schema     string   `json:"schema"`
	Name       string   `json:"name"`
	Definition string   `json:"definition"`
	Secure     bool     `json:"secure,omitempty"`
	Comment    string   `json:"comment,omitempty"`
	Columns    []Column `json:"columns,omitempty"`
}

// Sequence is a sequence; values are as Snowflake reports them (text).
type Sequence struct {
	Schema    string `json:"schema"`
	Name      string `json:"name"`
	Start     string `json:"start"`
	Increment string `json:"increment"`
	Next      string `json:"next"`
	Comment   string `json:"comment,omitempty"`
}

// Stage is a named stage.
type Stage struct {
	Schema  string `json:"schema"`
	Name    string `json:"name"`
	Type    string `json:"type"` // Internal Named | External Named
	URL     string `json:"url,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// FileFormat is a named file format.
type FileFormat struct {
	Schema  string `json:"schema"`
	Name    string `json:"name"`
	Type    string `json:"type"` // CSV | PARQUET | JSON …
	Comment string `json:"comment,omitempty"`
}

// Schema returns the schema with exactly this name, or nil.
func (d *Database) Schema(name string) *Schema {
	for _, s := range d.Schemas {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Table returns the table schema.name (exact names), or nil.
func (d *Database) Table(schema, name string) *Table {
	if s := d.Schema(schema); s != nil {
		for _, t := range s.Tables {
			if t.Name == name {
				return t
			}
		}
	}
	return nil
}

// Column returns the column with exactly this name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}
