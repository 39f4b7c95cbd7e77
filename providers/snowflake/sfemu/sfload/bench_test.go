package sfload

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// benchCols is the 6-column table of the load benchmark.
func benchCols() []Column {
	return cols("ID", "NUMBER(19,0)", "AMOUNT", "NUMBER(12,2)", "NAME", "VARCHAR(40)",
		"CREATED", "TIMESTAMP_TZ(6)", "ACTIVE", "BOOLEAN", "UID", "VARCHAR(36)")
}

// writeBenchFile writes rows CSV records (pgsnow's CSV dialect) compressed
// with zstd level 1 and returns the path and the uncompressed size.
func writeBenchFile(tb testing.TB, dir string, rows int) (string, int64) {
	tb.Helper()
	path := filepath.Join(dir, "bench.csv.zst")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	zw, _ := zstd.NewWriter(f, zstd.WithEncoderLevel(zstd.SpeedFastest))
	cw := &countWriter{w: zw}
	w := bufio.NewWriterSize(cw, 256<<10)
	var line []byte
	for i := 0; i < rows; i++ {
		line = line[:0]
		line = strconv.AppendInt(line, int64(i)*7919+1, 10)
		line = append(line, ',')
		line = strconv.AppendInt(line, int64(i%100000), 10)
		line = append(line, '.')
		line = append(line, byte('0'+i%10), byte('0'+i/10%10))
		line = append(line, ',')
		if i%50 == 0 {
			line = append(line, `"name, with ""quotes"" `...)
			line = strconv.AppendInt(line, int64(i), 10)
			line = append(line, '"')
		} else {
			line = fmt.Appendf(line, "customer number %d of the benchmark", i)
		}
		line = append(line, ',')
		line = fmt.Appendf(line, "2024-%02d-%02d %02d:%02d:%02d.%06d+00:00", 1+i%12, 1+i%28, i%24, i%60, (i/60)%60, i%1000000)
		line = append(line, ',')
		if i%3 == 0 {
			line = append(line, "true"...)
		} else if i%3 == 1 {
			line = append(line, "false"...)
		}
		line = append(line, ',')
		line = fmt.Appendf(line, "%08x-%04x-4%03x-8%03x-%012x", i, i%65536, i%4096, (i*7)%4096, (int64(i)*2654435761)&0xffffffffffff)
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	zw.Close()
	f.Close()
	return path, cw.n
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return c.w.Write(p) }

// BenchmarkConvert loads 1,000,000 rows of the 6-column zstd CSV.
// Reports ns/row; MB/s is over the uncompressed CSV.
func BenchmarkConvert(b *testing.B) {
	const rows = 1_000_000
	path, size := writeBenchFile(b, b.TempDir(), rows)
	ff, err := ParseFileFormatOptions(DefaultFileFormat("CSV"), pgsnowFormat+
		` TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FFTZH:TZM'`)
	if err != nil {
		b.Fatal(err)
	}
	opts, _ := ParseCopyOptions("ON_ERROR = ABORT_STATEMENT")
	c := benchCols()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Convert(context.Background(), path, "bench.csv.zst", ff, c, opts, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		if res.RowsLoaded != rows {
			b.Fatalf("loaded %d rows", res.RowsLoaded)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/rows, "ns/row")
}
