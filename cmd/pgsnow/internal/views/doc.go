// Package views renders what pgsnow apply is doing: the executor's events
// as a live per-table progress display on a terminal (Live), as one line
// per event when output is not a terminal (Lines, for CI logs), and the
// closing summary. apply -json and the run log write executor.Record
// lines instead (executor.NewNDJSON).
//
// Everything here reads events only, so it shows nothing the events do
// not carry: no secret can reach the screen that could not reach the run
// log, and both are redacted by construction in the executor.
package views
