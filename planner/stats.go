package planner

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/catalog"
)

// statsQuery reads every table's counters and relfilenode in one round
// trip. Partitions are read too: a partitioned parent's figures are the
// sums over its partitions (it holds no rows itself).
const statsQuery = `SELECT n.nspname, c.relname, c.reltuples::bigint, c.relfilenode::bigint,
       coalesce(s.n_tup_ins, 0), coalesce(s.n_tup_upd, 0), coalesce(s.n_tup_del, 0)
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
 WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname = ANY($1)`

// Querier is what ReadStats reads through (*pgx.Conn, pgx.Tx, *pgxpool.Pool).
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// ReadStats reads the pg_stat counters, row estimate and relfilenode of
// every table of db in one query, for the plan's source fingerprints.
func ReadStats(ctx context.Context, conn Querier, db *catalog.Database) (map[catalog.QualifiedName]TableStats, error) {
	var schemas []string
	for _, s := range db.Schemas {
		schemas = append(schemas, s.Name)
	}
	rows, err := conn.Query(ctx, statsQuery, schemas)
	if err != nil {
		return nil, err
	}
	out := map[catalog.QualifiedName]TableStats{}
	for rows.Next() {
		var q catalog.QualifiedName
		var st TableStats
		var node int64
		if err := rows.Scan(&q.Schema, &q.Name, &st.EstimatedRows, &node, &st.TupInserted, &st.TupUpdated, &st.TupDeleted); err != nil {
			return nil, err
		}
		st.Relfilenode = uint32(node)
		out[q] = st
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Fold partitions into their root parent, deepest first being
	// irrelevant: sums are order-independent.
	for _, t := range db.AllTables() {
		if !t.IsPartition() {
			continue
		}
		root := *t.PartitionOf
		for p := db.Table(root.Schema, root.Name); p != nil && p.PartitionOf != nil; p = db.Table(root.Schema, root.Name) {
			root = *p.PartitionOf
		}
		leaf, parent := out[t.QualifiedName()], out[root]
		parent.TupInserted += leaf.TupInserted
		parent.TupUpdated += leaf.TupUpdated
		parent.TupDeleted += leaf.TupDeleted
		parent.Relfilenode += leaf.Relfilenode
		out[root] = parent
	}
	return out, nil
}
