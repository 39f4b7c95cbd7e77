package extract

import "fmt"

// Format is the file format written for a chunk.
type Format string

// Compression is the codec applied to a chunk: for CSV the whole stream,
// for Parquet the pages.
type Compression string

const (
	CSV     Format = "csv"
	Parquet Format = "parquet"

	Zstd   Compression = "zstd"   // CSV or Parquet; level 1 (fastest) for CSV
	Gzip   Compression = "gzip"   // CSV only; level 1
	None   Compression = "none"   // CSV only: debugging and fast links
	Snappy Compression = "snappy" // Parquet only
)

// Options choose the output of one chunk.
type Options struct {
	Format      Format
	Compression Compression
	// RowGroupRows and RowGroupBytes bound a Parquet row group, and so the
	// writer's memory: a group ends at whichever comes first. Zero means
	// DefaultRowGroupRows / DefaultRowGroupBytes.
	RowGroupRows  int
	RowGroupBytes int64
}

// DefaultRowGroupRows keeps a Parquet writer's buffered rows (roughly
// 100–200 bytes each on typical tables) near 50 MB.
const DefaultRowGroupRows = 250_000

// DefaultRowGroupBytes bounds a row group of wide rows (counted as the
// rows' raw value bytes).
const DefaultRowGroupBytes = 64 << 20

// Validate reports an unsupported format/compression pair.
func (o Options) Validate() error {
	switch o.Format {
	case CSV:
		switch o.Compression {
		case Zstd, Gzip, None:
			return nil
		}
	case Parquet:
		switch o.Compression {
		case Zstd, Snappy:
			return nil
		}
	default:
		return fmt.Errorf("extract: unknown format %q (want csv or parquet)", o.Format)
	}
	return fmt.Errorf("extract: compression %q is not available for format %s", o.Compression, o.Format)
}

// Ext is the file name extension, with its leading dot.
func (o Options) Ext() string {
	if o.Format == Parquet {
		return ".parquet"
	}
	switch o.Compression {
	case Zstd:
		return ".csv.zst"
	case Gzip:
		return ".csv.gz"
	}
	return ".csv"
}
