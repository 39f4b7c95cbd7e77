// Package ident holds Snowflake identifier rules: the reserved and
// limited keywords, the case mapping from PostgreSQL names (FIDELITY.md,
// "Identifiers"), always-quoted rendering, and collision detection after
// mapping. It imports only the standard library.
package ident
