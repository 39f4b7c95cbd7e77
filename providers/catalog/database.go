package catalog

import "time"

// Database is one introspected database.
type Database struct {
	Name             string      `json:"name"`
	Engine           string      `json:"engine"`                       // "postgresql"
	ServerVersion    string      `json:"server_version"`               // e.g. "15.8"
	ServerVersionNum int         `json:"server_version_num,omitempty"` // e.g. 150008
	Encoding         string      `json:"encoding,omitempty"`
	Collation        string      `json:"collation,omitempty"` // database default (datcollate)
	Schemas          []*Schema   `json:"schemas"`
	Extensions       []Extension `json:"extensions,omitempty"`
	InspectedAt      time.Time   `json:"-"`
}

// Schema holds the objects of one namespace.
type Schema struct {
	Name       string           `json:"name"`
	Owner      string           `json:"owner,omitempty"`
	Comment    string           `json:"comment,omitempty"`
	Tables     []*Table         `json:"tables,omitempty"`
	Views      []*View          `json:"views,omitempty"`
	Sequences  []*Sequence      `json:"sequences,omitempty"`
	Enums      []*EnumType      `json:"enums,omitempty"`
	Domains    []*DomainType    `json:"domains,omitempty"`
	Composites []*CompositeType `json:"composites,omitempty"`
	Routines   []Routine        `json:"routines,omitempty"`
}

// Extension is an installed extension (CREATE EXTENSION).
type Extension struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Schema  string `json:"schema,omitempty"`
}

// QualifiedName names an object inside a schema.
type QualifiedName struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
}

// String returns schema.name without quoting (for messages and globs).
func (q QualifiedName) String() string { return q.Schema + "." + q.Name }

// Table returns the table with the given schema and name, or nil.
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

// Schema returns the schema with the given name, or nil.
func (d *Database) Schema(name string) *Schema {
	for _, s := range d.Schemas {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// AllTables returns every table of every schema in model order.
func (d *Database) AllTables() []*Table {
	var out []*Table
	for _, s := range d.Schemas {
		out = append(out, s.Tables...)
	}
	return out
}
