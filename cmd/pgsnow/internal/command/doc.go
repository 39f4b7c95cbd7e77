// Package command holds pgsnow's command tree: one file per command, each a
// thin layer that reads flags and the spec, calls the packages that do the
// work, and hands results to internal/views for output. Exit codes are
// decided here and only here.
package command
