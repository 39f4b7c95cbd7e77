package load

import "github.com/pgsnow/pgsnow/providers/snowflake/ident"

// Table names a Snowflake table by its exact (already mapped) parts.
type Table struct{ Database, Schema, Name string }

// Quoted is "DB"."SCHEMA"."NAME".
func (t Table) Quoted() string { return ident.Qualified(t.Database, t.Schema, t.Name) }

// StagingSuffix marks the table a reload fills before it is swapped in.
const StagingSuffix = "__PGSNOW_STAGING"

// Staging is the staging table of t.
func (t Table) Staging() Table { return Table{t.Database, t.Schema, t.Name + StagingSuffix} }
