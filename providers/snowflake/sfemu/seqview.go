package sfemu

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

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
	replace, done, err := se.createCheck(ctx, h, r, "SEQUENCE")
	if done != nil || err != nil {
		return done, err
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if replace {
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
	return statusResult(stmtDDL, createdMsg("SEQUENCE", quoteSF(r.name), replace)), nil
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
	replace, done, err := se.createCheck(ctx, h, r, "VIEW", "TABLE")
	if done != nil || err != nil {
		return done, err
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if replace {
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
	return statusResult(stmtDDL, createdMsg("VIEW", quoteSF(r.name), replace)), nil
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
