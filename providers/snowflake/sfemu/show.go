package sfemu

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// show implements SHOW DATABASES|SCHEMAS|TABLES|VIEWS|COLUMNS|STAGES|SEQUENCES|FILE FORMATS
// [LIKE 'pattern'] [IN ACCOUNT | DATABASE [db] | SCHEMA [db.]schema | TABLE t], with
// the output columns of https://docs.snowflake.com/en/sql-reference/sql/show-tables
// (and the sibling SHOW pages); LIKE is case-insensitive there.
func (se *session) show(ctx context.Context, p *parser) (*result, error) {
	p.next()
	p.accept("TERSE")
	what := p.next().upper()
	if what == "FILE" {
		if err := p.expect("FORMATS"); err != nil {
			return nil, err
		}
		what = "FILE FORMATS"
	}
	like := "%"
	if p.accept("LIKE") {
		s, err := p.stringLit()
		if err != nil {
			return nil, err
		}
		like = s
	}
	db, schema, table := se.db, se.schema, ""
	scope := "SCHEMA"
	if what == "DATABASES" {
		scope = "ACCOUNT"
	} else if what == "SCHEMAS" {
		scope = "DATABASE"
	}
	if p.accept("IN") {
		switch {
		case p.accept("ACCOUNT"):
			scope = "ACCOUNT"
		case p.accept("DATABASE"):
			scope = "DATABASE"
			if !p.atEnd() {
				n, err := p.ident()
				if err != nil {
					return nil, err
				}
				db = n
			}
		case p.accept("TABLE"), p.accept("VIEW"):
			n, err := p.objName()
			if err != nil {
				return nil, err
			}
			r, err := se.resolve(n)
			if err != nil {
				return nil, err
			}
			scope, db, schema, table = "TABLE", r.db, r.schema, r.name
		default:
			p.accept("SCHEMA")
			n, err := p.objName()
			if err != nil {
				return nil, err
			}
			scope = "SCHEMA"
			schema = n.last()
			if len(n.parts) == 2 {
				db = n.parts[0]
			}
		}
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	if scope != "ACCOUNT" && db == "" {
		return nil, noCurrentDB()
	}
	if scope == "SCHEMA" && schema == "" {
		return nil, noCurrentSchema()
	}
	// $1 LIKE pattern, $2 scope, $3 db, $4 schema, $5 table.
	inScope := `($2 = 'ACCOUNT' OR s.db = $3 AND ($2 = 'DATABASE' OR s.name = $4))`
	var q string
	switch what {
	case "DATABASES":
		q = `SELECT d.created AS created_on, d.name, 'N' AS is_default, CASE WHEN d.name = $3 THEN 'Y' ELSE 'N' END AS is_current,
			'' AS origin, coalesce(d.owner, '') AS owner, coalesce(d.comment, '') AS comment, '' AS options, '1' AS retention_time, 'STANDARD' AS kind
			FROM sfemu_meta.databases d WHERE d.name ILIKE $1 AND $2 <> '' ORDER BY d.name`
	case "SCHEMAS":
		q = `SELECT s.created AS created_on, s.name, 'N' AS is_default, CASE WHEN s.db = $3 AND s.name = $4 THEN 'Y' ELSE 'N' END AS is_current,
			s.db AS database_name, '' AS owner, coalesce(s.comment, '') AS comment, '' AS options, '1' AS retention_time
			FROM sfemu_meta.schemas s WHERE s.name ILIKE $1 AND ($2 = 'ACCOUNT' OR s.db = $3) ORDER BY s.db, s.name`
	case "TABLES", "VIEWS", "STAGES", "SEQUENCES", "FILE FORMATS":
		kind := map[string]string{"TABLES": "TABLE", "VIEWS": "VIEW", "STAGES": "STAGE", "SEQUENCES": "SEQUENCE", "FILE FORMATS": "FILE FORMAT"}[what]
		cols := `o.created AS created_on, o.name, s.db AS database_name, s.name AS schema_name`
		switch what {
		case "TABLES":
			cols += `, CASE WHEN o.options = 'TRANSIENT' THEN 'TRANSIENT' ELSE 'TABLE' END AS kind, coalesce(o.comment, '') AS comment,
				'' AS cluster_by, sfemu_fn.sf_row_count(o.pgschema, o.name) AS rows,
				pg_total_relation_size(format('%I.%I', o.pgschema, o.name)::regclass) AS bytes, '' AS owner, '1' AS retention_time`
		case "VIEWS":
			cols += `, '' AS reserved, '' AS owner, coalesce(o.comment, '') AS comment, o.options AS text, 'false' AS is_secure`
		case "STAGES":
			cols += `, '' AS url, 'N' AS has_credentials, 'N' AS has_encryption_key, '' AS owner, coalesce(o.comment, '') AS comment,
				NULL::text AS region, 'INTERNAL' AS type, NULL::text AS cloud`
		case "SEQUENCES":
			cols += `, (SELECT coalesce(q.last_value + q.increment_by, q.start_value)::text FROM pg_sequences q
				WHERE q.schemaname = o.pgschema AND q.sequencename = o.name) AS next_value,
				(SELECT q.increment_by::text FROM pg_sequences q WHERE q.schemaname = o.pgschema AND q.sequencename = o.name) AS interval,
				'' AS owner, coalesce(o.comment, '') AS comment`
		case "FILE FORMATS":
			cols += `, coalesce(upper(substring(o.options from '(?i)TYPE\s*=\s*''?(\w+)')), 'CSV') AS type, '' AS owner,
				coalesce(o.comment, '') AS comment, o.options AS format_options`
		}
		q = `SELECT ` + cols + ` FROM sfemu_meta.objects o JOIN sfemu_meta.schemas s ON s.pgschema = o.pgschema
			WHERE o.kind = '` + kind + `' AND o.name ILIKE $1 AND ` + inScope + ` AND $5 = $5 ORDER BY s.db, s.name, o.name`
	case "COLUMNS":
		q = `SELECT m.tbl AS table_name, s.name AS schema_name, m.name AS column_name,
			json_build_object('type', sfemu_fn.sf_type_family(m.sftype), 'nullable', NOT a.attnotnull)::text AS data_type,
			CASE WHEN a.attnotnull THEN 'false' ELSE 'true' END AS "null?", coalesce(pg_get_expr(d.adbin, d.adrelid), '') AS "default",
			'COLUMN' AS kind, '' AS expression, coalesce(m.comment, '') AS comment, s.db AS database_name, '' AS autoincrement
			FROM sfemu_meta.columns m JOIN sfemu_meta.schemas s ON s.pgschema = m.pgschema
			JOIN pg_namespace n ON n.nspname = m.pgschema JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = m.tbl
			JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = m.name
			LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
			WHERE m.name ILIKE $1 AND (` + inScope + ` OR $2 = 'TABLE' AND s.db = $3 AND s.name = $4) AND ($2 <> 'TABLE' OR m.tbl = $5)
			ORDER BY s.db, s.name, m.tbl, a.attnum`
	default:
		return nil, unsupported("SHOW " + what)
	}
	var res *result
	err := se.inTxn(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = se.runQueryArgs(ctx, tx, q, like, scope, db, schema, table)
		return err
	})
	if err != nil {
		return nil, err
	}
	res.stmtType = stmtShow
	return res, nil
}

// describe implements DESCRIBE TABLE|VIEW name.
func (se *session) describe(ctx context.Context, p *parser) (*result, error) {
	p.next()
	if !p.accept("TABLE") && !p.accept("VIEW") {
		return nil, unsupportedStmt(p)
	}
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	if err := p.expectEnd(); err != nil {
		return nil, err
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	if k, err := objectKind(ctx, se.conn, r, "TABLE", "VIEW"); err != nil {
		return nil, err
	} else if k == "" {
		return nil, notExist("Table", r.String())
	}
	q := `SELECT m.name, m.sftype AS type, 'COLUMN' AS kind, CASE WHEN a.attnotnull THEN 'N' ELSE 'Y' END AS "null?",
		pg_get_expr(d.adbin, d.adrelid) AS "default",
		CASE WHEN EXISTS (SELECT 1 FROM sfemu_meta.constraints k WHERE k.pgschema = m.pgschema AND k.tbl = m.tbl
			AND k.kind = 'PRIMARY KEY' AND m.name = ANY(k.cols)) THEN 'Y' ELSE 'N' END AS "primary key",
		CASE WHEN EXISTS (SELECT 1 FROM sfemu_meta.constraints k WHERE k.pgschema = m.pgschema AND k.tbl = m.tbl
			AND k.kind = 'UNIQUE' AND m.name = ANY(k.cols)) THEN 'Y' ELSE 'N' END AS "unique key",
		NULL::text AS "check", NULL::text AS expression, m.comment
		FROM sfemu_meta.columns m
		JOIN pg_attribute a ON a.attrelid = $3::regclass AND a.attname = m.name
		LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
		WHERE m.pgschema = $1 AND m.tbl = $2 ORDER BY a.attnum`
	var res *result
	err = se.inTxn(ctx, func(tx pgx.Tx) error {
		var err error
		res, err = se.runQueryArgs(ctx, tx, q, r.pgSchema(), r.name, r.pgName())
		return err
	})
	if err != nil {
		return nil, err
	}
	res.stmtType = stmtDescribe
	return res, nil
}

// runQueryArgs runs a parameterised catalog query (all arguments text).
func (se *session) runQueryArgs(ctx context.Context, tx pgx.Tx, sql string, args ...string) (*result, error) {
	var b []byte
	for i := len(args); i > 0; i-- {
		// Inline as literals: the rowset reader uses the text protocol path.
		sql = replaceParam(sql, i, quoteLit(args[i-1]))
	}
	_ = b
	return se.runQuery(ctx, tx, sql)
}

func replaceParam(sql string, n int, lit string) string {
	out := make([]byte, 0, len(sql))
	tag := fmt.Sprintf("$%d", n)
	for i := 0; i < len(sql); {
		if i+len(tag) <= len(sql) && sql[i:i+len(tag)] == tag && (i+len(tag) == len(sql) || sql[i+len(tag)] < '0' || sql[i+len(tag)] > '9') {
			out = append(out, lit...)
			i += len(tag)
			continue
		}
		out = append(out, sql[i])
		i++
	}
	return string(out)
}
