package sfemu

import (
	"context"
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// checkInsertLiterals validates the literal values of INSERT … VALUES
// against the target columns' Snowflake types before PostgreSQL sees them,
// so the error names the value the way Snowflake does ("Numeric value '…' is
// out of range", "String '…' is too long and would be truncated"). Values
// that are expressions are left to the backing database and its checks.
func (se *session) checkInsertLiterals(ctx context.Context, toks []token) error {
	p := &parser{toks: toks, se: se}
	if !p.accept("INSERT", "INTO") {
		return nil
	}
	n, err := p.objName()
	if err != nil {
		return nil
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil
	}
	var names []string
	if p.peek().isOp("(") {
		if names, err = p.identList(); err != nil {
			return nil
		}
	}
	if !p.accept("VALUES") {
		return nil
	}
	cols, err := se.loadColumns(ctx, r, names)
	if err != nil {
		return nil // the statement itself will report it
	}
	for p.acceptOp("(") {
		for i := 0; ; i++ {
			start := p.i
			depth := 0
			for !p.atEnd() && !(depth == 0 && (p.peek().isOp(",") || p.peek().isOp(")"))) {
				if p.peek().isOp("(") {
					depth++
				} else if p.peek().isOp(")") {
					depth--
				}
				p.i++
			}
			if v, ok := literalValue(toks[start:p.i]); ok && i < len(cols) {
				if err := checkLiteral(cols[i].Type, v); err != nil {
					return err
				}
			}
			if p.acceptOp(")") {
				break
			}
			if !p.acceptOp(",") {
				return nil
			}
		}
		if !p.acceptOp(",") {
			break
		}
	}
	return nil
}

// literalValue recognises a plain literal: 'text', 12, -1.5.
func literalValue(ts []token) (string, bool) {
	switch {
	case len(ts) == 1 && (ts[0].kind == tString || ts[0].kind == tNumber):
		return ts[0].text, true
	case len(ts) == 2 && ts[0].kind == tOp && (ts[0].text == "-" || ts[0].text == "+") && ts[1].kind == tNumber:
		return strings.TrimPrefix(ts[0].text, "+") + ts[1].text, true
	}
	return "", false
}

func checkLiteral(t sftype.Type, v string) error {
	switch t.Kind {
	case sftype.Varchar:
		if n := len([]rune(v)); n > t.Length {
			return newErr("100078", "22000", "String '%s' is too long and would be truncated", v)
		}
		return nil
	case sftype.Number, sftype.Float, sftype.Boolean, sftype.Date:
		if _, err := sftype.Coerce(t, v, sftype.CoerceOptions{}); err != nil {
			return typeErr(err)
		}
	}
	return nil
}
