// Package load moves one extracted chunk into a Snowflake table: PUT the
// compressed stream into pgsnow's internal stage, COPY INTO the table from
// that one named file, check the rows Snowflake loaded against the rows the
// extractor counted, and hand back what the state manifest records.
//
// It also owns the pieces around a chunk: the stage and its per-run path
// prefix, removal of staged files, staging tables swapped in for reloads,
// sequences set after the data, and the classification of errors into
// transient (retried with backoff, only for idempotent statements) and
// permanent (failed at once). docs/loading.md is the protocol in prose.
package load
