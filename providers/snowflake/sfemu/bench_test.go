package sfemu_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/klauspost/compress/zstd"
)

const benchRows = 1_000_000

// writeBenchCSV writes benchRows rows of a 6-column CSV (the shape pgsnow
// extracts: bigint, int, numeric(12,2), 40-char text, timestamp, boolean)
// and its zstd-compressed copy.
func writeBenchCSV(b *testing.B, dir string) (plain, zst string) {
	b.Helper()
	plain, zst = filepath.Join(dir, "rows.csv"), filepath.Join(dir, "rows.csv.zst")
	f, err := os.Create(plain)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < benchRows; i++ {
		text := fmt.Sprintf("customer %08d with a forty-char note..", i)[:40]
		if i%97 == 0 {
			text = fmt.Sprintf(`"say ""hi"", %06d, to the customer ok"`, i)
		}
		fmt.Fprintf(w, "%d,%d,%d.%02d,%s,%s,%t\n", int64(i)*7919, i%100000, i%1000000, i%100, text,
			base.Add(time.Duration(i)*time.Second+time.Duration(i%1000)*time.Microsecond).Format("2006-01-02 15:04:05.000000"), i%3 == 0)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	in, _ := os.Open(plain)
	defer in.Close()
	out, _ := os.Create(zst)
	defer out.Close()
	enc, _ := zstd.NewWriter(out, zstd.WithEncoderLevel(zstd.SpeedFastest))
	if _, err := enc.ReadFrom(in); err != nil {
		b.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		b.Fatal(err)
	}
	return plain, zst
}

// BenchmarkLoad compares PUT + COPY INTO through gosnowflake against
// PostgreSQL COPY FROM of the same (uncompressed) file on the same cluster.
func BenchmarkLoad(b *testing.B) {
	plain, zst := writeBenchCSV(b, b.TempDir())
	e := startEmu(b, sfemuFaultsNone())
	db := e.db()
	mustExec(b, db, "CREATE STAGE st",
		"CREATE TABLE t (id NUMBER(19,0), n NUMBER(10,0), amt NUMBER(12,2), note VARCHAR(40), ts TIMESTAMP_NTZ(6), flag BOOLEAN)")
	ctx := context.Background()
	pg, err := pgx.Connect(ctx, backingDSN(b))
	if err != nil {
		b.Fatal(err)
	}
	defer pg.Close(ctx)
	if _, err := pg.Exec(ctx, `DROP TABLE IF EXISTS bench_plain; CREATE TABLE bench_plain (id bigint, n int, amt numeric(12,2),
		note varchar(40), ts timestamp, flag boolean)`); err != nil {
		b.Fatal(err)
	}
	var sfTotal, pgTotal time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		mustExec(b, db, "TRUNCATE TABLE t")
		t0 := time.Now()
		mustExec(b, db, "PUT file://"+zst+" @st OVERWRITE = TRUE")
		rows := queryStrings(b, db, `COPY INTO t FROM @st FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"'
			ESCAPE_UNENCLOSED_FIELD = NONE NULL_IF = () COMPRESSION = ZSTD TIMESTAMP_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6')`)
		sfTotal += time.Since(t0)
		if len(rows) != 1 || rows[0][3] != fmt.Sprint(benchRows) {
			b.Fatalf("COPY INTO result %v", rows)
		}

		if _, err := pg.Exec(ctx, "TRUNCATE bench_plain"); err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(plain)
		if err != nil {
			b.Fatal(err)
		}
		t0 = time.Now()
		tag, err := pg.PgConn().CopyFrom(ctx, bufio.NewReaderSize(f, 1<<20), "COPY bench_plain FROM STDIN (FORMAT csv)")
		pgTotal += time.Since(t0)
		f.Close()
		if err != nil || tag.RowsAffected() != benchRows {
			b.Fatalf("COPY FROM: %v (%d rows)", err, tag.RowsAffected())
		}
	}
	b.ReportMetric(sfTotal.Seconds()/float64(b.N), "sfemu-s/op")
	b.ReportMetric(pgTotal.Seconds()/float64(b.N), "pgcopy-s/op")
	b.ReportMetric(sfTotal.Seconds()/pgTotal.Seconds(), "ratio")
}
