package sfemu

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// query runs a SELECT (or WITH … SELECT).
func (se *session) query(ctx context.Context, p *parser) (*result, error) {
	sql, err := se.translate(p.toks, p.sql)
	if err != nil {
		return nil, err
	}
	var res *result
	err = se.inTxn(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = se.runQuery(ctx, tx, sql)
		return err
	})
	return res, err
}

// dml runs INSERT, UPDATE or DELETE and reports row counts the way Snowflake
// does (one column per count, statementTypeId INSERT/UPDATE/DELETE).
func (se *session) dml(ctx context.Context, p *parser) (*result, error) {
	first := p.peek().upper()
	if first == "INSERT" && (p.peekAt(1).is("ALL") || p.peekAt(1).is("FIRST") || p.peekAt(1).is("OVERWRITE")) {
		return nil, unsupported("INSERT " + p.peekAt(1).upper())
	}
	if first == "INSERT" {
		if err := se.checkInsertLiterals(ctx, p.toks); err != nil {
			return nil, err
		}
	}
	sql, err := se.translate(p.toks, p.sql)
	if err != nil {
		return nil, err
	}
	var n int64
	err = se.inTxn(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return nil, err
	}
	cnt := strconv.FormatInt(n, 10)
	zero := "0"
	switch first {
	case "INSERT":
		return &result{cols: []rowType{fixedCol("number of rows inserted")}, rows: [][]*string{{&cnt}}, stmtType: stmtInsert}, nil
	case "UPDATE":
		return &result{cols: []rowType{fixedCol("number of rows updated"), fixedCol("number of multi-joined rows updated")},
			rows: [][]*string{{&cnt, &zero}}, stmtType: stmtUpdate}, nil
	}
	return &result{cols: []rowType{fixedCol("number of rows deleted")}, rows: [][]*string{{&cnt}}, stmtType: stmtDelete}, nil
}

var reNumber = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// bindTokens replaces ? and :N placeholders with PostgreSQL literals for the
// values gosnowflake sent (types as in its bind_uploader/converter: dates as
// epoch milliseconds, timestamps and times as nanoseconds, binary as hex).
func bindTokens(toks []token, binds map[string]bindParam) ([]token, error) {
	out := make([]token, len(toks))
	seq := 0
	for i, t := range toks {
		out[i] = t
		if t.kind != tParam {
			continue
		}
		key := t.text
		if key == "?" {
			seq++
			key = strconv.Itoa(seq)
		}
		b, ok := binds[key]
		if !ok {
			return nil, newErr("002049", "42601", "SQL compilation error: error line 1 at position %d\nBind variable %s not set.", t.pos, t.text)
		}
		lit, err := bindLiteral(b)
		if err != nil {
			return nil, err
		}
		out[i] = token{kind: tRaw, text: lit, pos: t.pos, end: t.end}
	}
	return out, nil
}

func bindLiteral(b bindParam) (string, error) {
	if b.Value == nil {
		return "NULL", nil
	}
	if _, isArr := b.Value.([]any); isArr {
		return "", unsupported("array binding")
	}
	v := toString(b.Value)
	bad := func() error {
		return newErr("002049", "22000", "Bind value '%s' is not valid for type %s", v, b.Type)
	}
	switch strings.ToUpper(b.Type) {
	case "FIXED", "REAL":
		if !reNumber.MatchString(v) {
			return quoteLit(v), nil
		}
		return v, nil
	case "BOOLEAN":
		return quoteLit(v) + "::boolean", nil
	case "BINARY":
		return quoteLit(`\x`+v) + "::bytea", nil
	case "DATE":
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", bad()
		}
		return "DATE " + quoteLit(time.UnixMilli(ms).UTC().Format("2006-01-02")), nil
	case "TIME":
		ns, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "", bad()
		}
		return "TIME " + quoteLit(time.Unix(0, ns).UTC().Format("15:04:05.999999")), nil
	case "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ":
		f := strings.Fields(v)
		if len(f) == 0 {
			return "", bad()
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return "", bad()
		}
		ts := time.Unix(0, ns).UTC()
		if strings.ToUpper(b.Type) == "TIMESTAMP_NTZ" {
			return "TIMESTAMP " + quoteLit(ts.Format("2006-01-02 15:04:05.999999")), nil
		}
		return "TIMESTAMPTZ " + quoteLit(ts.Format("2006-01-02 15:04:05.999999Z07:00")), nil
	case "TEXT", "":
		return quoteLit(v), nil
	}
	return "", unsupported(fmt.Sprintf("binding type %s", b.Type))
}
