package extract

import (
	"context"
	"fmt"
)

// relation is a heap to scan with its size statistics.
type relation struct {
	schema, name string
	kind         string  // pg_class.relkind
	pages        int64   // relpages (stale: last VACUUM/ANALYZE)
	tuples       float64 // reltuples; -1 (14+) or 0 with pages 0 means never analyzed
	blocks       int64   // current size in blocks
	oid          uint32
}

func (r relation) qualified() string { return r.schema + "." + r.name }

// hasStats reports whether reltuples/relpages describe the table.
func (r relation) hasStats() bool { return r.tuples >= 0 && r.pages > 0 }

const relationSQL = `
SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.relpages::int8, c.reltuples::float8,
       pg_relation_size(c.oid) / current_setting('block_size')::int8
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE `

// lookup finds schema.name; partitioned tables also return their leaf
// partitions, sorted by schema and name so chunk numbers are stable.
func lookup(ctx context.Context, q Querier, schema, name string) (relation, []relation, error) {
	rels, err := scanRelations(ctx, q, relationSQL+`n.nspname = $1 AND c.relname = $2`, schema, name)
	if err != nil {
		return relation{}, nil, err
	}
	if len(rels) == 0 {
		return relation{}, nil, fmt.Errorf("extract: table %s not found", quoteIdent(schema, name))
	}
	r := rels[0]
	switch r.kind {
	case "r", "m", "f":
		return r, nil, nil
	case "p":
		leaves, err := scanRelations(ctx, q, relationSQL+`c.oid IN (SELECT relid FROM pg_partition_tree($1::oid::regclass) WHERE isleaf)
ORDER BY n.nspname, c.relname`, r.oid)
		return r, leaves, err
	}
	return relation{}, nil, fmt.Errorf("extract: %s is not a table (relkind %q)", quoteIdent(schema, name), r.kind)
}

func scanRelations(ctx context.Context, q Querier, sql string, args ...any) ([]relation, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("extract: read table statistics: %w", err)
	}
	defer rows.Close()
	var out []relation
	for rows.Next() {
		var r relation
		if err := rows.Scan(&r.oid, &r.schema, &r.name, &r.kind, &r.pages, &r.tuples, &r.blocks); err != nil {
			return nil, fmt.Errorf("extract: read table statistics: %w", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("extract: read table statistics: %w", err)
	}
	return out, nil
}

// defaultRowsPerBlock is assumed for never-analyzed tables on servers
// older than 14, where measuring the density would cost a full scan.
const defaultRowsPerBlock = 60

// sampleBlocks is how many leading blocks are counted to estimate the
// density of a never-analyzed table (a TID range scan on 14+).
const sampleBlocks = 32

// rowsPerBlock estimates the table's density.
func rowsPerBlock(ctx context.Context, q Querier, r relation, version int) (float64, error) {
	if r.hasStats() {
		if r.tuples == 0 {
			return 1, nil
		}
		return r.tuples / float64(r.pages), nil
	}
	if r.blocks == 0 {
		return 1, nil
	}
	if version < 140000 {
		return defaultRowsPerBlock, nil
	}
	n := min(r.blocks, sampleBlocks)
	var count int64
	sql := fmt.Sprintf("SELECT count(*) FROM ONLY %s WHERE ctid < '(%d,0)'::tid", quoteIdent(r.schema, r.name), n)
	if err := q.QueryRow(ctx, sql).Scan(&count); err != nil {
		return 0, fmt.Errorf("extract: estimate rows of %s: %w", quoteIdent(r.schema, r.name), err)
	}
	if count == 0 {
		return 1, nil
	}
	return float64(count) / float64(n), nil
}

func serverVersion(ctx context.Context, q Querier) (int, error) {
	var v int
	err := q.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&v)
	return v, err
}
