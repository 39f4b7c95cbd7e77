package extract

import (
	"context"
	"fmt"
	"math"
)

// Strategy chooses how a table is cut into chunks.
type Strategy string

const (
	// ByCTID cuts heap block ranges: cheap to plan, no index needed.
	ByCTID Strategy = "ctid"
	// ByPK cuts primary-key ranges (the spec asks for it, e.g. for
	// tables whose chunks must be stable under heavy updates).
	ByPK Strategy = "pk"
)

// PlanOptions size chunks. When both limits are set the smaller chunk
// wins; when neither is, DefaultChunkBytes applies.
type PlanOptions struct {
	Strategy Strategy // empty means ByCTID
	// ChunkRows is the target number of rows per chunk (estimated from
	// reltuples/relpages).
	ChunkRows int64
	// ChunkBytes is the target size of a chunk's heap data in bytes
	// (on-disk size, not output size: CSV is usually of the same order,
	// compressed output several times smaller).
	ChunkBytes int64
}

// DefaultChunkBytes aims at compressed files in the 100–250 MB range that
// Snowflake loads best, for typical compression ratios.
const DefaultChunkBytes = 1 << 30

const blockSize = 8192 // the size estimates assume the default block size

// Plan cuts t into chunks. Run it inside the run's snapshot
// (Snapshot.Plan) so key boundaries match the data the workers see.
func Plan(ctx context.Context, q Querier, t Table, o PlanOptions) ([]Chunk, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	if o.ChunkRows < 0 || o.ChunkBytes < 0 {
		return nil, fmt.Errorf("extract: chunk_rows and chunk_size must not be negative")
	}
	if o.ChunkRows == 0 && o.ChunkBytes == 0 {
		o.ChunkBytes = DefaultChunkBytes
	}
	version, err := serverVersion(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("extract: server version: %w", err)
	}
	root, leaves, err := lookup(ctx, q, t.Schema, t.Name)
	if err != nil {
		return nil, err
	}
	var chunks []Chunk
	switch o.Strategy {
	case "", ByCTID:
		chunks, err = planCTID(ctx, q, root, leaves, o, version)
	case ByPK:
		chunks, err = planPK(ctx, q, root, leaves, o, version)
	default:
		return nil, fmt.Errorf("extract: unknown chunk strategy %q (want ctid or pk)", o.Strategy)
	}
	if err != nil {
		return nil, err
	}
	for i := range chunks {
		chunks[i].Schema, chunks[i].Table, chunks[i].Num = t.Schema, t.Name, i+1
	}
	return chunks, nil
}

// blocksPerChunk converts the size limits into heap blocks.
func blocksPerChunk(o PlanOptions, density float64) int64 {
	n := int64(math.MaxInt64)
	if o.ChunkRows > 0 {
		n = int64(math.Ceil(float64(o.ChunkRows) / density))
	}
	if o.ChunkBytes > 0 {
		n = min(n, o.ChunkBytes/blockSize)
	}
	return max(n, 1)
}

// planCTID cuts each heap (the table, or each leaf partition) into block
// ranges. The last range of each heap is open-ended so that rows in
// blocks appended after planning are still read. On servers before 14
// there is no TID range scan: each chunk is a sequential scan with a
// ctid filter, so every chunk reads the whole heap (use ByPK there for
// big tables).
func planCTID(ctx context.Context, q Querier, root relation, leaves []relation, o PlanOptions, version int) ([]Chunk, error) {
	heaps := []relation{root}
	if root.kind == "p" {
		if len(leaves) == 0 { // no partitions: the parent holds no rows
			return []Chunk{{ID: "all:" + root.qualified(), From: quoteIdent(root.schema, root.name)}}, nil
		}
		heaps = leaves
	}
	var out []Chunk
	for _, r := range heaps {
		from := "ONLY " + quoteIdent(r.schema, r.name)
		if r.kind == "f" { // foreign tables have no ctid to range over
			out = append(out, Chunk{ID: "all:" + r.qualified(), From: from})
			continue
		}
		density, err := rowsPerBlock(ctx, q, r, version)
		if err != nil {
			return nil, err
		}
		per := blocksPerChunk(o, density)
		for start := int64(0); ; start += per {
			end := start + per
			c := Chunk{From: from}
			if end >= r.blocks { // last: open-ended
				c.ID = fmt.Sprintf("ctid:%s:%d-", r.qualified(), start)
				if start > 0 {
					c.Range = fmt.Sprintf("ctid >= '(%d,0)'::tid", start)
				}
				out = append(out, c)
				break
			}
			c.ID = fmt.Sprintf("ctid:%s:%d-%d", r.qualified(), start, end)
			if start == 0 {
				c.Range = fmt.Sprintf("ctid < '(%d,0)'::tid", end)
			} else {
				c.Range = fmt.Sprintf("ctid >= '(%d,0)'::tid AND ctid < '(%d,0)'::tid", start, end)
			}
			out = append(out, c)
		}
	}
	return out, nil
}

// chunkCount is how many chunks the size limits ask for over all heaps.
func chunkCount(ctx context.Context, q Querier, heaps []relation, o PlanOptions, version int) (int64, error) {
	var rows float64
	var blocks int64
	for _, r := range heaps {
		d, err := rowsPerBlock(ctx, q, r, version)
		if err != nil {
			return 0, err
		}
		rows += d * float64(r.blocks)
		blocks += r.blocks
	}
	n := int64(1)
	if o.ChunkRows > 0 {
		n = max(n, int64(math.Ceil(rows/float64(o.ChunkRows))))
	}
	if o.ChunkBytes > 0 {
		n = max(n, (blocks*blockSize+o.ChunkBytes-1)/o.ChunkBytes)
	}
	return n, nil
}
