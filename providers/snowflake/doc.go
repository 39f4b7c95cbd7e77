// Package snowflake is pgsnow's side of Snowflake: connections and
// authentication (password, OAuth token or client-credentials grant, key
// pair), and — in its subpackages — identifier rules (ident), DDL rendering
// and the local emulator used by tests and the demo (sfemu).
//
// Every connection pgsnow opens sets QUOTED_IDENTIFIERS_IGNORE_CASE = FALSE
// and TIMEZONE = 'UTC', because the identifier and timestamp rules of the
// type mapping depend on them (FIDELITY.md).
package snowflake
