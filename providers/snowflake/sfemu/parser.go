package sfemu

import (
	"strconv"
	"strings"
)

// parser walks the tokens of one statement.
type parser struct {
	toks []token
	i    int
	se   *session
	sql  string
}

func (p *parser) peek() token        { return p.toks[p.i] }
func (p *parser) peekAt(n int) token { return p.toks[min(p.i+n, len(p.toks)-1)] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// accept consumes the keyword sequence kws if it is next.
func (p *parser) accept(kws ...string) bool {
	for j, kw := range kws {
		if !p.peekAt(j).is(kw) {
			return false
		}
	}
	p.i += len(kws)
	return true
}

func (p *parser) acceptOp(op string) bool {
	if p.peek().isOp(op) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(kws ...string) error {
	if !p.accept(kws...) {
		return syntaxErr(p.peek())
	}
	return nil
}

func (p *parser) expectOp(op string) error {
	if !p.acceptOp(op) {
		return syntaxErr(p.peek())
	}
	return nil
}

func (p *parser) atEnd() bool { return p.peek().kind == tEOF }

func (p *parser) expectEnd() error {
	if !p.atEnd() {
		return syntaxErr(p.peek())
	}
	return nil
}

// rest is the raw statement text from the current token on.
func (p *parser) rest() string {
	return strings.TrimSpace(p.sql[p.peek().pos:p.toks[len(p.toks)-1].pos])
}

// ident reads one identifier part and applies Snowflake's case rules:
// unquoted folds to upper case, quoted is exact unless
// QUOTED_IDENTIFIERS_IGNORE_CASE is set
// (https://docs.snowflake.com/en/sql-reference/identifiers-syntax).
func (p *parser) ident() (string, error) {
	t := p.peek()
	switch t.kind {
	case tIdent:
		p.i++
		return strings.ToUpper(t.text), nil
	case tQIdent:
		p.i++
		if p.se != nil && p.se.ignoreQuotedCase() {
			return strings.ToUpper(t.text), nil
		}
		return t.text, nil
	}
	return "", syntaxErr(t)
}

// objName is a possibly qualified object name as written.
type objName struct {
	parts []string // folded parts, 1..3
}

func (n objName) last() string { return n.parts[len(n.parts)-1] }

func (n objName) String() string {
	q := make([]string, len(n.parts))
	for i, s := range n.parts {
		q[i] = quoteSF(s)
	}
	return strings.Join(q, ".")
}

func (p *parser) objName() (objName, error) {
	var n objName
	for {
		s, err := p.ident()
		if err != nil {
			return n, err
		}
		n.parts = append(n.parts, s)
		if len(n.parts) == 3 || !p.peek().isOp(".") {
			return n, nil
		}
		p.i++
	}
}

// resolved is a fully qualified Snowflake object name.
type resolved struct{ db, schema, name string }

func (r resolved) pgSchema() string { return pgSchema(r.db, r.schema) }
func (r resolved) pgName() string   { return quotePG(r.pgSchema()) + "." + quotePG(r.name) }
func (r resolved) String() string {
	return quoteSF(r.db) + "." + quoteSF(r.schema) + "." + quoteSF(r.name)
}

// resolve qualifies an object name with the session's current database and schema.
func (se *session) resolve(n objName) (resolved, error) {
	var r resolved
	switch len(n.parts) {
	case 3:
		r = resolved{n.parts[0], n.parts[1], n.parts[2]}
	case 2:
		if se.db == "" {
			return r, noCurrentDB()
		}
		r = resolved{se.db, n.parts[0], n.parts[1]}
	default:
		if se.db == "" {
			return r, noCurrentDB()
		}
		if se.schema == "" {
			return r, noCurrentSchema()
		}
		r = resolved{se.db, se.schema, n.parts[0]}
	}
	if len(r.pgSchema()) > 63 || len(r.name) > 63 {
		return r, newErr("002029", "0A000", "SQL compilation error:\nname '%s' is longer than the emulator supports (database.schema and object names are limited to 63 bytes each by the backing PostgreSQL)", r)
	}
	return r, nil
}

// stringLit reads a string literal.
func (p *parser) stringLit() (string, error) {
	t := p.peek()
	if t.kind != tString {
		return "", syntaxErr(t)
	}
	p.i++
	return t.text, nil
}

func (p *parser) intLit() (int64, error) {
	neg := p.acceptOp("-")
	t := p.peek()
	if t.kind != tNumber {
		return 0, syntaxErr(t)
	}
	p.i++
	v, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return 0, syntaxErr(t)
	}
	if neg {
		v = -v
	}
	return v, nil
}

// skipBalanced returns the raw text of a parenthesised group starting at the
// current '(' (exclusive of the outer parentheses) and moves past it.
func (p *parser) skipBalanced() (string, error) {
	if !p.peek().isOp("(") {
		return "", syntaxErr(p.peek())
	}
	start := p.peek().end
	depth := 0
	for {
		t := p.next()
		switch {
		case t.kind == tEOF:
			return "", syntaxErr(t)
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			depth--
			if depth == 0 {
				return p.sql[start:t.pos], nil
			}
		}
	}
}

// typeText reads a type name with its parameters ("NUMBER(38, 0)",
// "DOUBLE PRECISION", "TIMESTAMP_NTZ(6)") and returns its text.
func (p *parser) typeText() (string, error) {
	t := p.peek()
	if t.kind != tIdent {
		return "", syntaxErr(t)
	}
	start := t.pos
	p.i++
	for p.peek().kind == tIdent && multiWordType(p.peek().upper()) {
		p.i++
	}
	end := p.toks[p.i-1].end
	if p.peek().isOp("(") {
		if _, err := p.skipBalanced(); err != nil {
			return "", err
		}
		end = p.toks[p.i-1].end
	}
	return p.sql[start:end], nil
}

// multiWordType lists words that continue a type name (DOUBLE PRECISION,
// CHARACTER VARYING, TIMESTAMP WITH LOCAL TIME ZONE, …).
func multiWordType(w string) bool {
	switch w {
	case "PRECISION", "VARYING", "WITH", "WITHOUT", "LOCAL", "TIME", "ZONE":
		return true
	}
	return false
}
