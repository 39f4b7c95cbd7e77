package load_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// TestResolve settles a pending file in each state an earlier run can
// leave it: loaded and still staged (killed before REMOVE), loaded and
// removed (killed before the manifest), staged and never copied (killed
// before the COPY), never staged. Each file's rows end up in the table
// exactly once.
func TestResolve(t *testing.T) {
	e := start(t, sfemuNone())
	ctx := context.Background()
	tbl := e.table("RESOLVED")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0), V VARCHAR)`, tbl.Quoted()))
	const prefix = "run1/public.resolved"
	chunk := func(n int) load.Chunk {
		return load.Chunk{Table: tbl, Prefix: prefix, Name: fmt.Sprintf("public_resolved_chunk_%04d.csv", n),
			Compression: "NONE", FileFormat: csvFormat("NONE")}
	}
	data := func(n int) string { return fmt.Sprintf("%d,a\n%d,b\n", 10*n, 10*n+1) }
	var pendings []load.Pending
	// Chunks 1 and 2 load; chunk 1's file stays on the stage (as if the run
	// died before REMOVE), chunk 2's is removed. The BeforeCopy hook keeps
	// what the executor would have written as pending.
	for n, keep := range []bool{true, false} {
		n++
		l := e.loader()
		l.KeepFiles = keep
		c := chunk(n)
		c.BeforeCopy = func(p load.Pending) error { pendings = append(pendings, p); return nil }
		if _, err := l.LoadChunk(ctx, c, csvProducer(t, "NONE", data(n), 2)); err != nil {
			t.Fatal(err)
		}
	}
	// Chunk 3 is staged but its COPY never ran (the hook's error stops it).
	stop := errors.New("killed before the COPY")
	c3 := chunk(3)
	c3.BeforeCopy = func(p load.Pending) error { pendings = append(pendings, p); return stop }
	if _, err := e.loader().LoadChunk(ctx, c3, csvProducer(t, "NONE", data(3), 2)); !errors.Is(err, stop) {
		t.Fatalf("chunk 3: err = %v, want the hook's", err)
	}
	pendings = append(pendings, load.Pending{File: prefix + "/" + chunk(4).Name, Rows: 2}) // never staged

	var got []string
	for i, p := range pendings {
		rec, ok, err := e.loader().Resolve(ctx, chunk(i+1), p)
		if err != nil {
			t.Fatalf("chunk %d: %v", i+1, err)
		}
		got = append(got, fmt.Sprintf("%s loaded=%v rows=%d", p.File, ok, rec.Rows))
	}
	want := []string{
		prefix + "/public_resolved_chunk_0001.csv loaded=true rows=2",
		prefix + "/public_resolved_chunk_0002.csv loaded=true rows=2",
		prefix + "/public_resolved_chunk_0003.csv loaded=true rows=2",
		prefix + "/public_resolved_chunk_0004.csv loaded=false rows=0",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("resolved (-want +got):\n%s", d)
	}
	wantRows := [][]string{{"10", "a"}, {"11", "b"}, {"20", "a"}, {"21", "b"}, {"30", "a"}, {"31", "b"}}
	if d := cmp.Diff(wantRows, e.rows("SELECT ID, V FROM "+tbl.Quoted()+" ORDER BY ID")); d != "" {
		t.Errorf("table (-want +got):\n%s", d)
	}
	// A second settlement of the same files changes nothing.
	for i, p := range pendings[:3] {
		if _, ok, err := e.loader().Resolve(ctx, chunk(i+1), p); err != nil || !ok {
			t.Errorf("chunk %d again: ok=%v err=%v", i+1, ok, err)
		}
	}
	if n := e.rows("SELECT COUNT(*) FROM " + tbl.Quoted()); n[0][0] != "6" {
		t.Errorf("after settling twice the table has %s rows, want 6", n[0][0])
	}
}
