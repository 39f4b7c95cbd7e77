package sfload

import (
	"fmt"
	"strconv"
	"strings"
)

// token is one lexical item of option text.
type token struct {
	kind byte   // 'i' identifier/keyword/number, 's' string literal, or the punctuation itself: = ( ) ,
	text string // identifier (upper-cased), number, or the unescaped string
	raw  string // identifier as written
}

// lex splits option text into tokens. String literals follow Snowflake's
// rules for single-quoted constants: a doubled quote is a quote, and backslash escapes
// \\ \' \" \n \t \r \b \f \0, octal \ooo, hex \xhh and \uhhhh
// (https://docs.snowflake.com/en/sql-reference/data-types-text#escape-sequences-in-single-quoted-string-constants);
// an unknown escape keeps the character without the backslash.
func lex(s string) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '=' || c == '(' || c == ')' || c == ',':
			out = append(out, token{kind: c, text: string(c)})
			i++
		case c == '\'':
			str, n, err := unquote(s[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, token{kind: 's', text: str})
			i += n
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, syntaxErr("unterminated quoted identifier")
			}
			out = append(out, token{kind: 'i', text: s[i+1 : i+1+j], raw: s[i : i+2+j]})
			i += j + 2
		case isIdent(c) || c == '@':
			j := i
			for j < len(s) && (isIdent(s[j]) || s[j] == '.' || s[j] == '%' || s[j] == '@' || s[j] == '/' || s[j] == '"') {
				j++
			}
			out = append(out, token{kind: 'i', text: strings.ToUpper(s[i:j]), raw: s[i:j]})
			i = j
		default:
			return nil, syntaxErr(fmt.Sprintf("unexpected '%c'", c))
		}
	}
	return out, nil
}

func isIdent(c byte) bool {
	return c == '_' || c == '$' || c == '+' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// unquote reads a single-quoted literal at the start of s and returns its
// value and the number of bytes consumed.
func unquote(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' && i+1 < len(s) && s[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == '\'':
			return b.String(), i + 1, nil
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'x':
				if i+2 < len(s) {
					if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
						b.WriteByte(byte(v))
						i += 2
						continue
					}
				}
				return "", 0, syntaxErr("invalid \\x escape in string literal")
			case 'u':
				if i+4 < len(s) {
					if v, err := strconv.ParseUint(s[i+1:i+5], 16, 32); err == nil {
						b.WriteRune(rune(v))
						i += 4
						continue
					}
				}
				return "", 0, syntaxErr("invalid \\u escape in string literal")
			default:
				if e >= '0' && e <= '7' {
					j := i
					for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
						j++
					}
					v, _ := strconv.ParseUint(s[i:j], 8, 16)
					b.WriteByte(byte(v))
					i = j - 1
					continue
				}
				b.WriteByte(e) // \\, \', \" and unknown escapes: the character itself
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, syntaxErr("unterminated string literal")
}

// OptionError is a compilation error in option text.
type OptionError struct {
	Code     int
	SQLState string
	Message  string
}

func (e *OptionError) Error() string { return e.Message }

func syntaxErr(msg string) *OptionError {
	return &OptionError{Code: 1003, SQLState: "42000", Message: "SQL compilation error: syntax error: " + msg}
}

func propErr(format string, a ...any) *OptionError {
	return &OptionError{Code: 2014, SQLState: "22023", Message: "SQL compilation error: " + fmt.Sprintf(format, a...)}
}

// written is the token as the user wrote it (identifiers keep their case).
func (t token) written() string {
	if t.kind == 'i' && t.raw != "" {
		return t.raw
	}
	return t.text
}

// parser walks a token list.
type parser struct {
	toks []token
	i    int
}

func (p *parser) more() bool { return p.i < len(p.toks) }

func (p *parser) peek() token {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return token{}
}

func (p *parser) next() token {
	t := p.peek()
	if p.more() {
		p.i++
	}
	return t
}

func (p *parser) expect(kind byte) error {
	if t := p.next(); t.kind != kind {
		return syntaxErr(fmt.Sprintf("expected '%c' near '%s'", kind, t.text))
	}
	return nil
}

// value reads a scalar: a string literal or a keyword/number.
func (p *parser) value(key string) (token, error) {
	t := p.next()
	if t.kind != 's' && t.kind != 'i' {
		return t, syntaxErr(fmt.Sprintf("missing value for %s", key))
	}
	return t, nil
}

// list reads ( v [, v …] ) — the parentheses are optional for one value.
func (p *parser) list(key string) ([]string, error) {
	if p.peek().kind != '(' {
		t, err := p.value(key)
		return []string{t.text}, err
	}
	p.next()
	var out []string
	for {
		t := p.next()
		switch t.kind {
		case ')':
			return out, nil
		case 's', 'i':
			out = append(out, t.text)
		default:
			return nil, syntaxErr(fmt.Sprintf("bad list for %s", key))
		}
		if p.peek().kind == ',' {
			p.next()
		}
	}
}
