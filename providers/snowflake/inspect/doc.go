// Package inspect reads what exists now in one Snowflake database from its
// INFORMATION_SCHEMA: schemas, tables with columns and constraints, views,
// sequences, stages and file formats, in a fixed number of queries (one
// per view, never one per table). The planner diffs this model against the
// desired objects and the state to find drift and changes.
//
// Names are exactly as Snowflake stores them (unquoted identifiers were
// folded to upper case when created; quoted ones keep their case), so the
// planner compares them with ident.Map of the source names, never with
// case-insensitive matching. Column types are rendered canonically
// (NUMBER(10,0), VARCHAR(120), TIMESTAMP_TZ(6), FLOAT) — the same spelling
// as lang/sftype.Type.String, so a desired type compares as a string.
package inspect
