package extract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// newDB returns a fresh database with script applied.
func newDB(t *testing.T, script string) DSNConnector {
	t.Helper()
	dsn := pgtest.NewDatabase(t)
	if script != "" {
		if err := pgtest.ExecScript(context.Background(), dsn, script); err != nil {
			t.Fatalf("setup script: %v", err)
		}
	}
	return DSNConnector(dsn)
}

func execSQL(t *testing.T, c Connector, sql string) {
	t.Helper()
	conn, err := c.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.PgConn().Exec(context.Background(), sql).ReadAll(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func queryInt(t *testing.T, c Connector, sql string) int64 {
	t.Helper()
	conn, err := c.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int64
	if err := conn.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// queryStrings reads a query's rows as nullable strings (text protocol
// values of the same expressions the CSV holds).
func queryStrings(t *testing.T, c Connector, sql string) [][]*string {
	t.Helper()
	ctx := context.Background()
	conn, err := connect(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, sql, pgx.QueryResultFormats{pgx.TextFormatCode})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]*string
	for rows.Next() {
		var rec []*string
		for _, v := range rows.RawValues() {
			if v == nil {
				rec = append(rec, nil)
			} else {
				s := string(v)
				rec = append(rec, &s)
			}
		}
		out = append(out, rec)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func decompress(t *testing.T, c Compression, b []byte) []byte {
	t.Helper()
	var r io.Reader
	switch c {
	case Zstd:
		d, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		r = d
	case Gzip:
		g, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r = g
	default:
		return b
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decompress %s: %v", c, err)
	}
	return out
}

// parseCSV parses PostgreSQL CSV output strictly, keeping what
// encoding/csv loses: an unquoted field equal to null is NULL (nil), a
// quoted one is a value. Records end at LF outside quotes.
func parseCSV(data []byte, null string) ([][]*string, error) {
	var out [][]*string
	var rec []*string
	var field []byte
	quoted, inQuotes, fieldStart := false, false, true
	endField := func() {
		s := string(field)
		if !quoted && s == null {
			rec = append(rec, nil)
		} else {
			rec = append(rec, &s)
		}
		field, quoted, fieldStart = field[:0], false, true
	}
	for i := 0; i < len(data); i++ {
		ch := data[i]
		switch {
		case inQuotes:
			if ch == '"' {
				if i+1 < len(data) && data[i+1] == '"' {
					field = append(field, '"')
					i++
				} else {
					inQuotes = false
				}
			} else {
				field = append(field, ch)
			}
		case ch == '"' && fieldStart:
			inQuotes, quoted, fieldStart = true, true, false
		case ch == '"':
			return nil, fmt.Errorf("byte %d: quote inside an unquoted field", i)
		case ch == ',':
			endField()
		case ch == '\n':
			endField()
			out = append(out, rec)
			rec = nil
		default:
			if quoted {
				return nil, fmt.Errorf("byte %d: data after a closing quote", i)
			}
			field = append(field, ch)
			fieldStart = false
		}
	}
	if inQuotes || len(field) > 0 || rec != nil {
		return nil, fmt.Errorf("data does not end with a complete record")
	}
	return out, nil
}

// extractAll runs every chunk on one worker in a fresh snapshot and
// returns the decoded records per chunk.
func extractAll(t *testing.T, c Connector, tbl Table, chunks []Chunk, o Options) ([][][]*string, []Result) {
	t.Helper()
	ctx := context.Background()
	snap, err := BeginSnapshot(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	w, err := OpenWorker(ctx, c, snap.ID())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close(ctx)
	var recs [][][]*string
	var results []Result
	for _, ch := range chunks {
		var buf bytes.Buffer
		res, err := w.Extract(ctx, tbl, ch, o, &buf)
		if err != nil {
			t.Fatal(err)
		}
		r, err := parseCSV(decompress(t, o.Compression, buf.Bytes()), "")
		if err != nil {
			t.Fatalf("chunk %d: %v", ch.Num, err)
		}
		if res.Padded {
			r = unpad(t, r)
		}
		if int64(len(r)) != res.Rows {
			t.Fatalf("chunk %d: command tag says %d rows, file has %d records", ch.Num, res.Rows, len(r))
		}
		recs = append(recs, r)
		results = append(results, res)
	}
	return recs, results
}

func str(s string) *string { return &s }

// mustConn opens a session-configured connection closed with the test.
func mustConn(t *testing.T, c Connector) Querier {
	t.Helper()
	conn, err := connect(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func decompressBytes(c Compression, b []byte) []byte {
	if c != Zstd {
		return b
	}
	d, err := zstd.NewReader(nil)
	if err != nil {
		panic(err)
	}
	defer d.Close()
	out, err := d.DecodeAll(b, nil)
	if err != nil {
		panic(err)
	}
	return out
}

// unpad removes the constant empty field of one-column files.
func unpad(t *testing.T, recs [][]*string) [][]*string {
	t.Helper()
	for i, r := range recs {
		if len(r) != 2 || r[1] != nil {
			t.Fatalf("record %d of a padded file has %d fields or a non-NULL pad", i+1, len(r))
		}
		recs[i] = r[:1]
	}
	return recs
}
