// Package planner computes pgsnow's plan: the change set that takes
// Snowflake from what exists now to what the spec and the source ask for.
//
// Inputs are plain data gathered by the command layer: each source's
// profiled catalog and its pg_stat counters, the live Snowflake database
// (providers/snowflake/inspect), the prior state, and the spec. Plan maps
// every source through planner/typemap (overrides, identifier_case,
// schema_map), derives the desired objects (target database, schemas,
// pgsnow's file format and stage, sequences, tables, views) and compares
// them with the live objects and the state:
//
//   - create what is missing; update tables in place where Snowflake can
//     ALTER (add or drop a column, NUMBER precision up at the same scale,
//     VARCHAR length up, NOT NULL on or off); replace only when no ALTER
//     can do it, saying why; delete only what the state says pgsnow
//     created, the spec no longer wants, and only with AllowDestroy;
//   - load every table never loaded, reload tables whose object was
//     (re)created or altered, whose last load stopped part way, or whose
//     source changed since the load (pg_stat counters, column signature);
//   - report drift: objects pgsnow created that were dropped or whose
//     columns changed in Snowflake outside pgsnow (state versus live).
//
// Plan does no I/O and is deterministic: the same inputs give the same
// plan, byte for byte. ReadStats is the one helper that queries
// PostgreSQL (pg_stat_user_tables and pg_class, one query per source).
// docs/planning.md describes every rule.
package planner
