package typemap

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// viewKeywords pass through (upper-cased); anything not listed makes a
// view unsafe to translate.
var viewKeywords = set("select", "from", "where", "and", "or", "not", "as", "on", "join", "left", "right",
	"inner", "full", "outer", "cross", "group", "by", "order", "having", "distinct", "case", "when", "then",
	"else", "end", "is", "null", "in", "between", "asc", "desc", "union", "all", "limit", "offset", "true",
	"false", "exists", "nulls", "first", "last", "using")

// viewFuncs have the same meaning in both systems.
var viewFuncs = set("count", "sum", "min", "max", "coalesce", "nullif", "upper", "lower", "length", "abs",
	"floor", "ceil", "greatest", "least", "concat")

// viewCasts maps PostgreSQL cast targets to Snowflake types.
var viewCasts = map[string]string{
	"text": "VARCHAR", "character varying": "VARCHAR", "varchar": "VARCHAR", "integer": "INTEGER",
	"bigint": "BIGINT", "smallint": "SMALLINT", "numeric": "NUMBER", "boolean": "BOOLEAN", "date": "DATE",
	"double precision": "FLOAT", "timestamp without time zone": "TIMESTAMP_NTZ",
}

var viewOps = map[string]string{"~~": "LIKE", "~~*": "ILIKE", "!~~": "NOT LIKE", "!~~*": "NOT ILIKE",
	"=": "=", "<>": "<>", "!=": "<>", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "+": "+", "-": "-",
	"*": "*", "||": "||", ",": ",", "(": "(", ")": ")", ".": "."}

func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[w] = true
	}
	return m
}

func (m *mapper) view(ms *Schema, v *catalog.View, db *catalog.Database) {
	obj := v.Schema + "." + v.Name
	if v.Kind == catalog.ViewMaterialized {
		m.note(obj, "materialized view not created: Snowflake materialized views differ; recreate by hand")
		return
	}
	q, err := m.translateView(v.Definition, db, ms.Target)
	if err != nil {
		m.note(obj, "view not created: %v", err)
		return
	}
	ms.Views = append(ms.Views, &View{SourceName: catalog.QualifiedName{Schema: v.Schema, Name: v.Name}, Schema: ms.Target,
		Target: ident.Map(v.Name, m.mode), Query: q, Comment: v.Comment})
}

type vtok struct {
	kind byte // i ident, q quoted ident, n number, s string, o operator
	text string
}

func tokenizeView(sql string) ([]vtok, error) {
	var out []vtok
	s := strings.TrimSpace(sql)
	s = strings.TrimSuffix(s, ";")
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			i++
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(s) && (s[j] == '_' || s[j] == '$' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			if j < len(s) && s[j] == '\'' {
				return nil, fmt.Errorf("prefixed string literal %s'…", s[i:j])
			}
			out = append(out, vtok{'i', strings.ToLower(s[i:j])})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.') {
				j++
			}
			out = append(out, vtok{'n', s[i:j]})
			i = j
		case c == '"' || c == '\'':
			var b strings.Builder
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						b.WriteByte(c)
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			if j >= len(s) {
				return nil, fmt.Errorf("unterminated quote")
			}
			k := byte('q')
			if c == '\'' {
				k = 's'
			}
			out = append(out, vtok{k, b.String()})
			i = j + 1
		default:
			j := i + 1
			for j < len(s) && strings.IndexByte("~!<>=|*:", s[j]) >= 0 && strings.IndexByte("~!<>=|:", s[i]) >= 0 {
				j++
			}
			out = append(out, vtok{'o', s[i:j]})
			i = j
		}
	}
	return out, nil
}

// translateView rewrites a pg_get_viewdef query into Snowflake SQL, or
// says why it is not safe. Names go through the identifier rule; schema
// qualifiers through schema_map.
func (m *mapper) translateView(def string, db *catalog.Database, schema string) (string, error) {
	toks, err := tokenizeView(def)
	if err != nil {
		return "", err
	}
	renamed := map[string]bool{}
	for _, t := range m.opts.Tables {
		if t.TargetName != "" {
			renamed[t.Table] = true
		}
		for _, c := range t.Columns {
			if c.TargetName != "" {
				renamed[c.Column] = true
			}
		}
	}
	var out []string
	// Unqualified relations after FROM/JOIN (and commas in a FROM list) get
	// the view's schema: the view must not depend on the session's schema.
	inFrom, expectRel := false, false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		wasExpecting := expectRel
		expectRel = false
		if t.kind == 'i' {
			switch t.text {
			case "from", "join":
				inFrom, expectRel = true, true
			case "where", "group", "order", "having", "limit", "on", "union", "using", "offset":
				inFrom = false
			}
		}
		if t.kind == 'o' && t.text == "," && inFrom {
			expectRel = true
		}
		next := func(k int) vtok {
			if i+k < len(toks) {
				return toks[i+k]
			}
			return vtok{}
		}
		switch t.kind {
		case 'n':
			out = append(out, t.text)
		case 's':
			out = append(out, sfString(t.text))
		case 'i', 'q':
			if t.kind == 'i' && viewKeywords[t.text] {
				out = append(out, strings.ToUpper(t.text))
				continue
			}
			if t.kind == 'i' && next(1).text == "(" {
				if !viewFuncs[t.text] {
					return "", fmt.Errorf("function %s() has no checked Snowflake equivalent", t.text)
				}
				out = append(out, strings.ToUpper(t.text)+"(")
				i++
				continue
			}
			if renamed[t.text] {
				return "", fmt.Errorf("%s is renamed by a target_name override", t.text)
			}
			if next(1).text == "." && db.Schema(t.text) != nil {
				out = append(out, ident.Quote(m.schemaTarget(t.text)))
				continue
			}
			if next(1).text == "." && (t.text == "pg_catalog" || t.text == "information_schema") {
				return "", fmt.Errorf("references %s", t.text)
			}
			name := ident.Quote(ident.Map(t.text, m.mode))
			if wasExpecting {
				name = ident.Quote(schema) + "." + name
			}
			out = append(out, name)
		case 'o':
			if t.text == "::" {
				typ, n := castType(toks[i+1:])
				sf, ok := viewCasts[typ]
				if !ok {
					return "", fmt.Errorf("cast to %q has no checked Snowflake equivalent", typ)
				}
				out = append(out, "::"+sf)
				i += n
				continue
			}
			op, ok := viewOps[t.text]
			if !ok {
				return "", fmt.Errorf("operator %s has no checked Snowflake equivalent", t.text)
			}
			out = append(out, op)
		}
	}
	return joinSQL(out), nil
}

// castType reads a cast's type name (several words) and returns it with
// the number of tokens used.
func castType(toks []vtok) (string, int) {
	var words []string
	n := 0
	for n < len(toks) && toks[n].kind == 'i' {
		w := toks[n].text
		if len(words) > 0 && !castWord[w] {
			break
		}
		words = append(words, w)
		n++
	}
	return strings.Join(words, " "), n
}

var castWord = set("varying", "precision", "without", "with", "time", "zone")

func joinSQL(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && p != "," && p != ")" && p != "." && !strings.HasPrefix(p, "::") && !strings.HasSuffix(parts[i-1], "(") && parts[i-1] != "." {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}
