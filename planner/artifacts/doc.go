// Package artifacts writes the plan's human- and tool-readable files into
// a run directory: snowflake_objects.sql (all DDL in dependency order,
// runnable as is), mapping_decisions.yml (every column's decision) and
// improvement_recommendations.md. Output is deterministic: same model,
// same bytes.
package artifacts
