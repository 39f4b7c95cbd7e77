package sfemu

import (
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

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
