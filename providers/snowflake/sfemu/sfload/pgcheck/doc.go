// Package pgcheck holds the loader's one PostgreSQL-backed test: what
// sfload.Convert writes loads into columns of sftype's PGType and reads back
// unchanged. It lives apart so that sfload's own tests need no database.
package pgcheck
