// Package plan is pgsnow's plan as pure data: the typed changes to
// Snowflake objects and table loads that apply will carry out, why each is
// needed, what each depends on, the SQL each runs, the load units, the
// warnings, the summary, and the guard data that lets apply refuse a stale
// plan (the state's lineage and serial, one fingerprint per source table).
//
// A plan is self-contained: apply needs the plan, the connections and the
// state, never the spec. So the plan carries connection references (host,
// account, database, user: who and where) but never a secret; the types
// have no field that could hold one and Validate refuses references that
// look like a DSN.
//
// The JSON form (Marshal/Unmarshal, docs/plan-json.md) is versioned by
// format_version "MAJOR.MINOR": readers refuse another major version,
// accept older minors, and ignore unknown fields only from a newer minor.
// Marshal writes a deterministic order so that saved plans diff cleanly.
//
// Addresses use the same spelling as the state package (state/address.go):
// snowflake_table.DB.SCHEMA.TABLE, load.source.schema.table. They are
// duplicated here because this package imports only the standard library.
//
// The package does no I/O; planner computes plans, planner/render shows
// them, executor runs them.
package plan
