// Package verify compares a loaded Snowflake table with its PostgreSQL
// source after the load: row count, the row fingerprint of FIDELITY.md
// ("Validation beyond counts") over the hash-mode columns, and per-column
// aggregates for the columns the fingerprint cannot cover (floats: count,
// NaN count, exact min/max, sum within a proven rounding bound; JSON and
// spatial values: non-NULL count).
//
// It is pure: it builds the two queries from a typemap.Table, parses their
// single result row and compares. The command layer runs the queries.
package verify
