package extract

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
)

// chunkedReader returns its pieces one Read at a time.
type chunkedReader struct{ pieces []int }

func (c *chunkedReader) Read(p []byte) (int, error) {
	if len(c.pieces) == 0 {
		return 0, io.EOF
	}
	n := min(c.pieces[0], len(p))
	c.pieces = c.pieces[1:]
	return n, nil
}

// The reader pauses before a read only while a COPY streams and only
// after a read that returned less than half the buffer.
func TestCoalescingReaderPauses(t *testing.T) {
	var pauses []string
	cr := &coalescingReader{r: &chunkedReader{pieces: []int{10, 10, 60, 10, 10, 10}}, pause: time.Millisecond,
		sleep: func(time.Duration) { pauses = append(pauses, "pause") }}
	buf := make([]byte, 100)
	read := func() {
		if _, err := cr.Read(buf); err != nil {
			t.Fatal(err)
		}
		pauses = append(pauses, "read")
	}
	read() // 10, not streaming
	read() // 10, not streaming: no pause
	cr.streaming.Store(true)
	read() // last was short: pause, then 60
	read() // last was 60 of 100: no pause, then 10
	read() // pause, then 10
	cr.streaming.Store(false)
	read() // not streaming: no pause
	want := []string{"read", "read", "pause", "read", "read", "pause", "read", "read"}
	if d := cmp.Diff(want, pauses); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A worker of a FrontendConnector reads through a coalescing reader,
// streaming only while a chunk's COPY runs, and extracts what a plain
// connection extracts.
func TestWorkerCoalesces(t *testing.T) {
	c := newDB(t, `CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, repeat('x', g % 50) FROM generate_series(1, 5000) g;`)
	ctx := context.Background()
	snap, err := BeginSnapshot(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close(ctx)
	tbl := Table{Schema: "public", Name: "t", Columns: []Column{{Name: "ID", Expr: `"id"`}, {Name: "V", Expr: `"v"`}}}
	chunks, err := snap.Plan(ctx, tbl, PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out [2]strings.Builder
	for i, conn := range []Connector{c, plainConnector{c}} {
		w, err := OpenWorker(ctx, conn, snap.ID())
		if err != nil {
			t.Fatal(err)
		}
		if (w.bulk != nil) != (i == 0) {
			t.Fatalf("connector %d: coalescing reader %v", i, w.bulk != nil)
		}
		for _, ch := range chunks {
			if _, err := w.Extract(ctx, tbl, ch, Options{Format: CSV, Compression: None}, &out[i]); err != nil {
				t.Fatal(err)
			}
		}
		if w.bulk != nil && w.bulk.streaming.Load() {
			t.Error("the reader still streams after the COPY")
		}
		w.Close(ctx)
	}
	if out[0].Len() == 0 || out[0].String() != out[1].String() {
		t.Errorf("coalesced extraction differs from the plain one (%d and %d bytes)", out[0].Len(), out[1].Len())
	}
}

// plainConnector hides DSNConnector's FrontendConnector.
type plainConnector struct{ c Connector }

func (p plainConnector) Connect(ctx context.Context) (*pgx.Conn, error) { return p.c.Connect(ctx) }
