package load_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// TestStreamPut stages a stream without a local file (no SpillDir) through
// the emulator's HTTP transport, where gosnowflake supports WithFileStream.
func TestStreamPut(t *testing.T) {
	e := startWith(t, "http", sfemuNone())
	tbl := e.table("STREAMED")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0), V VARCHAR)`, tbl.Quoted()))
	l := e.loader()
	l.SpillDir = ""
	var data strings.Builder
	for i := 1; i <= 1000; i++ {
		fmt.Fprintf(&data, "%d,row %d\n", i, i)
	}
	c := load.Chunk{Table: tbl, Prefix: "run1/S.STREAMED", Name: "s_streamed_chunk_0001.csv.zst", Compression: "ZSTD", FileFormat: csvFormat("ZSTD")}
	rec, err := l.LoadChunk(context.Background(), c, csvProducer(t, "ZSTD", data.String(), 1000))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Rows != 1000 || rec.Bytes == 0 {
		t.Errorf("record = %+v", rec)
	}
	got := e.rows(`SELECT COUNT(*), MIN(ID), MAX(ID), MAX(V) FROM ` + tbl.Quoted())
	if d := cmp.Diff([][]string{{"1000", "1", "1000", "row 999"}}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// TestStreamPutLocalFS documents gosnowflake v1.19.1 on LOCAL_FS stages:
// the driver sizes a stream upload from the stream it has already drained
// and writes 0 bytes. The loader must notice instead of loading nothing.
func TestStreamPutLocalFS(t *testing.T) {
	e := start(t, sfemuNone())
	up := load.Upload{Stage: e.stage, Prefix: "run1/S.X", Name: "s_x_chunk_0001.csv", Compression: "NONE"}
	_, err := load.Put(context.Background(), e.db, up, fast, func(w io.Writer) error {
		_, err := io.WriteString(w, "1,a\n2,b\n")
		return err
	})
	if !errors.Is(err, load.ErrShortUpload) {
		t.Fatalf("err = %v, want ErrShortUpload", err)
	}
	t.Logf("detected: %v", err)
}
