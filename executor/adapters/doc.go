// Package adapters connects the executor to the real source and target:
// PostgreSQL through providers/postgres/extract (one exported snapshot,
// one worker connection per parallel chunk) and Snowflake through
// providers/snowflake/load (PUT from the stream, COPY INTO, rows check,
// staging table and SWAP for reloads).
//
// Tables describes, per load of a plan, what the plan does not carry: the
// extraction expressions and the file format from the type mapping, the
// chunking and row filter from the spec. Everything else comes from the
// plan.
package adapters
