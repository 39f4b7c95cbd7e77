package sfemu

import (
	"strings"
)

// tokKind classifies a lexical token of Snowflake SQL.
type tokKind int

const (
	tEOF    tokKind = iota
	tIdent          // unquoted identifier or keyword
	tQIdent         // "quoted identifier" (text without quotes, "" undoubled)
	tString         // 'string' or $$string$$ (text is the decoded value)
	tNumber         // 12, 1.5, 1e10
	tOp             // operators and punctuation: ( ) , ; . :: = <> etc.
	tParam          // ? or :1 bind placeholder
	tStage          // @stage/path or @~ (raw text after '@')
	tFile           // file://… (raw text)
	tRaw            // already PostgreSQL text (bound values)
)

type token struct {
	kind tokKind
	text string // decoded value (identifiers keep their spelling)
	pos  int    // byte offset in the statement
	end  int
}

// upper is the folded spelling of an unquoted identifier or keyword.
func (t token) upper() string { return strings.ToUpper(t.text) }

// is reports whether t is the unquoted keyword kw (case-insensitive).
func (t token) is(kw string) bool { return t.kind == tIdent && strings.EqualFold(t.text, kw) }

func (t token) isOp(op string) bool { return t.kind == tOp && t.text == op }

// tokenize splits Snowflake SQL. String literals follow Snowflake's rules:
// ” and backslash escapes inside single quotes, and $$…$$ raw strings
// (https://docs.snowflake.com/en/sql-reference/data-types-text#string-constants).
func tokenize(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-', c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			j := strings.Index(s[i+2:], "*/")
			if j < 0 {
				return nil, compileErr(i, "unterminated comment")
			}
			i += j + 4
		case c == '\'':
			v, n, err := scanString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tString, v, i, n})
			i = n
		case c == '$' && i+1 < len(s) && s[i+1] == '$':
			j := strings.Index(s[i+2:], "$$")
			if j < 0 {
				return nil, compileErr(i, "unterminated $$ string")
			}
			toks = append(toks, token{tString, s[i+2 : i+2+j], i, i + j + 4})
			i += j + 4
		case c == '"':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(s) {
					return nil, compileErr(i, "unterminated quoted identifier")
				}
				if s[j] == '"' {
					if j+1 < len(s) && s[j+1] == '"' {
						b.WriteByte('"')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			if b.Len() == 0 {
				return nil, compileErr(i, "zero-length delimited identifier")
			}
			toks = append(toks, token{tQIdent, b.String(), i, j + 1})
			i = j + 1
		case isIdentStart(c):
			j := i
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			if strings.EqualFold(s[i:j], "file") && strings.HasPrefix(s[j:], "://") {
				k := j
				for k < len(s) && !isSpace(s[k]) && s[k] != ';' {
					k++
				}
				toks = append(toks, token{tFile, s[i:k], i, k})
				i = k
				continue
			}
			toks = append(toks, token{tIdent, s[i:j], i, j})
			i = j
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
				k := j + 1
				if k < len(s) && (s[k] == '+' || s[k] == '-') {
					k++
				}
				if k < len(s) && s[k] >= '0' && s[k] <= '9' {
					for k < len(s) && s[k] >= '0' && s[k] <= '9' {
						k++
					}
					j = k
				}
			}
			toks = append(toks, token{tNumber, s[i:j], i, j})
			i = j
		case c == '@':
			j := i + 1
			for j < len(s) && !isSpace(s[j]) && s[j] != ';' && s[j] != ')' && s[j] != ',' {
				if s[j] == '\'' {
					break
				}
				j++
			}
			toks = append(toks, token{tStage, s[i+1 : j], i, j})
			i = j
		case c == '?':
			toks = append(toks, token{tParam, "?", i, i + 1})
			i++
		case c == ':' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			toks = append(toks, token{tParam, s[i+1 : j], i, j})
			i = j
		default:
			op := string(c)
			if i+1 < len(s) {
				two := s[i : i+2]
				switch two {
				case "::", "<>", "!=", "<=", ">=", "||", "=>":
					op = two
				}
			}
			// '$' starts a staged file's column reference ($1) in a COPY transformation.
			if strings.IndexByte("(),;.=<>+-*/%:|[]{}!$", c) < 0 {
				return nil, compileErr(i, "unexpected '"+string(c)+"'")
			}
			toks = append(toks, token{tOp, op, i, i + len(op)})
			i += len(op)
		}
	}
	toks = append(toks, token{kind: tEOF, pos: len(s), end: len(s)})
	return toks, nil
}

func scanString(s string, i int) (string, int, error) {
	var b strings.Builder
	j := i + 1
	for {
		if j >= len(s) {
			return "", 0, compileErr(i, "unterminated string")
		}
		c := s[j]
		switch {
		case c == '\'' && j+1 < len(s) && s[j+1] == '\'':
			b.WriteByte('\'')
			j += 2
		case c == '\'':
			return b.String(), j + 1, nil
		case c == '\\' && j+1 < len(s):
			j++
			switch s[j] {
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
			case '0':
				b.WriteByte(0)
			default:
				b.WriteByte(s[j])
			}
			j++
		default:
			b.WriteByte(c)
			j++
		}
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' || c == '$' }

// splitStatements cuts a request into statements at top-level semicolons.
func splitStatements(toks []token) [][]token {
	var out [][]token
	start := 0
	for i, t := range toks {
		if t.isOp(";") || t.kind == tEOF {
			if i > start {
				stmt := append(append([]token{}, toks[start:i]...), token{kind: tEOF, pos: t.pos, end: t.pos})
				out = append(out, stmt)
			}
			start = i + 1
		}
	}
	return out
}
