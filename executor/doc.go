// Package executor carries out a plan: it walks the plan's changes in
// dependency order with a bounded number of workers, runs each step (DDL,
// load prepare, load chunk, validate, finalize), retries transient errors
// with backoff, records every finished step in the state before anything
// that depends on it starts, and reports what happens as a stream of typed
// events.
//
// The executor knows no database driver. It defines the few methods it
// needs from the source (Source), the target (Target) and the state
// (Journal); adapters in the command layer connect them to
// providers/postgres/extract, providers/snowflake/load and state.Journal.
//
// Events never carry a secret: the only free text they hold is a Text,
// which only a Redactor makes, so a driver's error message reaches a sink
// (terminal, NDJSON, run log) only after known secrets and credential
// patterns are removed. docs/executor.md describes steps, ordering, resume,
// retries, cancellation and the run log format.
package executor
