// Package typemap decides, for every PostgreSQL column, the Snowflake type
// that holds all of its values (FIDELITY.md "Types"), driven by the
// declared type, the measured value profile (catalog.ColumnProfile) and the
// user's overrides per column and per type. It also applies the identifier
// rule and schema renames, and derives from the same Decision the
// extraction expression for COPY (SELECT …) TO STDOUT (FORMAT csv), the
// Snowflake file format that loads it back, and the canonical expressions
// of the validation fingerprint on both sides: one source of truth.
//
// Values Snowflake cannot hold are refused with an error that names
// schema.table.column, the value class found and the HCL override that
// fixes it. Overrides that would lose data are refused unless allow_lossy
// is set, and even then the decision records the loss.
//
// The input is independent of the spec language: the command layer
// converts the spec into Options.
package typemap
