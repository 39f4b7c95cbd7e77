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
	if p.peek().is("AS") || p.peek().is("CLONE") || p.peek().is("USING") {
		return nil, unsupported("CREATE TABLE … " + p.peek().upper())
	}
	var cols []columnDef
	var cons []constraintDef
	if p.accept("LIKE") {
		// LIKE copies column names, types, defaults and NOT NULL, not rows
		// (https://docs.snowflake.com/en/sql-reference/sql/create-table#create-table-like).
		src, err := p.objName()
		if err != nil {
			return nil, err
		}
		from, err := se.resolve(src)
		if err != nil {
			return nil, err
		}
		if cols, err = se.likeColumns(ctx, from); err != nil {
			return nil, err
		}
	} else if err := p.expectOp("("); err != nil {
		return nil, err
	}
	for parseCols := cols == nil; parseCols; {
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
	replace, done, err := se.createCheck(ctx, h, r, "TABLE", "VIEW")
	if done != nil || err != nil {
		return done, err
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if replace {
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
	return statusResult(stmtDDL, createdMsg("TABLE", quoteSF(r.name), replace)), nil
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

// likeColumns reads a table's column definitions for CREATE TABLE … LIKE.
func (se *session) likeColumns(ctx context.Context, from resolved) ([]columnDef, error) {
	if k, err := objectKind(ctx, se.conn, from, "TABLE"); err != nil {
		return nil, err
	} else if k == "" {
		return nil, notExist("Table", from.String())
	}
	rows, err := se.conn.Query(ctx, `SELECT m.name, m.sftype, a.attnotnull, coalesce(pg_get_expr(d.adbin, d.adrelid), ''), m.comment
		FROM sfemu_meta.columns m
		JOIN pg_attribute a ON a.attrelid = $3::regclass AND a.attname = m.name
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE m.pgschema = $1 AND m.tbl = $2 ORDER BY a.attnum`, from.pgSchema(), from.name, from.pgName())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []columnDef
	for rows.Next() {
		var c columnDef
		var ts string
		if err := rows.Scan(&c.name, &ts, &c.notNull, &c.dflt, &c.comment); err != nil {
			return nil, err
		}
		if c.typ, err = sftype.Parse(ts); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}
