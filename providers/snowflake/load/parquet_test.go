package load_test

import (
	"context"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// pqRow's field names are the target columns, in another order than the
// table's: MATCH_BY_COLUMN_NAME must place them.
type pqRow struct {
	V  *string `parquet:"V,optional"`
	ID int64   `parquet:"ID"`
}

func TestLoadParquet(t *testing.T) {
	e := start(t, sfemuNone())
	tbl := e.table("PQ")
	e.exec(`CREATE TABLE ` + tbl.Quoted() + ` (ID NUMBER(19,0) NOT NULL, V VARCHAR)`)
	rows := []pqRow{{ptr("a"), 1}, {nil, 2}, {ptr(""), 3}, {ptr(`\N`), 4}}
	c := load.Chunk{Table: tbl, Prefix: "run1/S.PQ", Name: "s_pq_chunk_0001.parquet", Compression: "NONE",
		FileFormat: load.ParquetFormat, Parquet: true}
	rec, err := e.loader().LoadChunk(context.Background(), c, func(w io.Writer) (load.Extracted, error) {
		pw := parquet.NewGenericWriter[pqRow](w, parquet.DataPageVersion(1), parquet.Compression(&parquet.Zstd))
		n, err := pw.Write(rows)
		if err != nil {
			return load.Extracted{}, err
		}
		return load.Extracted{Rows: int64(n)}, pw.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Rows != 4 {
		t.Errorf("rows = %d", rec.Rows)
	}
	want := [][]string{{"1", "a"}, {"2", "NULL"}, {"3", ""}, {"4", `\N`}}
	if d := cmp.Diff(want, e.rows(`SELECT ID, V FROM `+tbl.Quoted()+` ORDER BY ID`)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
