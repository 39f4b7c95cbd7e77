package load_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// TestProducerChecksums: with Loader.ProducerChecksums the record carries
// the producer's checksum (the loader counts, it does not hash again) and
// a producer that reports none is refused before any COPY.
func TestProducerChecksums(t *testing.T) {
	e := start(t, sfemuNone())
	tbl := e.table("PRODUCED")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0), V VARCHAR)`, tbl.Quoted()))
	l := e.loader()
	l.ProducerChecksums = true
	chunk := func(n int) load.Chunk {
		return load.Chunk{Table: tbl, Prefix: "run1/public.produced", Name: fmt.Sprintf("public_produced_chunk_%04d.csv.zst", n),
			Compression: "ZSTD", FileFormat: csvFormat("ZSTD")}
	}
	produce := csvProducer(t, "ZSTD", "1,a\n2,b\n", 2)
	var want string
	rec, err := l.LoadChunk(context.Background(), chunk(1), func(w io.Writer) (load.Extracted, error) {
		ex, err := produce(w)
		want = ex.Checksum
		return ex, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Checksum != want || rec.Rows != 2 || rec.Bytes == 0 {
		t.Errorf("record = %+v, want the producer's checksum %s", rec, want)
	}
	_, err = l.LoadChunk(context.Background(), chunk(2), func(w io.Writer) (load.Extracted, error) {
		_, err := io.WriteString(w, "3,c\n")
		return load.Extracted{Rows: 1}, err
	})
	var le *load.Error
	if !errors.As(err, &le) || le.Op != "CHECK" || !strings.Contains(err.Error(), "no checksum") {
		t.Fatalf("err = %v, want a CHECK error for the missing checksum", err)
	}
	if n := e.rows(`SELECT COUNT(*) FROM ` + tbl.Quoted()); n[0][0] != "2" {
		t.Errorf("rows = %s, want 2 (no COPY without a checksum)", n[0][0])
	}
}
