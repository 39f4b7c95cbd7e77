// Package catalog is pgsnow's database-neutral model of a source (or
// target) database: schemas, tables, columns with rich type information,
// constraints, indexes, sequences, views, user-defined types, volumetrics
// and the per-column value profile that FIDELITY.md's "Rule zero" needs.
//
// The model is plain data with JSON tags so that reports and plans can
// embed it; it imports only the standard library. Providers fill it in
// (providers/postgres.Inspect), the planner and the type mapping read it.
//
// Conventions:
//   - Names are stored exactly as the database spells them (PostgreSQL
//     folds unquoted names to lower case, so "Order" and order differ).
//   - Slices are ordered deterministically: schemas, tables and other
//     named objects by name; columns by ordinal position; constraint
//     columns in key order.
//   - Optional numeric facts are pointers: nil means "unknown / not
//     applicable", which is different from zero.
package catalog
