package sfemu

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// createHead is the common head of CREATE statements.
type createHead struct {
	orReplace, ifNotExists, transient bool
	kind                              string
}

func (se *session) create(ctx context.Context, p *parser) (*result, error) {
	p.next()
	var h createHead
	h.orReplace = p.accept("OR", "REPLACE")
	switch {
	case p.accept("TRANSIENT"):
		h.transient = true
	case p.peek().is("TEMPORARY"), p.peek().is("TEMP"), p.peek().is("VOLATILE"), p.peek().is("LOCAL"), p.peek().is("GLOBAL"):
		return nil, unsupported("CREATE " + p.peek().upper())
	}
	p.accept("SECURE")
	switch {
	case p.accept("DATABASE"):
		h.kind = "DATABASE"
	case p.accept("SCHEMA"):
		h.kind = "SCHEMA"
	case p.accept("TABLE"):
		h.kind = "TABLE"
	case p.accept("SEQUENCE"):
		h.kind = "SEQUENCE"
	case p.accept("VIEW"):
		h.kind = "VIEW"
	case p.accept("STAGE"):
		h.kind = "STAGE"
	case p.accept("FILE", "FORMAT"):
		h.kind = "FILE FORMAT"
	default:
		return nil, unsupportedStmt(p)
	}
	h.ifNotExists = p.accept("IF", "NOT", "EXISTS")
	if h.orReplace && h.ifNotExists {
		return nil, newErr("002025", "42000", "SQL compilation error:\noptions OR REPLACE and IF NOT EXISTS are incompatible.")
	}
	switch h.kind {
	case "DATABASE":
		return se.createDatabase(ctx, p, h)
	case "SCHEMA":
		return se.createSchema(ctx, p, h)
	case "TABLE":
		return se.createTable(ctx, p, h)
	case "SEQUENCE":
		return se.createSequence(ctx, p, h)
	case "VIEW":
		return se.createView(ctx, p, h)
	case "STAGE":
		return se.createStage(ctx, p, h)
	default:
		return se.createFileFormat(ctx, p, h)
	}
}

// trailingComment reads an optional COMMENT = 'text' and returns it.
func (p *parser) trailingComment() (*string, error) {
	if !p.accept("COMMENT") {
		return nil, nil
	}
	p.acceptOp("=")
	s, err := p.stringLit()
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func createdMsg(kind, name string, replaced bool) string {
	k := strings.ToUpper(kind[:1]) + strings.ToLower(kind[1:])
	return fmt.Sprintf("%s %s successfully created.", k, name)
}

func (se *session) createDatabase(ctx context.Context, p *parser, h createHead) (*result, error) {
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	comment, err := p.trailingComment()
	if err != nil {
		return nil, err
	}
	p.accept("DATA_RETENTION_TIME_IN_DAYS")
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	exists, err := se.srv.databaseExists(ctx, se.conn, name)
	if err != nil {
		return nil, err
	}
	if done, err := onExisting(h, exists, true, name); done != nil || err != nil {
		return done, err
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if exists {
			if err := dropDatabase(ctx, tx, name); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.databases (name, comment, owner) VALUES ($1, $2, $3)`, name, comment, se.role); err != nil {
			return err
		}
		return createSchemaTx(ctx, tx, name, "PUBLIC", nil)
	})
	if err != nil {
		return nil, err
	}
	// CREATE DATABASE makes the new database (and its PUBLIC schema) current
	// (https://docs.snowflake.com/en/sql-reference/sql/create-database).
	if err := se.use(ctx, "DATABASE", name); err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, createdMsg("DATABASE", quoteSF(name), exists)), nil
}

func createSchemaTx(ctx context.Context, tx pgx.Tx, db, name string, comment *string) error {
	pgs := pgSchema(db, name)
	if len(pgs) > 63 {
		return newErr("002029", "0A000", "SQL compilation error:\nschema name '%s.%s' is longer than the emulator supports (63 bytes)", db, name)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.schemas (db, name, pgschema, comment) VALUES ($1, $2, $3, $4)`, db, name, pgs, comment); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "CREATE SCHEMA "+quotePG(pgs))
	return err
}

func dropDatabase(ctx context.Context, tx pgx.Tx, name string) error {
	rows, err := tx.Query(ctx, `SELECT name FROM sfemu_meta.schemas WHERE db = $1`, name)
	if err != nil {
		return err
	}
	schemas, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, s := range schemas {
		if err := dropSchemaTx(ctx, tx, name, s); err != nil {
			return err
		}
	}
	_, err = tx.Exec(ctx, `DELETE FROM sfemu_meta.databases WHERE name = $1`, name)
	return err
}

func dropSchemaTx(ctx context.Context, tx pgx.Tx, db, name string) error {
	pgs := pgSchema(db, name)
	if err := detachSchemaSequences(ctx, tx, db, name); err != nil {
		return err
	}
	for _, t := range []string{"columns", "constraints", "load_history"} {
		if _, err := tx.Exec(ctx, `DELETE FROM sfemu_meta.`+t+` WHERE pgschema = $1`, pgs); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sfemu_meta.schemas WHERE pgschema = $1`, pgs); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+quotePG(pgs)+" CASCADE")
	return err
}

func (se *session) createSchema(ctx context.Context, p *parser, h createHead) (*result, error) {
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	if len(n.parts) > 2 {
		return nil, syntaxErr(p.peek())
	}
	comment, err := p.trailingComment()
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	db := se.db
	if len(n.parts) == 2 {
		db = n.parts[0]
	}
	if db == "" {
		return nil, noCurrentDB()
	}
	name := n.last()
	if ok, err := se.srv.databaseExists(ctx, se.conn, db); err != nil {
		return nil, err
	} else if !ok {
		return nil, notExist("Database", quoteSF(db))
	}
	exists, err := se.srv.schemaExists(ctx, se.conn, db, name)
	if err != nil {
		return nil, err
	}
	if done, err := onExisting(h, exists, true, name); done != nil || err != nil {
		return done, err
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if exists {
			if err := dropSchemaTx(ctx, tx, db, name); err != nil {
				return err
			}
		}
		return createSchemaTx(ctx, tx, db, name, comment)
	})
	if err != nil {
		return nil, err
	}
	// CREATE SCHEMA makes the new schema current.
	if err := se.use(ctx, "SCHEMA", db+"\x00"+name); err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, createdMsg("SCHEMA", quoteSF(name), exists)), nil
}

// objectKind looks up what an object name denotes in a schema ("" if nothing).
// Tables and views share one namespace.
func objectKind(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, r resolved, kinds ...string) (string, error) {
	var k string
	err := q.QueryRow(ctx, `SELECT kind FROM sfemu_meta.objects WHERE pgschema = $1 AND name = $2 AND kind = ANY($3) LIMIT 1`,
		r.pgSchema(), r.name, kinds).Scan(&k)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return k, err
}

func (se *session) requireSchema(ctx context.Context, r resolved) error {
	ok, err := se.srv.schemaExists(ctx, se.conn, r.db, r.schema)
	if err != nil {
		return err
	}
	if !ok {
		return notExist("Schema", quoteSF(r.db)+"."+quoteSF(r.schema))
	}
	return nil
}

func (se *session) drop(ctx context.Context, p *parser) (*result, error) {
	p.next()
	var kind string
	switch {
	case p.accept("DATABASE"):
		kind = "DATABASE"
	case p.accept("SCHEMA"):
		kind = "SCHEMA"
	case p.accept("TABLE"):
		kind = "TABLE"
	case p.accept("VIEW"):
		kind = "VIEW"
	case p.accept("SEQUENCE"):
		kind = "SEQUENCE"
	case p.accept("STAGE"):
		kind = "STAGE"
	case p.accept("FILE", "FORMAT"):
		kind = "FILE FORMAT"
	default:
		return nil, unsupportedStmt(p)
	}
	ifExists := p.accept("IF", "EXISTS")
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	if !p.accept("CASCADE") {
		p.accept("RESTRICT")
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	dropped := func(name string) *result {
		return statusResult(stmtDDL, fmt.Sprintf("%s successfully dropped.", name))
	}
	skipped := func(name string) (*result, error) {
		if ifExists {
			return statusResult(stmtDDL, "Drop statement executed successfully ("+name+" already dropped)."), nil
		}
		k := strings.ToUpper(kind[:1]) + strings.ToLower(kind[1:])
		if kind == "TABLE" || kind == "VIEW" {
			k = "Object"
		}
		return nil, notExist(k, name)
	}
	switch kind {
	case "DATABASE":
		name := n.last()
		ok, err := se.srv.databaseExists(ctx, se.conn, name)
		if err != nil {
			return nil, err
		}
		if !ok {
			return skipped(quoteSF(name))
		}
		if err := se.ddlTxn(ctx, func(tx pgx.Tx) error { return dropDatabase(ctx, tx, name) }); err != nil {
			return nil, err
		}
		if se.db == name {
			se.db, se.schema = "", ""
			_ = se.applySettings(ctx)
		}
		return dropped(quoteSF(name)), nil
	case "SCHEMA":
		db, name := se.db, n.last()
		if len(n.parts) == 2 {
			db = n.parts[0]
		}
		if db == "" {
			return nil, noCurrentDB()
		}
		ok, err := se.srv.schemaExists(ctx, se.conn, db, name)
		if err != nil {
			return nil, err
		}
		if !ok {
			return skipped(quoteSF(name))
		}
		if err := se.ddlTxn(ctx, func(tx pgx.Tx) error { return dropSchemaTx(ctx, tx, db, name) }); err != nil {
			return nil, err
		}
		if se.db == db && se.schema == name {
			se.schema = ""
			_ = se.applySettings(ctx)
		}
		return dropped(quoteSF(name)), nil
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	k, err := objectKind(ctx, se.conn, r, kind)
	if err != nil {
		return nil, err
	}
	if k == "" {
		return skipped(quoteSF(r.name))
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error { return dropObject(ctx, tx, se.srv, r, kind) })
	if err != nil {
		return nil, err
	}
	return dropped(quoteSF(r.name)), nil
}

func dropObject(ctx context.Context, tx pgx.Tx, s *Server, r resolved, kind string) error {
	switch kind {
	case "TABLE", "VIEW":
		for _, t := range []string{"columns", "constraints", "load_history"} {
			if _, err := tx.Exec(ctx, `DELETE FROM sfemu_meta.`+t+` WHERE pgschema = $1 AND tbl = $2`, r.pgSchema(), r.name); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "DROP "+kind+" IF EXISTS "+r.pgName()+" CASCADE"); err != nil {
			return err
		}
	case "SEQUENCE":
		if err := detachSequenceDefaults(ctx, tx, r); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DROP SEQUENCE IF EXISTS "+r.pgName()); err != nil {
			return err
		}
	case "STAGE":
		if err := s.removeStageDir(r); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `DELETE FROM sfemu_meta.objects WHERE pgschema = $1 AND name = $2 AND kind = $3`, r.pgSchema(), r.name, kind)
	return err
}
