package sfemu

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// alterTable implements the ALTER TABLE forms listed in docs/emulator.md
// (https://docs.snowflake.com/en/sql-reference/sql/alter-table,
// https://docs.snowflake.com/en/sql-reference/sql/alter-table-column).
func (se *session) alterTable(ctx context.Context, p *parser) (*result, error) {
	p.next()
	p.next()
	ifExists := p.accept("IF", "EXISTS")
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	k, err := objectKind(ctx, se.conn, r, "TABLE")
	if err != nil {
		return nil, err
	}
	if k == "" {
		if ifExists {
			return statusResult(stmtDDL, "Statement executed successfully."), nil
		}
		return nil, notExist("Table", r.String())
	}
	var work func(tx pgx.Tx) error
	switch {
	case p.accept("ADD"):
		if c, ok, err := se.outOfLineConstraint(p); err != nil {
			return nil, err
		} else if ok {
			work = func(tx pgx.Tx) error { return putConstraint(ctx, tx, r, c) }
			break
		}
		p.accept("COLUMN")
		col, cons, err := se.columnDefinition(p)
		if err != nil {
			return nil, err
		}
		work = func(tx pgx.Tx) error {
			d := "ALTER TABLE " + r.pgName() + " ADD COLUMN " + quotePG(col.name) + " " + colDDL(col.name, col.typ)
			if col.dflt != "" {
				d += " DEFAULT " + col.dflt
			}
			if col.notNull {
				d += " NOT NULL"
			}
			if _, err := tx.Exec(ctx, d); err != nil {
				return err
			}
			for _, c := range cons {
				if err := putConstraint(ctx, tx, r, c); err != nil {
					return err
				}
			}
			return putColumnMeta(ctx, tx, r, col.name, col.typ, col.comment)
		}
	case p.accept("DROP", "CONSTRAINT"):
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		work = func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `DELETE FROM sfemu_meta.constraints WHERE pgschema = $1 AND tbl = $2 AND name = $3`, r.pgSchema(), r.name, name)
			if err == nil && tag.RowsAffected() == 0 {
				return notExist("Constraint", quoteSF(name))
			}
			return err
		}
	case p.accept("DROP", "PRIMARY", "KEY"):
		work = func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `DELETE FROM sfemu_meta.constraints WHERE pgschema = $1 AND tbl = $2 AND kind = 'PRIMARY KEY'`, r.pgSchema(), r.name)
			return err
		}
	case p.accept("DROP"):
		p.accept("COLUMN")
		var names []string
		for {
			c, err := p.ident()
			if err != nil {
				return nil, err
			}
			names = append(names, c)
			if !p.acceptOp(",") {
				break
			}
		}
		work = func(tx pgx.Tx) error {
			for _, c := range names {
				if _, err := tx.Exec(ctx, "ALTER TABLE "+r.pgName()+" DROP COLUMN "+quotePG(c)); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `DELETE FROM sfemu_meta.columns WHERE pgschema = $1 AND tbl = $2 AND name = $3`, r.pgSchema(), r.name, c); err != nil {
					return err
				}
			}
			return nil
		}
	case p.accept("ALTER"), p.accept("MODIFY"):
		p.accept("COLUMN")
		if work, err = se.alterColumn(ctx, p, r); err != nil {
			return nil, err
		}
	case p.accept("RENAME", "COLUMN"):
		from, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expect("TO"); err != nil {
			return nil, err
		}
		to, err := p.ident()
		if err != nil {
			return nil, err
		}
		work = func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "ALTER TABLE "+r.pgName()+" RENAME COLUMN "+quotePG(from)+" TO "+quotePG(to)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE sfemu_meta.columns SET name = $4 WHERE pgschema = $1 AND tbl = $2 AND name = $3`, r.pgSchema(), r.name, from, to)
			return err
		}
	case p.accept("RENAME", "TO"):
		n2, err := p.objName()
		if err != nil {
			return nil, err
		}
		to, err := se.resolve(n2)
		if err != nil {
			return nil, err
		}
		work = func(tx pgx.Tx) error { return renameTable(ctx, tx, r, to) }
	case p.accept("SWAP", "WITH"):
		n2, err := p.objName()
		if err != nil {
			return nil, err
		}
		other, err := se.resolve(n2)
		if err != nil {
			return nil, err
		}
		if k, err := objectKind(ctx, se.conn, other, "TABLE"); err != nil {
			return nil, err
		} else if k == "" {
			return nil, notExist("Table", other.String())
		}
		tmp := resolved{r.db, r.schema, "sfemu_swap_" + newToken()[:12]}
		work = func(tx pgx.Tx) error {
			if err := renameTable(ctx, tx, r, tmp); err != nil {
				return err
			}
			if err := renameTable(ctx, tx, other, r); err != nil {
				return err
			}
			return renameTable(ctx, tx, tmp, other)
		}
	case p.accept("SET", "COMMENT"), p.accept("UNSET", "COMMENT"):
		var c *string
		if p.toks[p.i-2].is("SET") {
			p.acceptOp("=")
			s, err := p.stringLit()
			if err != nil {
				return nil, err
			}
			c = &s
		}
		work = func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE sfemu_meta.objects SET comment = $3 WHERE pgschema = $1 AND name = $2 AND kind = 'TABLE'`, r.pgSchema(), r.name, c)
			return err
		}
	default:
		return nil, unsupportedStmt(p)
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	if err := se.ddlTxn(ctx, work); err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, "Statement executed successfully."), nil
}

func (se *session) alterColumn(ctx context.Context, p *parser, r resolved) (func(pgx.Tx) error, error) {
	col, err := p.ident()
	if err != nil {
		return nil, err
	}
	alter := "ALTER TABLE " + r.pgName() + " ALTER COLUMN " + quotePG(col)
	switch {
	case p.accept("SET", "DATA", "TYPE"), p.accept("TYPE"):
		tt, err := p.typeText()
		if err != nil {
			return nil, err
		}
		to, err := sftype.Parse(tt)
		if err != nil {
			return nil, typeErr(err)
		}
		var cur string
		if err := se.conn.QueryRow(ctx, `SELECT sftype FROM sfemu_meta.columns WHERE pgschema = $1 AND tbl = $2 AND name = $3`,
			r.pgSchema(), r.name, col).Scan(&cur); err != nil {
			if err == pgx.ErrNoRows {
				return nil, newErr("000904", "42000", "SQL compilation error: error line 1 at position 0\ninvalid identifier '%s'", quoteSF(col))
			}
			return nil, err
		}
		from, err := sftype.Parse(cur)
		if err != nil {
			return nil, err
		}
		if !from.CanWidenTo(to) {
			return nil, newErr("002108", "22000", "SQL compilation error: cannot change column %s from type %s to %s", quoteSF(col), from, to)
		}
		return func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "ALTER TABLE "+r.pgName()+" DROP CONSTRAINT IF EXISTS "+quotePG(lenCheckName(col))); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, alter+" TYPE "+colPGType(to)); err != nil {
				return err
			}
			if chk := colCheck(col, to); chk != "" {
				if _, err := tx.Exec(ctx, "ALTER TABLE "+r.pgName()+" ADD"+chk); err != nil {
					return err
				}
			}
			return putColumnMeta(ctx, tx, r, col, to, nil)
		}, nil
	case p.accept("SET", "NOT", "NULL"):
		return func(tx pgx.Tx) error { _, err := tx.Exec(ctx, alter+" SET NOT NULL"); return err }, nil
	case p.accept("DROP", "NOT", "NULL"):
		return func(tx pgx.Tx) error { _, err := tx.Exec(ctx, alter+" DROP NOT NULL"); return err }, nil
	case p.accept("DROP", "DEFAULT"):
		return func(tx pgx.Tx) error { _, err := tx.Exec(ctx, alter+" DROP DEFAULT"); return err }, nil
	case p.accept("SET", "DEFAULT"):
		return se.setSequenceDefault(ctx, p, r, col)
	case p.accept("COMMENT"):
		c, err := p.stringLit()
		if err != nil {
			return nil, err
		}
		return func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `UPDATE sfemu_meta.columns SET comment = $4 WHERE pgschema = $1 AND tbl = $2 AND name = $3`, r.pgSchema(), r.name, col, c)
			return err
		}, nil
	}
	return nil, unsupported("ALTER COLUMN " + p.peek().upper())
}

// renameTable moves a table and everything the metadata knows about it.
func renameTable(ctx context.Context, tx pgx.Tx, from, to resolved) error {
	if from.pgSchema() != to.pgSchema() {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+from.pgName()+" SET SCHEMA "+quotePG(to.pgSchema())); err != nil {
			return err
		}
	}
	if from.name != to.name {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+quotePG(to.pgSchema())+"."+quotePG(from.name)+" RENAME TO "+quotePG(to.name)); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE sfemu_meta.objects SET pgschema = $3, name = $4 WHERE pgschema = $1 AND name = $2 AND kind = 'TABLE'`,
		from.pgSchema(), from.name, to.pgSchema(), to.name); err != nil {
		return err
	}
	for _, t := range []string{"columns", "constraints", "load_history"} {
		if _, err := tx.Exec(ctx, `UPDATE sfemu_meta.`+t+` SET pgschema = $3, tbl = $4 WHERE pgschema = $1 AND tbl = $2`,
			from.pgSchema(), from.name, to.pgSchema(), to.name); err != nil {
			return err
		}
	}
	return nil
}

// truncate empties a table and forgets its load metadata, as Snowflake's
// TRUNCATE does (https://docs.snowflake.com/en/sql-reference/sql/truncate-table).
func (se *session) truncate(ctx context.Context, p *parser) (*result, error) {
	p.next()
	p.accept("TABLE")
	ifExists := p.accept("IF", "EXISTS")
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	if k, err := objectKind(ctx, se.conn, r, "TABLE"); err != nil {
		return nil, err
	} else if k == "" {
		if ifExists {
			return statusResult(stmtDDL, "Statement executed successfully."), nil
		}
		return nil, notExist("Table", r.String())
	}
	err = se.inTxn(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "TRUNCATE "+r.pgName()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM sfemu_meta.load_history WHERE pgschema = $1 AND tbl = $2`, r.pgSchema(), r.name)
		return err
	})
	if err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, "Statement executed successfully."), nil
}

// comment implements COMMENT [IF EXISTS] ON TABLE|VIEW|COLUMN|SCHEMA|DATABASE name IS 'text'.
func (se *session) comment(ctx context.Context, p *parser) (*result, error) {
	p.next()
	p.accept("IF", "EXISTS")
	if err := p.expect("ON"); err != nil {
		return nil, err
	}
	kind := p.next().upper()
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	if err := p.expect("IS"); err != nil {
		return nil, err
	}
	text, err := p.stringLit()
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	var q string
	var args []any
	switch kind {
	case "TABLE", "VIEW", "SEQUENCE", "STAGE":
		r, err := se.resolve(n)
		if err != nil {
			return nil, err
		}
		q, args = `UPDATE sfemu_meta.objects SET comment = $3 WHERE pgschema = $1 AND name = $2 AND kind = $4`, []any{r.pgSchema(), r.name, text, kind}
	case "COLUMN":
		if len(n.parts) < 2 {
			return nil, syntaxErr(p.peek())
		}
		r, err := se.resolve(objName{parts: n.parts[:len(n.parts)-1]})
		if err != nil {
			return nil, err
		}
		q, args = `UPDATE sfemu_meta.columns SET comment = $4 WHERE pgschema = $1 AND tbl = $2 AND name = $3`, []any{r.pgSchema(), r.name, n.last(), text}
	case "SCHEMA":
		db := se.db
		if len(n.parts) == 2 {
			db = n.parts[0]
		}
		q, args = `UPDATE sfemu_meta.schemas SET comment = $3 WHERE db = $1 AND name = $2`, []any{db, n.last(), text}
	case "DATABASE":
		q, args = `UPDATE sfemu_meta.databases SET comment = $2 WHERE name = $1`, []any{n.last(), text}
	default:
		return nil, unsupported("COMMENT ON " + kind)
	}
	var affected int64
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, q, args...)
		affected = tag.RowsAffected()
		return err
	})
	if err != nil {
		return nil, err
	}
	if affected == 0 {
		return nil, notExist("Object", n.String())
	}
	return statusResult(stmtDDL, fmt.Sprintf("Statement executed successfully.")), nil
}
