// Package sftype models Snowflake's column data types for the emulator:
// parsing type syntax (every documented alias and default), the limits
// Snowflake enforces, the PostgreSQL column type that backs each one, and
// Coerce, which turns one loaded text value into PostgreSQL's text form while
// rejecting what Snowflake would reject, with Snowflake-like messages.
//
// Reference pages: https://docs.snowflake.com/en/sql-reference/intro-summary-data-types
// and the per-family pages (data-types-numeric, data-types-text,
// data-types-datetime, data-types-semistructured, data-types-logical).
package sftype
