package sfload

import (
	"context"
	"os"
)

// parquet loads a Parquet file (TYPE = PARQUET).
func (l *loader) parquet(ctx context.Context, f *os.File) error {
	return &LoadError{Code: 100999, SQLState: "0A000", Message: "emulator: Parquet loading is not implemented yet"}
}
