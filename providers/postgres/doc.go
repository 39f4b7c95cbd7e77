// Package postgres reads a PostgreSQL source: it introspects pg_catalog
// into the neutral catalog model (a fixed, small number of queries for
// the whole database, whatever the table count), applies the spec's
// schema and table filters before any per-table work, and profiles the
// values that Snowflake could not hold (FIDELITY.md, "Rule zero") with
// one scan per table.
//
// Connection errors are rewritten into one line that names the problem
// (wrong password, unreachable host, missing database, missing
// privilege) and never contains the password: pgx errors may embed the
// connection string or host details, so they are never shown raw.
//
// See docs/introspection.md for the queries and version guards
// (PostgreSQL 12 through 17).
package postgres
