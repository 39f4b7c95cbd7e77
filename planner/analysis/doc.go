// Package analysis assesses a source catalog for a move to Snowflake:
// identifiers that are reserved or collide after case mapping, wide
// tables, values Snowflake cannot hold (from the value profile), types
// without an equivalent, partitioning and inheritance, objects that will
// not move (views, triggers, rules, routines), tables without a primary
// key, and extensions. Each finding has a severity.
//
// It also builds the versioned analysis_report.json (format_version "1",
// documented in docs/analysis-report.md) and renders a terminal summary.
// The report holds names, types, sizes and counts, never connection
// details or data values.
package analysis
