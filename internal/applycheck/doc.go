// Package applycheck is for end-to-end tests of pgsnow apply: it checks
// what a run left behind against the source. Rows compares every value
// of every loaded table with PostgreSQL in FIDELITY.md's canonical row
// form; Manifest, Resumed and LoadHistory prove that a re-run after a
// fault loaded each chunk exactly once and did not extract again what an
// earlier run had finished.
//
// It is a plain package (not _test) so that tests in different packages
// (cmd/pgsnow, cmd/pgsnow/internal/command) share one comparison.
package applycheck
