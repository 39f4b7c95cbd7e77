package load_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// The executor's use for one chunk of a table being reloaded. produce is
// where the extractor writes (extract.Worker.Extract with this writer as
// its sink), returning its row count and checksum.
func ExampleLoader_LoadChunk() {
	var db *sql.DB // snowflake.Open(ctx, cfg)
	ctx := context.Background()
	stage := load.Stage(`"ANALYTICS"."PGSNOW"."PGSNOW_STAGE"`)
	live := load.Table{Database: "ANALYTICS", Schema: "PUBLIC", Name: "ORDERS"}
	l := &load.Loader{DB: db, Stage: stage, Policy: load.DefaultPolicy, SpillDir: "/var/tmp/pgsnow-run"}
	run := func() error {
		if err := stage.Ensure(ctx, db); err != nil {
			return err
		}
		if err := load.CreateStaging(ctx, db, live, ""); err != nil {
			return err
		}
		rec, err := l.LoadChunk(ctx, load.Chunk{
			Table:       live.Staging(),
			Prefix:      load.Prefix("20261127T0500Z", "public", "orders"),
			Name:        "public_orders_chunk_0001.csv.zst",
			Compression: "ZSTD",
			FileFormat:  "TYPE = CSV …", // typemap's options for the table, rendered
		}, func(w io.Writer) (load.Extracted, error) {
			return load.Extracted{}, nil // the extractor writes the chunk to w
		})
		if err != nil {
			return err
		}
		fmt.Println(rec.File, rec.Rows, rec.CopyQueryID) // → the state manifest
		return load.Swap(ctx, db, live)
	}
	_ = run // needs a Snowflake; see the tests for runs against the emulator
}
