package sfemu

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

type columnDef struct {
	name    string
	typ     sftype.Type
	notNull bool
	dflt    string // translated PostgreSQL expression
	comment *string
}

type constraintDef struct {
	name, kind string // PRIMARY KEY, UNIQUE, FOREIGN KEY
	cols       []string
	ref        resolved
	refCols    []string
}

func (se *session) createTable(ctx context.Context, p *parser, h createHead) (*result, error) {
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	if p.peek().is("AS") || p.peek().is("LIKE") || p.peek().is("CLONE") || p.peek().is("USING") {
		return nil, unsupported("CREATE TABLE … " + p.peek().upper())
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var cols []columnDef
	var cons []constraintDef
	for {
		if c, ok, err := se.outOfLineConstraint(p); err != nil {
			return nil, err
		} else if ok {
			cons = append(cons, c)
		} else {
			col, inline, err := se.columnDefinition(p)
			if err != nil {
				return nil, err
			}
			cols = append(cols, col)
			cons = append(cons, inline...)
		}
		if p.acceptOp(")") {
			break
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
	}
	var comment *string
	for !p.atEnd() {
		switch {
		case p.peek().is("COMMENT"):
			if comment, err = p.trailingComment(); err != nil {
				return nil, err
			}
		case p.accept("DATA_RETENTION_TIME_IN_DAYS"), p.accept("MAX_DATA_EXTENSION_TIME_IN_DAYS"):
			p.acceptOp("=")
			if _, err := p.intLit(); err != nil {
				return nil, err
			}
		case p.accept("CHANGE_TRACKING"):
			p.acceptOp("=")
			p.next()
		case p.peek().is("CLUSTER"):
			return nil, unsupported("CREATE TABLE … CLUSTER BY")
		default:
			return nil, syntaxErr(p.peek())
		}
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if seen[c.name] {
			return nil, newErr("002025", "42S21", "SQL compilation error:\nduplicate column name '%s'", c.name)
		}
		seen[c.name] = true
	}
	// PRIMARY KEY columns are NOT NULL in Snowflake; other constraints are
	// metadata only (https://docs.snowflake.com/en/sql-reference/constraints-overview).
	for _, c := range cons {
		for _, cn := range c.cols {
			if !seen[cn] {
				return nil, newErr("000904", "42000", "SQL compilation error: error line 0 at position -1\ninvalid identifier '%s'", quoteSF(cn))
			}
			if c.kind == "PRIMARY KEY" {
				for i := range cols {
					if cols[i].name == cn {
						cols[i].notNull = true
					}
				}
			}
		}
	}
	if err := se.requireSchema(ctx, r); err != nil {
		return nil, err
	}
	kind, err := objectKind(ctx, se.conn, r, "TABLE", "VIEW")
	if err != nil {
		return nil, err
	}
	if kind != "" && h.ifNotExists {
		return statusResult(stmtDDL, fmt.Sprintf("%s already exists, statement succeeded.", quoteSF(r.name))), nil
	}
	if kind != "" && (!h.orReplace || kind == "VIEW") {
		return nil, alreadyExists(quoteSF(r.name))
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if kind != "" {
			if err := dropObject(ctx, tx, se.srv, r, "TABLE"); err != nil {
				return err
			}
		}
		var defs []string
		for _, c := range cols {
			d := quotePG(c.name) + " " + colDDL(c.name, c.typ)
			if c.notNull {
				d += " NOT NULL"
			}
			if c.dflt != "" {
				d += " DEFAULT " + c.dflt
			}
			defs = append(defs, d)
		}
		if _, err := tx.Exec(ctx, "CREATE TABLE "+r.pgName()+" ("+strings.Join(defs, ", ")+")"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.objects (pgschema, name, kind, comment, options) VALUES ($1, $2, 'TABLE', $3, $4)`,
			r.pgSchema(), r.name, comment, boolOpt(h.transient, "TRANSIENT")); err != nil {
			return err
		}
		for _, c := range cols {
			if err := putColumnMeta(ctx, tx, r, c.name, c.typ, c.comment); err != nil {
				return err
			}
		}
		for _, c := range cons {
			if err := putConstraint(ctx, tx, r, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, createdMsg("TABLE", quoteSF(r.name), kind != "")), nil
}

func boolOpt(b bool, s string) *string {
	if b {
		return &s
	}
	return nil
}

func putColumnMeta(ctx context.Context, tx pgx.Tx, r resolved, name string, t sftype.Type, comment *string) error {
	_, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.columns (pgschema, tbl, name, sftype, comment) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (pgschema, tbl, name) DO UPDATE SET sftype = EXCLUDED.sftype, comment = COALESCE(EXCLUDED.comment, sfemu_meta.columns.comment)`,
		r.pgSchema(), r.name, name, t.String(), comment)
	return err
}

func putConstraint(ctx context.Context, tx pgx.Tx, r resolved, c constraintDef) error {
	if c.name == "" {
		c.name = "SYS_CONSTRAINT_" + newUUID()
	}
	var refSchema, refTbl *string
	if c.kind == "FOREIGN KEY" {
		s, t := c.ref.pgSchema(), c.ref.name
		refSchema, refTbl = &s, &t
	}
	_, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.constraints (pgschema, tbl, name, kind, cols, ref_pgschema, ref_tbl, ref_cols)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.pgSchema(), r.name, c.name, c.kind, c.cols, refSchema, refTbl, c.refCols)
	if err != nil && strings.Contains(err.Error(), "duplicate key") {
		return alreadyExists(c.name)
	}
	return err
}

// columnDefinition parses `name type [NOT NULL|NULL] [DEFAULT expr] [inline constraint] [COMMENT 'x']`.
func (se *session) columnDefinition(p *parser) (columnDef, []constraintDef, error) {
	var c columnDef
	var cons []constraintDef
	var err error
	if c.name, err = p.ident(); err != nil {
		return c, nil, err
	}
	tt, err := p.typeText()
	if err != nil {
		return c, nil, err
	}
	if c.typ, err = sftype.Parse(tt); err != nil {
		return c, nil, typeErr(err)
	}
	for {
		switch {
		case p.accept("NOT", "NULL"):
			c.notNull = true
		case p.accept("NULL"):
		case p.accept("DEFAULT"):
			start := p.i
			depth := 0
			for !p.atEnd() {
				t := p.peek()
				if depth == 0 && (t.isOp(",") || t.isOp(")") || t.is("NOT") || t.is("NULL") || t.is("PRIMARY") ||
					t.is("UNIQUE") || t.is("REFERENCES") || t.is("COMMENT") || t.is("CONSTRAINT") || t.is("FOREIGN")) {
					break
				}
				if t.isOp("(") {
					depth++
				} else if t.isOp(")") {
					depth--
				}
				p.i++
			}
			expr, err := se.translateExpr(p.toks[start:p.i], p.sql)
			if err != nil {
				return c, nil, err
			}
			c.dflt = expr
		case p.peek().is("AUTOINCREMENT"), p.peek().is("IDENTITY"), p.peek().is("COLLATE"), p.peek().is("MASKING"):
			return c, nil, unsupported("column " + p.peek().upper())
		case p.peek().is("COMMENT"):
			if c.comment, err = p.trailingComment(); err != nil {
				return c, nil, err
			}
		case p.peek().is("CONSTRAINT"), p.peek().is("PRIMARY"), p.peek().is("UNIQUE"), p.peek().is("REFERENCES"), p.peek().is("FOREIGN"):
			k, err := se.inlineConstraint(p, c.name)
			if err != nil {
				return c, nil, err
			}
			cons = append(cons, k)
		default:
			return c, cons, nil
		}
	}
}

func (se *session) inlineConstraint(p *parser, col string) (constraintDef, error) {
	var k constraintDef
	if p.accept("CONSTRAINT") {
		n, err := p.ident()
		if err != nil {
			return k, err
		}
		k.name = n
	}
	k.cols = []string{col}
	switch {
	case p.accept("PRIMARY", "KEY"):
		k.kind = "PRIMARY KEY"
	case p.accept("UNIQUE"):
		k.kind = "UNIQUE"
	case p.accept("FOREIGN", "KEY"), p.peek().is("REFERENCES"):
		k.kind = "FOREIGN KEY"
		if err := se.references(p, &k); err != nil {
			return k, err
		}
	default:
		return k, syntaxErr(p.peek())
	}
	skipConstraintProps(p)
	return k, nil
}

func (se *session) outOfLineConstraint(p *parser) (constraintDef, bool, error) {
	var k constraintDef
	save := p.i
	if p.accept("CONSTRAINT") {
		n, err := p.ident()
		if err != nil {
			return k, false, err
		}
		k.name = n
	}
	switch {
	case p.accept("PRIMARY", "KEY"):
		k.kind = "PRIMARY KEY"
	case p.accept("UNIQUE"):
		k.kind = "UNIQUE"
	case p.accept("FOREIGN", "KEY"):
		k.kind = "FOREIGN KEY"
	default:
		p.i = save
		return k, false, nil
	}
	cols, err := p.identList()
	if err != nil {
		return k, false, err
	}
	k.cols = cols
	if k.kind == "FOREIGN KEY" {
		if err := se.references(p, &k); err != nil {
			return k, false, err
		}
	}
	skipConstraintProps(p)
	return k, true, nil
}

func (se *session) references(p *parser, k *constraintDef) error {
	if err := p.expect("REFERENCES"); err != nil {
		return err
	}
	n, err := p.objName()
	if err != nil {
		return err
	}
	if k.ref, err = se.resolve(n); err != nil {
		return err
	}
	if p.peek().isOp("(") {
		if k.refCols, err = p.identList(); err != nil {
			return err
		}
	}
	return nil
}

// skipConstraintProps skips constraint properties Snowflake accepts but does not enforce.
func skipConstraintProps(p *parser) {
	for {
		switch {
		case p.accept("NOT", "ENFORCED"), p.accept("ENFORCED"), p.accept("RELY"), p.accept("NORELY"),
			p.accept("VALIDATE"), p.accept("NOVALIDATE"), p.accept("NOT", "DEFERRABLE"), p.accept("DEFERRABLE"),
			p.accept("INITIALLY", "DEFERRED"), p.accept("INITIALLY", "IMMEDIATE"), p.accept("ENABLE"), p.accept("DISABLE"),
			p.accept("MATCH", "FULL"), p.accept("MATCH", "SIMPLE"), p.accept("MATCH", "PARTIAL"),
			p.accept("ON", "DELETE", "NO", "ACTION"), p.accept("ON", "UPDATE", "NO", "ACTION"):
		default:
			return
		}
	}
}

// identList parses ( a, b, … ).
func (p *parser) identList() ([]string, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var out []string
	for {
		s, err := p.ident()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if p.acceptOp(")") {
			return out, nil
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
	}
}

// typeErr passes sftype's Snowflake-like errors through as compilation errors.
func typeErr(err error) error {
	if ve, ok := err.(*sftype.ValueError); ok {
		return &sfError{Code: fmt.Sprintf("%06d", ve.Code), SQLState: ve.SQLState, Message: ve.Message}
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "SQL compilation error") {
		msg = "SQL compilation error:\n" + msg
	}
	return newErr("002040", "42601", "%s", msg)
}

func (se *session) createSequence(ctx context.Context, p *parser, h createHead) (*result, error) {
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	start, inc := int64(1), int64(1)
	var comment *string
	for !p.atEnd() {
		switch {
		case p.accept("START"):
			p.accept("WITH")
			p.acceptOp("=")
			if start, err = p.intLit(); err != nil {
				return nil, err
			}
		case p.accept("INCREMENT"):
			p.accept("BY")
			p.acceptOp("=")
			if inc, err = p.intLit(); err != nil {
				return nil, err
			}
		case p.accept("ORDER"), p.accept("NOORDER"):
		case p.peek().is("COMMENT"):
			if comment, err = p.trailingComment(); err != nil {
				return nil, err
			}
		default:
			return nil, syntaxErr(p.peek())
		}
	}
	if inc == 0 {
		return nil, newErr("002025", "42000", "SQL compilation error:\nSequence increment must not be zero.")
	}
	if err := se.requireSchema(ctx, r); err != nil {
		return nil, err
	}
	kind, err := objectKind(ctx, se.conn, r, "SEQUENCE")
	if err != nil {
		return nil, err
	}
	if kind != "" && h.ifNotExists {
		return statusResult(stmtDDL, fmt.Sprintf("%s already exists, statement succeeded.", quoteSF(r.name))), nil
	}
	if kind != "" && !h.orReplace {
		return nil, alreadyExists(quoteSF(r.name))
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if kind != "" {
			if err := dropObject(ctx, tx, se.srv, r, "SEQUENCE"); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE SEQUENCE %s START %d INCREMENT %d MINVALUE %d MAXVALUE %d",
			r.pgName(), start, inc, min(start, -(1<<62)), int64(1<<62))); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.objects (pgschema, name, kind, comment) VALUES ($1, $2, 'SEQUENCE', $3)`, r.pgSchema(), r.name, comment)
		return err
	})
	if err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, createdMsg("SEQUENCE", quoteSF(r.name), kind != "")), nil
}

func (se *session) createView(ctx context.Context, p *parser, h createHead) (*result, error) {
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	var colNames []string
	if p.peek().isOp("(") {
		if colNames, err = p.identList(); err != nil {
			return nil, err
		}
	}
	comment, err := p.trailingComment()
	if err != nil {
		return nil, err
	}
	if err := p.expect("AS"); err != nil {
		return nil, err
	}
	text := p.rest()
	body, err := se.translate(p.toks[p.i:], p.sql)
	if err != nil {
		return nil, err
	}
	if err := se.requireSchema(ctx, r); err != nil {
		return nil, err
	}
	kind, err := objectKind(ctx, se.conn, r, "TABLE", "VIEW")
	if err != nil {
		return nil, err
	}
	if kind != "" && h.ifNotExists {
		return statusResult(stmtDDL, fmt.Sprintf("%s already exists, statement succeeded.", quoteSF(r.name))), nil
	}
	if kind != "" && (!h.orReplace || kind == "TABLE") {
		return nil, alreadyExists(quoteSF(r.name))
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if kind != "" {
			if err := dropObject(ctx, tx, se.srv, r, "VIEW"); err != nil {
				return err
			}
		}
		cols := ""
		if len(colNames) > 0 {
			q := make([]string, len(colNames))
			for i, c := range colNames {
				q[i] = quotePG(c)
			}
			cols = " (" + strings.Join(q, ", ") + ")"
		}
		if _, err := tx.Exec(ctx, "CREATE VIEW "+r.pgName()+cols+" AS "+body); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.objects (pgschema, name, kind, comment, options) VALUES ($1, $2, 'VIEW', $3, $4)`,
			r.pgSchema(), r.name, comment, text); err != nil {
			return err
		}
		return describeViewColumns(ctx, tx, r)
	})
	if err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, createdMsg("VIEW", quoteSF(r.name), kind != "")), nil
}

// describeViewColumns records Snowflake types for a view's columns, derived
// from the PostgreSQL types of its output (or the base columns they come from).
func describeViewColumns(ctx context.Context, tx pgx.Tx, r resolved) error {
	rows, err := tx.Query(ctx, `SELECT a.attname, a.atttypid, a.atttypmod FROM pg_attribute a
		WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, r.pgName())
	if err != nil {
		return err
	}
	type col struct {
		name   string
		oid    uint32
		typmod int32
	}
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.name, &c.oid, &c.typmod); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range cols {
		if err := putColumnMeta(ctx, tx, r, c.name, typeFromPG(c.oid, c.typmod), nil); err != nil {
			return err
		}
	}
	return nil
}

// colDDL is the backing column type plus the length check Snowflake enforces.
// VARCHAR is stored as text (collation "C") with a CHECK on characters because PostgreSQL's
// varchar(n) silently cuts excess trailing spaces where Snowflake fails, and
// BINARY(n) as bytea with a CHECK on bytes.
func colDDL(name string, t sftype.Type) string {
	return colPGType(t) + colCheck(name, t)
}

func colPGType(t sftype.Type) string {
	if t.Kind == sftype.Varchar {
		// Snowflake compares strings by code point unless a collation is
		// specified; "C" on UTF-8 is the same order.
		return `text COLLATE "C"`
	}
	return t.PGType()
}

func colCheck(name string, t sftype.Type) string {
	switch t.Kind {
	case sftype.Varchar:
		return fmt.Sprintf(" CONSTRAINT %s CHECK (char_length(%s) <= %d)", quotePG(lenCheckName(name)), quotePG(name), t.Length)
	case sftype.Binary:
		return fmt.Sprintf(" CONSTRAINT %s CHECK (octet_length(%s) <= %d)", quotePG(lenCheckName(name)), quotePG(name), t.Length)
	}
	return ""
}

// lenCheckName names a length CHECK; fromPG recognises the prefix.
func lenCheckName(col string) string {
	n := "sfemu_len_" + col
	if len(n) > 63 {
		n = n[:63]
	}
	return n
}
