package load_test

import (
	"io"

	"context"
	"errors"
	"fmt"
	"github.com/klauspost/compress/zstd"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

func TestLoadChunkCompressions(t *testing.T) {
	for _, mode := range []struct {
		transport string
		stream    bool
	}{{"local", false}, {"http", false}, {"http", true}} {
		name := mode.transport + "/spill"
		if mode.stream {
			name = mode.transport + "/stream"
		}
		t.Run(name, func(t *testing.T) { testCompressions(t, mode.transport, mode.stream) })
	}
}

func testCompressions(t *testing.T, transport string, stream bool) {
	e := startWith(t, transport, sfemuNone())
	ctx := context.Background()
	l := e.loader()
	if stream {
		l.SpillDir = ""
	}
	for _, comp := range []string{"ZSTD", "GZIP", "NONE"} {
		t.Run(comp, func(t *testing.T) {
			tbl := e.table("T_" + comp)
			e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0) NOT NULL, V VARCHAR)`, tbl.Quoted()))
			var data strings.Builder
			var want [][]string
			for i := 1; i <= 500; i++ {
				fmt.Fprintf(&data, "%d,value %d\n", i, i)
				want = append(want, []string{fmt.Sprint(i), fmt.Sprintf("value %d", i)})
			}
			c := load.Chunk{Table: tbl, Prefix: load.Prefix("run1", "public", "t_"+comp), Name: "public_t_chunk_0001" + extFor[comp],
				Compression: comp, FileFormat: csvFormat(comp)}
			rec, err := l.LoadChunk(ctx, c, csvProducer(t, comp, data.String(), 500))
			if err != nil {
				t.Fatal(err)
			}
			if rec.Rows != 500 || rec.Bytes <= 0 || rec.PutQueryID == "" || rec.CopyQueryID == "" || !rec.Removed || rec.CleanupErr != nil {
				t.Errorf("record = %+v", rec)
			}
			if rec.File != c.Prefix+"/"+c.Name || !strings.HasPrefix(rec.Checksum, "sha256:") || len(rec.Checksum) != 7+64 {
				t.Errorf("record file/checksum = %q %q (bytes %d)", rec.File, rec.Checksum, rec.Bytes)
			}
			got := e.rows(fmt.Sprintf(`SELECT ID, V FROM %s ORDER BY ID`, tbl.Quoted()))
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("rows (-want +got):\n%s", d)
			}
			if left := e.rows("LIST " + e.stage.Ref(c.Prefix)); len(left) != 0 {
				t.Errorf("stage after load: %v", left)
			}
		})
	}
}

// TestTrickyValuesFromPostgres writes the values with PostgreSQL's own
// COPY … (FORMAT csv), as the extractor does, and loads them with pgsnow's
// file format: every value must arrive unchanged.
func TestTrickyValuesFromPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	values := []*string{ptr(""), nil, ptr(`\N`), ptr(`ends in backslash\`), ptr(`say "hi", ok`), ptr("two\r\nlines"),
		ptr("lf\nonly"), ptr(`\\`), ptr(" padded "), ptr(`"`), ptr("NULL"), ptr("ünïcødé ✓")}
	if err := pgtest.ExecScript(ctx, dsn, `CREATE TABLE t (id int PRIMARY KEY, v text)`); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var want [][]string
	for i, v := range values {
		if _, err := conn.Exec(ctx, `INSERT INTO t VALUES ($1, $2)`, i+1, v); err != nil {
			t.Fatal(err)
		}
		s := "NULL"
		if v != nil {
			s = *v
		}
		want = append(want, []string{fmt.Sprint(i + 1), s})
	}
	e := start(t, sfemuNone())
	tbl := e.table("TRICKY")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0) NOT NULL, V VARCHAR)`, tbl.Quoted()))
	c := load.Chunk{Table: tbl, Prefix: load.Prefix("run1", "public", "t"), Name: "public_t_chunk_0001.csv.zst", Compression: "ZSTD", FileFormat: csvFormat("ZSTD")}
	rec, err := e.loader().LoadChunk(ctx, c, func(w io.Writer) (load.Extracted, error) {
		zw, err := zstd.NewWriter(w)
		if err != nil {
			return load.Extracted{}, err
		}
		tag, err := conn.PgConn().CopyTo(ctx, zw, `COPY (SELECT id, v FROM t ORDER BY id) TO STDOUT (FORMAT csv)`)
		if err != nil {
			return load.Extracted{}, err
		}
		return load.Extracted{Rows: tag.RowsAffected()}, zw.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec.Rows != int64(len(values)) {
		t.Errorf("rows = %d, want %d", rec.Rows, len(values))
	}
	got := e.rows(fmt.Sprintf(`SELECT ID, V FROM %s ORDER BY ID`, tbl.Quoted()))
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	// NULL and "" stay apart (the comparison above spells NULL "NULL", so check the real NULL too).
	if n := e.rows(fmt.Sprintf(`SELECT COUNT(*) FROM %s WHERE V IS NULL`, tbl.Quoted())); n[0][0] != "1" {
		t.Errorf("NULL count = %s, want 1", n[0][0])
	}
}

func ptr(s string) *string { return &s }

func TestChecksumMismatch(t *testing.T) {
	e := start(t, sfemuNone())
	tbl := e.table("SUMMED")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0), V VARCHAR)`, tbl.Quoted()))
	c := load.Chunk{Table: tbl, Prefix: "run1/public.summed", Name: "public_summed_chunk_0001.csv", Compression: "NONE", FileFormat: csvFormat("NONE")}
	_, err := e.loader().LoadChunk(context.Background(), c, func(w io.Writer) (load.Extracted, error) {
		_, err := io.WriteString(w, "1,a\n")
		return load.Extracted{Rows: 1, Checksum: "sha256:0000"}, err
	})
	var le *load.Error
	if !errors.As(err, &le) || le.Op != "CHECK" || !strings.Contains(err.Error(), "sha256:0000") {
		t.Fatalf("err = %v, want a CHECK error quoting both checksums", err)
	}
	if n := e.rows(`SELECT COUNT(*) FROM ` + tbl.Quoted()); n[0][0] != "0" {
		t.Errorf("rows = %s, want 0 (no COPY after a bad checksum)", n[0][0])
	}
}

// TestNullSpellingGuard: a one-column file writes NULL as \N (extract's
// OneColumnNull); loading it with NULL_IF = () would store the text.
func TestNullSpellingGuard(t *testing.T) {
	e := start(t, sfemuNone())
	tbl := e.table("ONECOL")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (V VARCHAR)`, tbl.Quoted()))
	c := load.Chunk{Table: tbl, Prefix: "run1/public.onecol", Name: "public_onecol_chunk_0001.csv", Compression: "NONE", FileFormat: csvFormat("NONE")}
	_, err := e.loader().LoadChunk(context.Background(), c, func(w io.Writer) (load.Extracted, error) {
		_, err := io.WriteString(w, "\"x\"\n\\N\n")
		return load.Extracted{Rows: 2, NullString: `\N`}, err
	})
	if err == nil || !strings.Contains(err.Error(), "NULL_IF = ()") {
		t.Fatalf("err = %v, want the NULL spelling refused", err)
	}
	if n := e.rows(`SELECT COUNT(*) FROM ` + tbl.Quoted()); n[0][0] != "0" {
		t.Errorf("rows = %s, want 0", n[0][0])
	}
}

func TestRowCountMismatch(t *testing.T) {
	e := start(t, sfemuNone())
	tbl := e.table("COUNTED")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0), V VARCHAR)`, tbl.Quoted()))
	c := load.Chunk{Table: tbl, Prefix: "run1/public.counted", Name: "public_counted_chunk_0001.csv.gz", Compression: "GZIP", FileFormat: csvFormat("GZIP")}
	_, err := e.loader().LoadChunk(context.Background(), c, csvProducer(t, "GZIP", "1,a\n2,b\n", 3))
	if !errors.Is(err, load.ErrRowCount) {
		t.Fatalf("err = %v, want ErrRowCount", err)
	}
	for _, s := range []string{tbl.Quoted(), c.Name, "loaded 2 rows", "counted 3"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %q", err, s)
		}
	}
	if strings.Contains(err.Error(), password) {
		t.Error("error contains the password")
	}
}
