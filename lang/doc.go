// Package lang reads pgsnow's spec language: every *.pgsnow.hcl file in a
// directory, decoded into a typed Spec (sources, target, state, settings,
// table and type overrides) with the source range of every block and
// attribute.
//
// All checks that need no connection happen here: unknown blocks and
// attributes, types, required attributes, enums, ranges, glob patterns,
// duplicates, references to undefined sources, missing environment
// variables and Snowflake type strings (package lang/sftype). Every problem
// is an hcl.Diagnostic pointing into the spec; decoding continues after an
// error so one run reports them all.
//
// Expressions may call env("NAME"[, "default"]), file("path") and
// trimspace(s). Passwords, tokens, keys and DSNs are held as Secret, whose
// every printed form is "(sensitive)", and their literal text is masked in
// diagnostic snippets. docs/spec.md is the language reference.
package lang
