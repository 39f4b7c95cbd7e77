package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

type keyColumn struct {
	name    string
	typ     string // format_type without typmod, for literal casts
	integer bool
}

// primaryKey lists the primary-key columns of a table in key order.
func primaryKey(ctx context.Context, q Querier, r relation) ([]keyColumn, error) {
	rows, err := q.Query(ctx, `
SELECT a.attname, format_type(a.atttypid, NULL), a.atttypid IN (20, 21, 23)
FROM pg_index i
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = $1 AND i.indisprimary
ORDER BY k.ord`, r.oid)
	if err != nil {
		return nil, fmt.Errorf("extract: read primary key of %s: %w", quoteIdent(r.schema, r.name), err)
	}
	defer rows.Close()
	var out []keyColumn
	for rows.Next() {
		var k keyColumn
		if err := rows.Scan(&k.name, &k.typ, &k.integer); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("extract: %s has no primary key: chunk it by ctid instead", quoteIdent(r.schema, r.name))
	}
	return out, nil
}

// planPK cuts primary-key ranges. A single integer column is split into
// equal-width ranges between min and max (two index probes); any other
// key gets keyset boundaries from a repeatable block sample, so ranges
// follow the data's distribution without a full sort. The first range is
// open below and the last open above, so no key can fall outside.
func planPK(ctx context.Context, q Querier, root relation, leaves []relation, o PlanOptions, version int) ([]Chunk, error) {
	from := "ONLY " + quoteIdent(root.schema, root.name)
	heaps := []relation{root}
	if root.kind == "p" {
		from = quoteIdent(root.schema, root.name) // ONLY would see no rows
		heaps = leaves
	}
	if root.kind == "f" {
		return []Chunk{{ID: "all:" + root.qualified(), From: from}}, nil
	}
	keys, err := primaryKey(ctx, q, root)
	if err != nil {
		return nil, err
	}
	n, err := chunkCount(ctx, q, heaps, o, version)
	if err != nil {
		return nil, err
	}
	whole := []Chunk{{ID: "all:" + root.qualified(), From: from}}
	if n <= 1 {
		return whole, nil
	}
	if len(keys) == 1 && keys[0].integer {
		return intRanges(ctx, q, from, keys[0], n, whole)
	}
	return keysetRanges(ctx, q, from, heaps, keys, n, version, whole)
}

func intRanges(ctx context.Context, q Querier, from string, k keyColumn, n int64, whole []Chunk) ([]Chunk, error) {
	col := quoteIdent(k.name)
	var lo, hi *int64
	if err := q.QueryRow(ctx, fmt.Sprintf("SELECT min(%s)::int8, max(%s)::int8 FROM %s", col, col, from)).Scan(&lo, &hi); err != nil {
		return nil, fmt.Errorf("extract: key range of %s: %w", from, err)
	}
	if lo == nil || *lo == *hi {
		return whole, nil
	}
	// big.Int: max-min of int8 keys overflows int64.
	span := new(big.Int).Sub(big.NewInt(*hi), big.NewInt(*lo))
	span.Add(span, big.NewInt(1))
	step := new(big.Int).Add(span, big.NewInt(n-1))
	step.Div(step, big.NewInt(n))
	var bounds []string
	for i := int64(1); i < n; i++ {
		b := new(big.Int).Mul(step, big.NewInt(i))
		b.Add(b, big.NewInt(*lo))
		if b.Cmp(big.NewInt(*hi)) > 0 {
			break
		}
		bounds = append(bounds, b.String())
	}
	return rangeChunks(from, []string{col}, bounds, func(i int, lower, upper string) string {
		return fmt.Sprintf("pk:%s:%s-%s", k.name, lower, upper)
	}), nil
}

// rangeChunks turns sorted boundary literals into half-open ranges
// (-∞,b1) [b1,b2) … [bn,+∞) over the key column list cols.
func rangeChunks(from string, cols []string, bounds []string, id func(i int, lower, upper string) string) []Chunk {
	key := cols[0]
	if len(cols) > 1 {
		key = "(" + strings.Join(cols, ", ") + ")"
	}
	out := make([]Chunk, 0, len(bounds)+1)
	for i := 0; i <= len(bounds); i++ {
		var lower, upper string
		var preds []string
		if i > 0 {
			lower = bounds[i-1]
			preds = append(preds, key+" >= "+lower)
		}
		if i < len(bounds) {
			upper = bounds[i]
			preds = append(preds, key+" < "+upper)
		}
		out = append(out, Chunk{ID: id(i, lower, upper), From: from, Range: strings.Join(preds, " AND ")})
	}
	return out
}

// sampleTarget is the number of sampled keys per chunk: enough for even
// ranges, small enough to sort in the client.
const sampleTarget = 200

func keysetRanges(ctx context.Context, q Querier, from string, heaps []relation, keys []keyColumn, n int64, version int, whole []Chunk) ([]Chunk, error) {
	var estRows float64
	for _, r := range heaps {
		d, err := rowsPerBlock(ctx, q, r, version)
		if err != nil {
			return nil, err
		}
		estRows += d * float64(r.blocks)
	}
	want := float64(min(n*sampleTarget, 200_000))
	pct := 100.0
	if estRows > want {
		pct = max(100*want/estRows, 0.0001)
	}
	cols := make([]string, len(keys))
	texts := make([]string, len(keys))
	for i, k := range keys {
		cols[i] = quoteIdent(k.name)
		// Aliased so ORDER BY resolves to the typed column, not its text.
		texts[i] = fmt.Sprintf("%s::text AS pgsnow_k%d", cols[i], i)
	}
	// REPEATABLE makes the sample, and so the chunks, the same for the
	// same table contents.
	sql := fmt.Sprintf("SELECT %s FROM %s TABLESAMPLE SYSTEM (%g) REPEATABLE (0) ORDER BY %s",
		strings.Join(texts, ", "), from, pct, strings.Join(cols, ", "))
	rows, err := q.Query(ctx, sql)
	if err != nil {
		return nil, fmt.Errorf("extract: sample keys of %s: %w", from, err)
	}
	var sample [][]string
	for rows.Next() {
		vals := make([]string, len(keys))
		ptrs := make([]any, len(keys))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return nil, err
		}
		sample = append(sample, vals)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("extract: sample keys of %s: %w", from, err)
	}
	var bounds []string
	prev := ""
	for i := int64(1); i < n && len(sample) > 0; i++ {
		vals := sample[int(i)*len(sample)/int(n)]
		lits := make([]string, len(vals))
		for j, v := range vals {
			lits[j] = quoteLiteral(v) + "::" + keys[j].typ
		}
		b := strings.Join(lits, ", ")
		if len(keys) > 1 {
			b = "(" + b + ")"
		}
		if b != prev {
			bounds = append(bounds, b)
			prev = b
		}
	}
	if len(bounds) == 0 {
		return whole, nil
	}
	return rangeChunks(from, cols, bounds, func(i int, lower, upper string) string {
		h := sha256.Sum256([]byte(lower + "\x00" + upper))
		return fmt.Sprintf("keyset:%s:%s", strings.TrimPrefix(from, "ONLY "), hex.EncodeToString(h[:8]))
	}), nil
}
