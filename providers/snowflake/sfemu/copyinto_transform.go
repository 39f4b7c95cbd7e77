package sfemu

import (
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sfload"
)

// transformQuery is the FROM ( SELECT … FROM @stage [alias] ) of a COPY
// transformation (https://docs.snowflake.com/en/user-guide/data-load-transform).
type transformQuery struct {
	selectList string
	alias      string
	stage      token
}

// parseTransformQuery reads the parenthesised query at the current '('.
func parseTransformQuery(p *parser) (*transformQuery, error) {
	inner, err := p.skipBalanced()
	if err != nil {
		return nil, err
	}
	toks, err := tokenize(inner)
	if err != nil {
		return nil, err
	}
	if !toks[0].is("SELECT") {
		return nil, syntaxErr(toks[0])
	}
	// The last top-level FROM followed by a stage ends the SELECT list.
	depth, from := 0, -1
	for i, t := range toks {
		switch {
		case t.isOp("("):
			depth++
		case t.isOp(")"):
			depth--
		case depth == 0 && t.is("FROM") && i+1 < len(toks) && toks[i+1].kind == tStage:
			from = i
		}
	}
	if from < 0 {
		return nil, newErr("001003", "42000", "SQL compilation error:\nsyntax error: a COPY transformation reads FROM @<stage>")
	}
	q := &transformQuery{selectList: inner[toks[0].end:toks[from].pos], stage: toks[from+1]}
	rest := toks[from+2:]
	if len(rest) > 0 && rest[0].is("AS") {
		rest = rest[1:]
	}
	if len(rest) > 0 && (rest[0].kind == tQIdent || rest[0].kind == tIdent && !clauseWord[rest[0].upper()]) {
		q.alias, rest = rest[0].text, rest[1:]
	}
	if len(rest) > 0 && rest[0].kind != tEOF {
		// "Filtering the results of a FROM clause using a WHERE clause is
		// not supported"; nor are ORDER BY, LIMIT, JOIN.
		return nil, newErr("001003", "42000", "SQL compilation error:\nsyntax error line 1 at position %d unexpected '%s'", rest[0].pos, rest[0].text)
	}
	return q, nil
}

// clauseWord lists words that start a clause, never an alias.
var clauseWord = map[string]bool{"WHERE": true, "ORDER": true, "LIMIT": true, "GROUP": true, "HAVING": true, "QUALIFY": true,
	"JOIN": true, "INNER": true, "LEFT": true, "RIGHT": true, "FULL": true, "CROSS": true, "NATURAL": true, "UNION": true, "FETCH": true, "TOP": true}

// check applies the documented restrictions and parses the SELECT list
// into opts.Transform.
func (q *transformQuery) check(ff sfload.FileFormat, opts *sfload.CopyOptions) error {
	if opts.MatchByColumnName != "" && opts.MatchByColumnName != "NONE" {
		return newErr("002099", "42601", "SQL compilation error: match_by_column_name is not supported with copy transform")
	}
	if opts.ValidationMode != "" {
		return newErr("002099", "0A000", "SQL compilation error: VALIDATION_MODE does not support COPY statements that transform data during a load")
	}
	if !strings.EqualFold(ff.Type, "PARQUET") {
		return unsupported("COPY INTO with a transformation of " + ff.Type + " files (the emulator transforms Parquet only)")
	}
	items, err := sfload.ParseTransform(q.selectList, q.alias)
	if err != nil {
		return loadErr(err)
	}
	opts.Transform = items
	return nil
}
