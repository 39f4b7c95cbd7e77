package sfload

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// Item is one SELECT item of a COPY transformation over a Parquet file
// (https://docs.snowflake.com/en/user-guide/data-load-transform): the
// whole file row is $1, an OBJECT; an item reads one field of it and
// converts it. The emulator supports the subset pgsnow and the
// documentation's Parquet examples use:
//
//	$1:name   $1:"name"   GET($1, 'name')   [alias.]$1…
//	expr::TYPE   PARSE_JSON(expr)   TO_BINARY(expr [, 'HEX'|'BASE64'|'UTF-8'])
//
// Anything else is an emulator limit, reported as an error, never guessed.
type Item struct {
	Field string // the field read, case-sensitive like every OBJECT key
	Ops   []Op   // applied in order to the field's value
	Text  string // the item as written, for messages
}

// Op is one conversion step.
type Op struct {
	Kind   OpKind
	Type   sftype.Type // OpCast
	Format string      // OpToBinary: HEX, BASE64 or UTF8
}

// OpKind names a conversion step.
type OpKind int

const (
	OpCast OpKind = iota + 1
	OpParseJSON
	OpToBinary
)

// ParseTransform parses the SELECT list of a COPY transformation. alias is
// the staged file's alias in FROM ("" for none).
func ParseTransform(selectList, alias string) ([]Item, error) {
	toks, err := lexTransform(selectList)
	if err != nil {
		return nil, err
	}
	p := &tparser{toks: toks, alias: alias, src: selectList}
	var items []Item
	for {
		start := p.pos()
		it, err := p.expr()
		if err != nil {
			return nil, err
		}
		it.Text = strings.TrimSpace(selectList[start:p.pos()])
		items = append(items, it)
		if p.peek().kind == tkEOF {
			return items, nil
		}
		if !p.accept(",") {
			return nil, p.errAt(p.peek())
		}
	}
}

type tkKind int

const (
	tkEOF tkKind = iota
	tkIdent
	tkQuoted // "name"
	tkString // 'text'
	tkNumber
	tkOp
)

type tk struct {
	kind tkKind
	text string
	pos  int
}

func lexTransform(s string) ([]tk, error) {
	var out []tk
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == ':' && i+1 < len(s) && s[i+1] == ':':
			out = append(out, tk{tkOp, "::", i})
			i += 2
		case strings.IndexByte("$:(),.", c) >= 0:
			out = append(out, tk{tkOp, string(c), i})
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			out = append(out, tk{tkNumber, s[i:j], i})
			i = j
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					return nil, compileErrf("unterminated quoted identifier at position %d", i)
				}
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						b.WriteByte('"')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			out = append(out, tk{tkQuoted, b.String(), i})
			i = j + 1
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					return nil, compileErrf("unterminated string at position %d", i)
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				if s[j] == '\\' && j+1 < len(s) {
					j++
					switch s[j] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'r':
						b.WriteByte('\r')
					case '0':
						b.WriteByte(0)
					default:
						b.WriteByte(s[j])
					}
					continue
				}
				b.WriteByte(s[j])
			}
			out = append(out, tk{tkString, b.String(), i})
			i = j + 1
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '$' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			out = append(out, tk{tkIdent, s[i:j], i})
			i = j
		default:
			return nil, compileErrf("syntax error line 1 at position %d unexpected '%c'", i, c)
		}
	}
	return append(out, tk{tkEOF, "", len(s)}), nil
}

type tparser struct {
	toks  []tk
	i     int
	alias string
	src   string
}

func (p *tparser) peek() tk { return p.toks[p.i] }
func (p *tparser) next() tk {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}
func (p *tparser) pos() int { return p.toks[p.i].pos }

func (p *tparser) accept(op string) bool {
	if t := p.peek(); t.kind == tkOp && t.text == op {
		p.i++
		return true
	}
	return false
}

func (p *tparser) errAt(t tk) error {
	if t.kind == tkEOF {
		return compileErrf("syntax error: unexpected end of the SELECT list")
	}
	return compileErrf("syntax error line 1 at position %d unexpected '%s'", t.pos, t.text)
}

func (p *tparser) expect(op string) error {
	if !p.accept(op) {
		return p.errAt(p.peek())
	}
	return nil
}

// expr := primary { '::' type }
func (p *tparser) expr() (Item, error) {
	it, err := p.primary()
	if err != nil {
		return it, err
	}
	for p.accept("::") {
		typ, err := p.typ()
		if err != nil {
			return it, err
		}
		it.Ops = append(it.Ops, Op{Kind: OpCast, Type: typ})
	}
	return it, nil
}

func (p *tparser) primary() (Item, error) {
	t := p.peek()
	switch {
	case t.kind == tkOp && t.text == "$":
		return p.column()
	case t.kind == tkIdent && p.alias != "" && strings.EqualFold(t.text, p.alias) && p.toks[p.i+1].text == ".":
		p.i += 2
		return p.column()
	case t.kind == tkIdent && p.toks[p.i+1].text == "(":
		name := strings.ToUpper(t.text)
		p.i += 2
		switch name {
		case "GET":
			if err := p.dollarOne(); err != nil {
				return Item{}, err
			}
			if err := p.expect(","); err != nil {
				return Item{}, err
			}
			key := p.next()
			if key.kind != tkString {
				return Item{}, unsupportedf("GET with a key that is not a string literal")
			}
			return Item{Field: key.text}, p.expect(")")
		case "PARSE_JSON", "TO_BINARY":
			it, err := p.expr()
			if err != nil {
				return it, err
			}
			op := Op{Kind: OpParseJSON}
			if name == "TO_BINARY" {
				op = Op{Kind: OpToBinary, Format: "HEX"} // BINARY_INPUT_FORMAT's default
				if p.accept(",") {
					f := p.next()
					if f.kind != tkString {
						return it, p.errAt(f)
					}
					switch u := strings.ToUpper(f.text); u {
					case "HEX", "BASE64":
						op.Format = u
					case "UTF-8", "UTF8":
						op.Format = "UTF8"
					default:
						return it, compileErrf("The format '%s' is not supported by TO_BINARY", f.text)
					}
				}
			}
			it.Ops = append(it.Ops, op)
			return it, p.expect(")")
		}
		return Item{}, unsupportedf("function %s in a COPY transformation", name)
	}
	return Item{}, unsupportedf("COPY transformation item starting at '%s'", p.src[t.pos:])
}

// column reads $1 and an optional :path of one element.
func (p *tparser) column() (Item, error) {
	if err := p.dollarOne(); err != nil {
		return Item{}, err
	}
	if !p.accept(":") {
		return Item{}, unsupportedf("the whole row $1 as a column value")
	}
	el := p.next()
	if el.kind != tkIdent && el.kind != tkQuoted {
		return Item{}, p.errAt(el)
	}
	if p.peek().text == "." || p.peek().text == "[" {
		return Item{}, unsupportedf("nested paths in a COPY transformation")
	}
	return Item{Field: el.text}, nil
}

func (p *tparser) dollarOne() error {
	if !p.accept("$") {
		return p.errAt(p.peek())
	}
	if n := p.next(); n.kind != tkNumber || n.text != "1" {
		// A Parquet file has one column, $1.
		return compileErrf("invalid column reference $%s: a PARQUET file has a single column $1", n.text)
	}
	return nil
}

// typ reads NAME [ ( args ) ].
func (p *tparser) typ() (sftype.Type, error) {
	t := p.next()
	if t.kind != tkIdent {
		return sftype.Type{}, p.errAt(t)
	}
	text := t.text
	if p.peek().text == "(" {
		start := p.peek().pos
		for p.peek().kind != tkEOF && p.peek().text != ")" {
			p.next()
		}
		if err := p.expect(")"); err != nil {
			return sftype.Type{}, err
		}
		text += p.src[start:p.toks[p.i-1].pos] + ")"
	}
	typ, err := sftype.Parse(text)
	if err != nil {
		return typ, compileErrf("unsupported data type '%s'", text)
	}
	return typ, nil
}

func compileErrf(format string, args ...any) error {
	return &LoadError{Code: 1003, SQLState: "42000", Message: "SQL compilation error:\n" + fmt.Sprintf(format, args...)}
}

func unsupportedf(format string, args ...any) error {
	return &LoadError{Code: 2, SQLState: "0A000", Message: "emulator: unsupported: " + fmt.Sprintf(format, args...)}
}
