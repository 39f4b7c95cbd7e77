package typemap

import "github.com/pgsnow/pgsnow/providers/snowflake/ident"

// Options steer the mapping. The zero value maps with the upper-case
// identifier rule, no renames and no overrides.
type Options struct {
	// SourceName is the spec's source name, used in the table address of
	// the HCL snippets that errors propose ("<source>.<schema>.<table>").
	SourceName string
	// IdentifierCase is ident.Upper (default) or ident.Preserve.
	IdentifierCase ident.CaseMode
	// SchemaMap renames source schemas; the new name goes through the
	// identifier rule like any other name.
	SchemaMap map[string]string
	// Tables holds per-table settings and per-column overrides.
	Tables []TableOverride
	// Types holds per-type overrides (type_override blocks).
	Types []TypeOverride
}

// TableOverride is a `table "<source>.<schema>.<table>"` block.
type TableOverride struct {
	Schema, Table string
	// TargetName renames the table (the identifier rule still applies).
	TargetName string
	Columns    []ColumnOverride
}

// ColumnOverride is a `column "<name>"` block inside a table block.
type ColumnOverride struct {
	Column string
	// Type is a Snowflake type string ("VARCHAR", "NUMBER(38,4)"); empty
	// keeps the computed type.
	Type       string
	AllowLossy bool
	// TargetName renames the column (the identifier rule still applies).
	TargetName string
}

// TypeOverride is a `type_override "<postgres type>"` block. PostgresType
// matches a column's type by internal name ("numeric", "timestamptz",
// "_int4"), by common SQL spelling ("timestamp with time zone",
// "integer[]") or, for user types, by "schema.name" or "name".
type TypeOverride struct {
	PostgresType string
	Type         string
	AllowLossy   bool
}

func (o Options) caseMode() ident.CaseMode {
	if o.IdentifierCase == "" {
		return ident.Upper
	}
	return o.IdentifierCase
}

func (o Options) sourceName() string {
	if o.SourceName == "" {
		return "source"
	}
	return o.SourceName
}

func (o Options) table(schema, name string) *TableOverride {
	for i := range o.Tables {
		if o.Tables[i].Schema == schema && o.Tables[i].Table == name {
			return &o.Tables[i]
		}
	}
	return nil
}

func (t *TableOverride) column(name string) *ColumnOverride {
	if t == nil {
		return nil
	}
	for i := range t.Columns {
		if t.Columns[i].Column == name {
			return &t.Columns[i]
		}
	}
	return nil
}
