package extract

import (
	"context"
	"errors"
	"io"
)

func (w *Worker) extractParquet(ctx context.Context, t Table, c Chunk, o Options, sink io.Writer) (Result, error) {
	return Result{}, errors.New("parquet output is not implemented yet")
}
