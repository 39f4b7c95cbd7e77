package sfemu

import (
	"context"
	"regexp"

	"github.com/jackc/pgx/v5"
)

// Column defaults that name a sequence, as Snowflake treats them:
//
//   - DROP SEQUENCE (and CREATE OR REPLACE SEQUENCE, which drops the old
//     sequence) succeeds even when a default names the sequence; CASCADE
//     and RESTRICT are accepted and ignored
//     (https://docs.snowflake.com/en/sql-reference/sql/drop-sequence).
//     A new sequence of the same name is a new object: the default still
//     names the dropped one. PostgreSQL would refuse the drop (the default
//     depends on the sequence), so the emulator first points such defaults
//     at sfemu_fn.sf_dropped_sequence, which fails every INSERT that uses
//     the default instead of silently writing NULL.
//   - ALTER TABLE … ALTER COLUMN c SET DEFAULT seq.NEXTVAL is the only
//     default change Snowflake allows, and only on a column whose default
//     is already a sequence (dropped or not); adding a default or changing
//     one that is not a sequence is unsupported
//     (https://docs.snowflake.com/en/sql-reference/sql/alter-table-column).

// sequenceSQL is installed with the catalog. SQLSTATE SF003 is mapped to
// Snowflake's 002003 by fromPG.
const sequenceSQL = `
CREATE OR REPLACE FUNCTION sfemu_fn.sf_dropped_sequence(name text) RETURNS numeric LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION 'SQL compilation error:% Sequence ''%'' used as a column default does not exist or not authorized.', chr(10), name
    USING ERRCODE = 'SF003';
END $f$;
`

// sequenceDefault matches a PostgreSQL default (pg_get_expr) that is a
// sequence: a live one (seq.NEXTVAL translated) or one that was dropped.
var sequenceDefault = regexp.MustCompile(`^(nextval\('(?:[^']|'')*'::regclass\)|(?:sfemu_fn\.)?sf_dropped_sequence\('(?:[^']|'')*'::text\))$`)

// detachSequenceDefaults points every column default that uses sequence r
// at sf_dropped_sequence, so that r can be dropped as Snowflake drops it.
func detachSequenceDefaults(ctx context.Context, tx pgx.Tx, r resolved) error {
	rows, err := tx.Query(ctx, `SELECT n.nspname, c.relname, a.attname
		FROM pg_depend dep
		JOIN pg_attrdef d ON dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid
		JOIN pg_class c ON c.oid = d.adrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
		WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = to_regclass($1)`, r.pgName())
	if err != nil {
		return err
	}
	var alters []string
	for rows.Next() {
		var schema, table, col string
		if err := rows.Scan(&schema, &table, &col); err != nil {
			rows.Close()
			return err
		}
		alters = append(alters, "ALTER TABLE "+quotePG(schema)+"."+quotePG(table)+" ALTER COLUMN "+quotePG(col)+
			" SET DEFAULT sfemu_fn.sf_dropped_sequence("+quoteLit(r.String())+"::text)")
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range alters {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// detachSchemaSequences detaches the defaults that use any sequence of
// schema db.name, which is about to be dropped with everything in it (a
// CASCADE would silently remove defaults of tables in other schemas).
func detachSchemaSequences(ctx context.Context, tx pgx.Tx, db, name string) error {
	rows, err := tx.Query(ctx, `SELECT sequencename FROM pg_sequences WHERE schemaname = $1`, pgSchema(db, name))
	if err != nil {
		return err
	}
	seqs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, s := range seqs {
		if err := detachSequenceDefaults(ctx, tx, resolved{db, name, s}); err != nil {
			return err
		}
	}
	return nil
}

// setSequenceDefault parses the rest of ALTER TABLE t ALTER COLUMN col
// SET DEFAULT <seq>.NEXTVAL and checks Snowflake's rules.
func (se *session) setSequenceDefault(ctx context.Context, p *parser, r resolved, col string) (func(pgx.Tx) error, error) {
	unsupportedDefault := newErr("002029", "0A000", "SQL compilation error:\nUnsupported feature 'Alter Column Set Default': only a default sequence can be changed, to another sequence (seq.NEXTVAL).")
	var parts []string
	for {
		t := p.peek()
		if t.kind != tIdent && t.kind != tQIdent {
			return nil, unsupportedDefault
		}
		s, err := p.ident()
		if err != nil {
			return nil, err
		}
		parts = append(parts, s)
		if len(parts) == 4 || !p.acceptOp(".") {
			break
		}
	}
	if len(parts) < 2 || parts[len(parts)-1] != "NEXTVAL" || !p.atEnd() {
		return nil, unsupportedDefault
	}
	seq, err := se.resolve(objName{parts: parts[:len(parts)-1]})
	if err != nil {
		return nil, err
	}
	if k, err := objectKind(ctx, se.conn, seq, "SEQUENCE"); err != nil {
		return nil, err
	} else if k == "" {
		return nil, notExist("Sequence", seq.String())
	}
	var cur *string
	err = se.conn.QueryRow(ctx, `SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE a.attrelid = $1::regclass AND a.attname = $2 AND NOT a.attisdropped`, r.pgName(), col).Scan(&cur)
	if err == pgx.ErrNoRows {
		return nil, newErr("000904", "42000", "SQL compilation error: error line 1 at position 0\ninvalid identifier '%s'", quoteSF(col))
	}
	if err != nil {
		return nil, err
	}
	if cur == nil || !sequenceDefault.MatchString(*cur) {
		return nil, unsupportedDefault
	}
	return func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "ALTER TABLE "+r.pgName()+" ALTER COLUMN "+quotePG(col)+" SET DEFAULT nextval("+quoteLit(seq.pgName())+"::regclass)")
		return err
	}, nil
}
