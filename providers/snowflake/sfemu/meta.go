package sfemu

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Storage layout in the backing PostgreSQL database:
//
//   - Snowflake schema DB.SCHEMA is the PostgreSQL schema named exactly
//     `DB.SCHEMA` (case kept; at most 63 bytes, PostgreSQL's identifier limit).
//     A table keeps its Snowflake name exactly. Names are always quoted.
//   - metaSchema holds what PostgreSQL cannot carry: databases, schemas,
//     Snowflake column types, comments, constraints, stages, file formats,
//     load history.
//   - fnSchema holds the Snowflake functions written in SQL/PLpgSQL.
const (
	metaSchema = "sfemu_meta"
	fnSchema   = "sfemu_fn"
)

func pgSchema(db, schema string) string { return db + "." + schema }

// quotePG quotes a PostgreSQL identifier.
func quotePG(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// quoteLit quotes a PostgreSQL string literal (standard_conforming_strings on).
func quoteLit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// quoteSF renders a name the way Snowflake prints an identifier in messages.
func quoteSF(s string) string {
	if s != "" && isPlainUpper(s) {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func isPlainUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c == '_' || i > 0 && (c >= '0' && c <= '9' || c == '$')) {
			return false
		}
	}
	return true
}

const catalogDDL = `
SELECT pg_advisory_xact_lock(784512);
CREATE SCHEMA IF NOT EXISTS sfemu_meta;
CREATE SCHEMA IF NOT EXISTS sfemu_fn;
CREATE TABLE IF NOT EXISTS sfemu_meta.databases (
  name text PRIMARY KEY, comment text, created timestamptz NOT NULL DEFAULT now(), owner text);
CREATE TABLE IF NOT EXISTS sfemu_meta.schemas (
  db text NOT NULL REFERENCES sfemu_meta.databases(name) ON DELETE CASCADE ON UPDATE CASCADE,
  name text NOT NULL, pgschema text NOT NULL UNIQUE, comment text,
  created timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (db, name));
-- kind: TABLE, VIEW, SEQUENCE, STAGE, FILE FORMAT. Tables and views share a namespace.
CREATE TABLE IF NOT EXISTS sfemu_meta.objects (
  pgschema text NOT NULL REFERENCES sfemu_meta.schemas(pgschema) ON DELETE CASCADE ON UPDATE CASCADE,
  name text NOT NULL, kind text NOT NULL, comment text, options text,
  created timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (pgschema, kind, name));
CREATE TABLE IF NOT EXISTS sfemu_meta.columns (
  pgschema text NOT NULL, tbl text NOT NULL, name text NOT NULL, sftype text NOT NULL,
  comment text, PRIMARY KEY (pgschema, tbl, name));
CREATE TABLE IF NOT EXISTS sfemu_meta.constraints (
  pgschema text NOT NULL, tbl text NOT NULL, name text NOT NULL, kind text NOT NULL,
  cols text[] NOT NULL, ref_pgschema text, ref_tbl text, ref_cols text[],
  PRIMARY KEY (pgschema, tbl, name));
CREATE TABLE IF NOT EXISTS sfemu_meta.load_history (
  pgschema text NOT NULL, tbl text NOT NULL, file text NOT NULL, checksum text NOT NULL,
  rows_loaded bigint NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now());
-- display: the file as COPY results and LOAD_HISTORY name it (stage/path); file is the unique key.
ALTER TABLE sfemu_meta.load_history ADD COLUMN IF NOT EXISTS display text;
-- encryption: a stage's ENCRYPTION TYPE (SNOWFLAKE_FULL when NULL).
ALTER TABLE sfemu_meta.objects ADD COLUMN IF NOT EXISTS encryption text;
CREATE INDEX IF NOT EXISTS load_history_tbl ON sfemu_meta.load_history (pgschema, tbl, file);
`

func installCatalog(ctx context.Context, conn *pgx.Conn) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if _, err := tx.Exec(ctx, catalogDDL); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, functionsSQL); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, infoSchemaSQL); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, sequenceSQL); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s *Server) databaseExists(ctx context.Context, q *pgx.Conn, name string) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sfemu_meta.databases WHERE name = $1)`, name).Scan(&ok)
	return ok, err
}

func (s *Server) schemaExists(ctx context.Context, q *pgx.Conn, db, schema string) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sfemu_meta.schemas WHERE db = $1 AND name = $2)`, db, schema).Scan(&ok)
	return ok, err
}
