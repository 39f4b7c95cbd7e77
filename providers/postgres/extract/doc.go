// Package extract reads table data out of PostgreSQL for loading into
// Snowflake: one exported snapshot per run, chunk planning by CTID block
// ranges or primary-key ranges, and streaming COPY … TO STDOUT (FORMAT csv)
// through a compressor into a caller-supplied io.Writer (or Parquet from
// the binary protocol), counting rows exactly and checksumming the bytes.
//
// Memory is bounded by buffers, never by chunk size: nothing holds a whole
// chunk. The column expressions come from the type mapping as plain SQL
// strings; this package does not interpret them.
//
// Typical use by the executor:
//
//	snap, _ := extract.BeginSnapshot(ctx, src)   // holds the snapshot open
//	chunks, _ := snap.Plan(ctx, table, extract.PlanOptions{ChunkRows: 5_000_000})
//	w, _ := extract.OpenWorker(ctx, src, snap.ID()) // one per parallel worker
//	res, err := w.Extract(ctx, table, chunks[0], extract.Options{Format: extract.CSV, Compression: extract.Zstd}, sink)
//	if extract.IsTransient(err) { /* reopen a worker, retry the chunk */ }
//
// See docs/extraction.md for the rules and the caller's contract.
package extract
