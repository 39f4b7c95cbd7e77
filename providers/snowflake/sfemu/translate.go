package sfemu

import (
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// Keywords passed through unquoted; every other unquoted word is an
// identifier and is folded to upper case and quoted for PostgreSQL.
var sqlKeywords = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`SELECT FROM WHERE AND OR NOT NULL TRUE FALSE AS ON JOIN LEFT RIGHT FULL
		INNER OUTER CROSS NATURAL USING GROUP BY ORDER ASC DESC NULLS FIRST LAST LIMIT OFFSET FETCH NEXT ROWS
		ROW ONLY HAVING UNION ALL DISTINCT EXCEPT INTERSECT CASE WHEN THEN ELSE END IS IN BETWEEN LIKE ILIKE
		ESCAPE EXISTS ANY SOME INSERT INTO VALUES UPDATE SET DELETE WITH RECURSIVE OVER PARTITION RANGE
		UNBOUNDED PRECEDING FOLLOWING CURRENT DEFAULT INTERVAL WITHIN FILTER DISTINCT`) {
		sqlKeywords[k] = true
	}
}

// Snowflake functions with a different PostgreSQL spelling; the sf_* and iff
// helpers live in the fnSchema schema (functions.go).
var funcMap = map[string]string{
	"IFF": "iff", "TO_NUMBER": "sf_to_number", "TO_DECIMAL": "sf_to_number", "TO_NUMERIC": "sf_to_number",
	"TRY_PARSE_JSON": "sf_try_parse_json", "PARSE_JSON": "sf_parse_json", "TO_VARCHAR": "sf_to_varchar",
	"TO_CHAR": "sf_to_varchar", "CONVERT_TIMEZONE": "sf_convert_timezone", "HEX_ENCODE": "sf_hex_encode",
	"SUBSTR": "sf_substr", "SUBSTRING": "sf_substr", "NVL": "coalesce", "IFNULL": "coalesce", "LEN": "length",
	"UUID_STRING": "sf_uuid_string", "TO_DATE": "sf_to_date", "TO_BOOLEAN": "sf_to_boolean",
	"COUNT": "count", "SUM": "sum", "MIN": "min", "MAX": "max", "AVG": "avg", "COALESCE": "coalesce",
	"NULLIF": "nullif", "UPPER": "upper", "LOWER": "lower", "LENGTH": "length", "TRIM": "trim", "LTRIM": "ltrim",
	"RTRIM": "rtrim", "ABS": "abs", "ROUND": "round", "FLOOR": "floor", "CEIL": "ceil", "GREATEST": "greatest",
	"LEAST": "least", "MD5": "sf_md5", "CONCAT": "concat", "REPLACE": "replace", "ROW_NUMBER": "row_number",
	"RANK": "rank", "DENSE_RANK": "dense_rank", "MOD": "mod", "SQRT": "sqrt", "POWER": "power",
	"STARTSWITH": "starts_with", "CONTAINS": "sf_contains", "OCTET_LENGTH": "octet_length",
	"COUNT_IF": "sf_count_if", "ANY_VALUE": "min", "LISTAGG": "string_agg", "BOOLAND_AGG": "bool_and",
	"BOOLOR_AGG": "bool_or", "DATE_TRUNC": "date_trunc", "EXTRACT": "extract", "SPLIT_PART": "split_part",
	"LPAD": "lpad", "RPAD": "rpad", "REVERSE": "reverse", "INITCAP": "initcap", "SIGN": "sign", "TRUNC": "trunc",
	"TRUNCATE": "trunc", "MD5_HEX": "sf_md5", "SHA2": "sf_sha2", "TYPEOF": "sf_typeof", "TO_BINARY": "sf_to_binary",
}

// Functions whose value is session state, answered at translation time.
var sessionFuncs = map[string]func(*session) string{
	"CURRENT_DATABASE":  func(s *session) string { return s.db },
	"CURRENT_SCHEMA":    func(s *session) string { return s.schema },
	"CURRENT_WAREHOUSE": func(s *session) string { return s.warehouse },
	"CURRENT_ROLE":      func(s *session) string { return s.role },
	"CURRENT_USER":      func(s *session) string { return strings.ToUpper(s.user) },
	"CURRENT_ACCOUNT":   func(s *session) string { return strings.ToUpper(accountPart(s.account)) },
	"CURRENT_VERSION":   func(s *session) string { return "9.0.0" },
}

// Syntax the translator does not handle; named in the error.
var unsupportedWords = map[string]bool{"QUALIFY": true, "TOP": true, "SAMPLE": true, "TABLESAMPLE": true,
	"PIVOT": true, "UNPIVOT": true, "MATCH_RECOGNIZE": true, "CONNECT": true, "LATERAL": true, "OVERWRITE": true,
	"MERGE": true, "FLATTEN": true, "ASOF": true, "CHANGES": true, "AT": true, "BEFORE": true}

var infoSchemaViews = map[string]bool{"SCHEMATA": true, "TABLES": true, "COLUMNS": true, "SEQUENCES": true,
	"VIEWS": true, "TABLE_CONSTRAINTS": true, "DATABASES": true, "STAGES": true, "FILE_FORMATS": true,
	"LOAD_HISTORY": true}

type translator struct {
	se     *session
	toks   []token
	i      int
	out    strings.Builder
	ctes   map[string]bool
	parens []string     // for each open parenthesis: the function that opened it
	inFrom map[int]bool // paren depth → inside a FROM list
	expect bool         // next name is a table reference
}

// translate turns a Snowflake statement or expression into PostgreSQL:
// identifiers folded and quoted, object names qualified with the backing
// schema, functions and types mapped.
func (se *session) translate(toks []token, _ string) (string, error) {
	t := &translator{se: se, toks: toks, ctes: map[string]bool{}, inFrom: map[int]bool{}}
	t.findCTEs()
	if err := t.run(); err != nil {
		return "", err
	}
	return strings.TrimSpace(t.out.String()), nil
}

func (se *session) translateExpr(toks []token, sql string) (string, error) {
	return se.translate(toks, sql)
}

func (t *translator) tok(n int) token {
	if t.i+n < len(t.toks) {
		return t.toks[t.i+n]
	}
	return token{kind: tEOF}
}

func (t *translator) emit(s string) {
	if t.out.Len() > 0 {
		t.out.WriteByte(' ')
	}
	t.out.WriteString(s)
}

func (t *translator) fold(k token) string {
	if k.kind == tQIdent && !t.se.ignoreQuotedCase() {
		return k.text
	}
	return strings.ToUpper(k.text)
}

// findCTEs records WITH names so they are not qualified as tables.
func (t *translator) findCTEs() {
	for i := 0; i+2 < len(t.toks); i++ {
		a, b, c := t.toks[i], t.toks[i+1], t.toks[i+2]
		if (a.is("WITH") || a.is("RECURSIVE") || a.isOp(",")) && (b.kind == tIdent || b.kind == tQIdent) && c.is("AS") {
			t.ctes[t.fold(b)] = true
		}
	}
}

func (t *translator) run() error {
	for t.i < len(t.toks) {
		k := t.tok(0)
		switch k.kind {
		case tEOF:
			return nil
		case tString:
			t.emit(quoteLit(k.text))
			t.i++
		case tNumber, tRaw:
			t.emit(k.text)
			t.i++
			t.expect = false
		case tParam:
			return newErr("002049", "42601", "SQL compilation error: error line 1 at position %d\nBind variable %s not set.", k.pos, k.text)
		case tStage, tFile:
			return unsupported("stage or file reference in this statement")
		case tOp:
			if err := t.op(k); err != nil {
				return err
			}
		default:
			if err := t.name(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *translator) depth() int { return len(t.parens) }

func (t *translator) op(k token) error {
	t.i++
	switch k.text {
	case "(":
		t.parens = append(t.parens, "")
		t.emit("(")
		t.expect = false
	case ")":
		delete(t.inFrom, t.depth())
		if len(t.parens) > 0 {
			t.parens = t.parens[:len(t.parens)-1]
		}
		t.emit(")")
	case "::":
		t.emit("::")
		return t.castType()
	case ",":
		t.emit(",")
		if t.inFrom[t.depth()] {
			t.expect = true
		}
	case ":", "[", "]", "{", "}":
		return unsupported("semi-structured path or literal syntax '" + k.text + "'")
	default:
		t.emit(k.text)
	}
	return nil
}

// castType translates the Snowflake type after :: or CAST(… AS.
func (t *translator) castType() error {
	start := t.i
	p := &parser{toks: append(append([]token{}, t.toks[t.i:]...), token{kind: tEOF}), se: t.se, sql: ""}
	if p.peek().kind != tIdent {
		return syntaxErr(p.peek())
	}
	// Re-slice the original text from token positions.
	first := t.toks[start]
	p.i = 0
	var parts []string
	parts = append(parts, p.next().text)
	for p.peek().kind == tIdent && multiWordType(p.peek().upper()) {
		parts = append(parts, p.next().text)
	}
	typ := strings.Join(parts, " ")
	if p.peek().isOp("(") {
		var b strings.Builder
		for {
			x := p.next()
			if x.kind == tEOF {
				return syntaxErr(x)
			}
			b.WriteString(x.text)
			if x.isOp(")") {
				break
			}
		}
		typ += b.String()
	}
	_ = first
	st, err := sftype.Parse(typ)
	if err != nil {
		return typeErr(err)
	}
	t.emit(st.PGType())
	t.i += p.i
	return nil
}

func (t *translator) name() error {
	// Collect a dotted chain.
	var chain []token
	chain = append(chain, t.tok(0))
	n := 1
	for t.tok(n).isOp(".") && (t.tok(n+1).kind == tIdent || t.tok(n+1).kind == tQIdent || t.tok(n+1).isOp("*")) {
		chain = append(chain, t.tok(n+1))
		n += 2
	}
	first := chain[0]
	if len(chain) == 1 && first.kind == tIdent {
		w := first.upper()
		if handled, err := t.keyword(w); handled || err != nil {
			return err
		}
		if t.tok(1).isOp("(") && !t.expect {
			return t.function(w)
		}
		switch w {
		case "CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME":
			t.emit(strings.ToLower(w))
			t.i++
			return nil
		}
	}
	t.i += n
	last := chain[len(chain)-1]
	if len(chain) >= 2 && last.kind == tIdent && last.is("NEXTVAL") {
		r, err := t.se.resolve(objName{parts: t.foldAll(chain[:len(chain)-1])})
		if err != nil {
			return err
		}
		t.emit("nextval(" + quoteLit(r.pgName()) + ")")
		return nil
	}
	if t.expect {
		t.expect = false
		return t.tableRef(chain)
	}
	if t.tok(0).isOp("(") {
		return unsupported("qualified function " + first.text)
	}
	parts := make([]string, len(chain))
	for i, c := range chain {
		if c.isOp("*") {
			parts[i] = "*"
		} else {
			parts[i] = quotePG(t.fold(c))
		}
	}
	t.emit(strings.Join(parts, "."))
	return nil
}

func (t *translator) foldAll(chain []token) []string {
	out := make([]string, len(chain))
	for i, c := range chain {
		out[i] = t.fold(c)
	}
	return out
}

// keyword handles reserved words; it reports whether it consumed the token.
func (t *translator) keyword(w string) (bool, error) {
	if unsupportedWords[w] {
		return true, unsupported(w)
	}
	next := t.tok(1)
	switch w {
	case "FROM":
		if len(t.parens) > 0 && t.parens[len(t.parens)-1] != "" {
			break // EXTRACT(x FROM y), TRIM(… FROM …)
		}
		t.inFrom[t.depth()] = true
		t.expect = true
	case "JOIN":
		t.expect = true
	case "INTO", "UPDATE":
		t.expect = true
	case "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "SELECT", "ON", "USING",
		"VALUES", "SET", "WINDOW":
		t.inFrom[t.depth()] = false
		t.expect = false
	case "MINUS":
		t.inFrom[t.depth()] = false
		t.emit("EXCEPT")
		t.i++
		return true, nil
	case "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ":
		if next.kind != tString {
			return false, nil
		}
		st, err := sftype.Parse(w)
		if err != nil {
			return true, typeErr(err)
		}
		t.emit(st.PGType())
		t.i++
		return true, nil
	case "AS":
		if len(t.parens) > 0 && t.parens[len(t.parens)-1] == "CAST" {
			t.emit("AS")
			t.i++
			return true, t.castType()
		}
	case "DELETE":
		t.expect = false
	}
	if !sqlKeywords[w] {
		return false, nil
	}
	t.emit(w)
	t.i++
	if w == "DELETE" && next.is("FROM") {
		t.emit("FROM")
		t.i++
		t.expect = true
	}
	return true, nil
}

func (t *translator) function(w string) error {
	t.i++ // name; '(' is next
	if f, ok := sessionFuncs[w]; ok {
		if !t.tok(1).isOp(")") {
			return syntaxErr(t.tok(1))
		}
		t.i += 2
		v := f(t.se)
		if v == "" {
			t.emit("NULL::text")
		} else {
			t.emit(quoteLit(v))
		}
		return nil
	}
	switch w {
	case "CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_TIME", "LOCALTIMESTAMP", "LOCALTIME", "SYSDATE", "GETDATE", "SYSTIMESTAMP":
		if t.tok(1).isOp(")") {
			t.i += 2
			switch w {
			case "SYSDATE":
				t.emit("(now() AT TIME ZONE 'UTC')")
			case "GETDATE", "SYSTIMESTAMP":
				t.emit("current_timestamp")
			default:
				t.emit(strings.ToLower(w))
			}
			return nil
		}
	case "CAST", "TRY_CAST":
		if w == "TRY_CAST" {
			return unsupported("TRY_CAST")
		}
		t.emit("CAST")
		t.i++
		t.emit("(")
		t.parens = append(t.parens, "CAST")
		return nil
	}
	name, ok := funcMap[w]
	if !ok {
		// Unknown functions pass through and fail in PostgreSQL with
		// Snowflake's "Unknown function" error unless PostgreSQL happens to
		// have the same name; keep the list above the truth.
		name = strings.ToLower(w)
		if !isPlainUpper(w) {
			return newErr("002140", "42601", "SQL compilation error:\nUnknown function %s", w)
		}
		name = "sf_unknown_" + name
	}
	t.emit(name)
	t.i++
	t.out.WriteString("(")
	t.parens = append(t.parens, w)
	return nil
}

// tableRef emits a table name qualified with its backing schema.
func (t *translator) tableRef(chain []token) error {
	parts := t.foldAll(chain)
	if len(parts) == 1 && t.ctes[parts[0]] {
		t.emit(quotePG(parts[0]))
		return nil
	}
	if n := len(parts); n >= 2 && parts[n-2] == "INFORMATION_SCHEMA" && chain[n-2].kind == tIdent {
		db := t.se.db
		if n == 3 {
			db = parts[0]
		}
		if db == "" {
			return noCurrentDB()
		}
		view := parts[n-1]
		if !infoSchemaViews[view] {
			return notExist("Object", quoteSF(db)+".INFORMATION_SCHEMA."+quoteSF(view))
		}
		t.emit(fnSchema + ".is_" + strings.ToLower(view) + "(" + quoteLit(db) + ")")
		next := t.tok(0)
		if !(next.is("AS") || next.kind == tQIdent || next.kind == tIdent && !sqlKeywords[next.upper()] && !unsupportedWords[next.upper()]) {
			t.out.WriteString(" AS " + quotePG(view))
		}
		return nil
	}
	r, err := t.se.resolve(objName{parts: parts})
	if err != nil {
		return err
	}
	t.emit(r.pgName())
	return nil
}
