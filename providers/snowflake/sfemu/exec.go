package sfemu

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// dispatch runs one statement.
func (se *session) dispatch(ctx context.Context, p *parser) (*result, error) {
	t := p.peek()
	switch {
	case t.is("SELECT"), t.is("WITH"), t.isOp("("):
		return se.query(ctx, p)
	case t.is("INSERT"), t.is("UPDATE"), t.is("DELETE"):
		return se.dml(ctx, p)
	case t.is("CREATE"):
		return se.create(ctx, p)
	case t.is("DROP"):
		return se.drop(ctx, p)
	case t.is("ALTER"):
		if p.peekAt(1).is("SESSION") {
			return se.alterSession(ctx, p)
		}
		if p.peekAt(1).is("TABLE") {
			return se.alterTable(ctx, p)
		}
	case t.is("USE"):
		return se.useStmt(ctx, p)
	case t.is("BEGIN"), t.is("START"), t.is("COMMIT"), t.is("ROLLBACK"):
		return se.tcl(ctx, p)
	case t.is("TRUNCATE"):
		return se.truncate(ctx, p)
	case t.is("COMMENT"):
		return se.comment(ctx, p)
	case t.is("SHOW"):
		return se.show(ctx, p)
	case t.is("DESCRIBE"), t.is("DESC"):
		return se.describe(ctx, p)
	case t.is("PUT"):
		return se.put(ctx, p)
	case t.is("LIST"), t.is("LS"):
		return se.list(ctx, p)
	case t.is("REMOVE"), t.is("RM"):
		return se.remove(ctx, p)
	case t.is("COPY"):
		return se.copyInto(ctx, p)
	}
	return nil, unsupportedStmt(p)
}

// unsupportedStmt names the statement (its first words) in the error, so a
// caller never mistakes an unimplemented statement for a success.
func unsupportedStmt(p *parser) error {
	var words []string
	for i := 0; i < 3 && p.toks[i].kind == tIdent; i++ {
		words = append(words, strings.ToUpper(p.toks[i].text))
	}
	return unsupported(strings.Join(words, " "))
}

func statusResult(stmtType int64, msg string) *result {
	return &result{
		cols:     []rowType{textCol("status")},
		rows:     [][]*string{{&msg}},
		stmtType: stmtType,
	}
}

func textCol(name string) rowType {
	l := int64(16777216)
	return rowType{Name: name, Type: "text", Length: &l, ByteLength: &l, Nullable: true}
}

func fixedCol(name string) rowType {
	p, s := int64(19), int64(0)
	return rowType{Name: name, Type: "fixed", Precision: &p, Scale: &s, Nullable: true}
}

func strp(s string) *string { return &s }

// inTxn runs fn in a backing transaction: inside the session's open
// transaction as a savepoint (a failed statement rolls back alone and the
// transaction stays open, as in Snowflake), or as its own autocommit transaction.
func (se *session) inTxn(ctx context.Context, fn func(tx pgx.Tx) error) error {
	var tx pgx.Tx
	var err error
	if se.tx != nil {
		tx, err = se.tx.Begin(ctx)
	} else {
		tx, err = se.conn.Begin(ctx)
	}
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback(ctx)
		return err
	}
	return tx.Commit(ctx)
}

// ddlTxn commits an open transaction first: in Snowflake a DDL statement
// implicitly commits the active transaction and runs in its own
// (https://docs.snowflake.com/en/sql-reference/transactions#ddl).
func (se *session) ddlTxn(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if se.tx != nil {
		err := se.tx.Commit(ctx)
		se.tx = nil
		if err != nil {
			return err
		}
	}
	return se.inTxn(ctx, fn)
}

func (se *session) tcl(ctx context.Context, p *parser) (*result, error) {
	switch {
	case p.accept("BEGIN"), p.accept("START", "TRANSACTION"):
		p.accept("TRANSACTION")
		p.accept("WORK")
		if p.accept("NAME") {
			if _, err := p.ident(); err != nil {
				return nil, err
			}
		}
		if err := p.expectEnd(); err != nil {
			return nil, err
		}
		if se.tx == nil {
			tx, err := se.conn.Begin(ctx)
			if err != nil {
				return nil, err
			}
			se.tx = tx
		}
		return statusResult(stmtTCL, "Statement executed successfully."), nil
	case p.accept("COMMIT"), p.accept("ROLLBACK"):
		commit := p.toks[0].is("COMMIT")
		p.accept("WORK")
		if err := p.expectEnd(); err != nil {
			return nil, err
		}
		if se.tx != nil {
			var err error
			if commit {
				err = se.tx.Commit(ctx)
			} else {
				err = se.tx.Rollback(ctx)
			}
			se.tx = nil
			if err != nil {
				return nil, err
			}
			// SET is transactional in PostgreSQL: restore session state after a rollback.
			if err := se.applySettings(ctx); err != nil {
				return nil, err
			}
		}
		return statusResult(stmtTCL, "Statement executed successfully."), nil
	}
	return nil, unsupportedStmt(p)
}

func (se *session) useStmt(ctx context.Context, p *parser) (*result, error) {
	p.next()
	kind := "SCHEMA"
	switch {
	case p.accept("DATABASE"):
		kind = "DATABASE"
	case p.accept("SCHEMA"):
	case p.accept("WAREHOUSE"):
		kind = "WAREHOUSE"
	case p.accept("ROLE"):
		kind = "ROLE"
	case p.accept("SECONDARY", "ROLES"):
		return nil, unsupported("USE SECONDARY ROLES")
	default:
		kind = ""
	}
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	name := n.last()
	switch {
	case kind == "" && len(n.parts) == 1:
		// Bare USE name: a database (https://docs.snowflake.com/en/sql-reference/sql/use).
		kind = "DATABASE"
	case (kind == "" || kind == "SCHEMA") && len(n.parts) == 2:
		kind, name = "SCHEMA", n.parts[0]+"\x00"+n.parts[1]
	case len(n.parts) > 1:
		return nil, syntaxErr(p.peek())
	}
	if err := se.use(ctx, kind, name); err != nil {
		return nil, err
	}
	return statusResult(stmtUse, "Statement executed successfully."), nil
}

func (se *session) alterSession(ctx context.Context, p *parser) (*result, error) {
	p.next()
	p.next()
	switch {
	case p.accept("SET"):
		for {
			k, err := p.ident()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp("="); err != nil {
				return nil, err
			}
			v := p.next()
			if v.kind == tEOF {
				return nil, syntaxErr(v)
			}
			if _, known := defaultParams[k]; !known {
				return nil, newErr("001006", "42601", "SQL compilation error:\ninvalid parameter '%s'", k)
			}
			se.params[k] = v.text
			if !p.acceptOp(",") {
				break
			}
		}
	case p.accept("UNSET"):
		for {
			k, err := p.ident()
			if err != nil {
				return nil, err
			}
			d, known := defaultParams[k]
			if !known {
				return nil, newErr("001006", "42601", "SQL compilation error:\ninvalid parameter '%s'", k)
			}
			se.params[k] = d
			if !p.acceptOp(",") {
				break
			}
		}
	default:
		return nil, unsupportedStmt(p)
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	if err := se.applySettings(ctx); err != nil {
		return nil, fmt.Errorf("ALTER SESSION: %w", err)
	}
	return statusResult(stmtAlterSes, "Statement executed successfully."), nil
}
