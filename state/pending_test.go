package state

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPending: a chunk has at most one pending file; recording the chunk's
// loaded file settles it; the encoding round-trips; a chunk pending twice
// is refused on decode.
func TestPending(t *testing.T) {
	a, b := Chunk{By: "ctid", From: "0", To: "10"}, Chunk{By: "ctid", From: "10"}
	l := &Load{}
	l.StageFile(&File{Name: "run1/t/f_0002.csv.zst", Chunk: b, Rows: 5})
	l.StageFile(&File{Name: "run1/t/f_0001.csv.zst", Chunk: a, Rows: 3})
	l.StageFile(&File{Name: "run2/t/f_0001.csv.zst", Chunk: a, Rows: 3}) // staged again by a later run
	var names []string
	for _, f := range l.Pending {
		names = append(names, f.Name)
	}
	if d := cmp.Diff([]string{"run1/t/f_0002.csv.zst", "run2/t/f_0001.csv.zst"}, names); d != "" {
		t.Errorf("pending (-want +got):\n%s", d)
	}
	if p := pendingFor(l, a); p == nil || p.Name != "run2/t/f_0001.csv.zst" {
		t.Errorf("PendingFor(a) = %+v", p)
	}
	l.RecordFile(&File{Name: "run2/t/f_0001.csv.zst", Chunk: a, Rows: 3, SHA256: strings.Repeat("a", 64)})
	if pendingFor(l, a) != nil || len(l.Pending) != 1 {
		t.Errorf("after RecordFile pending = %+v, want only chunk b", l.Pending)
	}
	l.DropPending(b)
	if l.Pending != nil {
		t.Errorf("after DropPending pending = %+v, want nil", l.Pending)
	}

	s := sample()
	for _, ld := range s.Loads {
		ld.StageFile(&File{Name: "run9/x/f.csv", Chunk: a, Rows: 1, Bytes: 9, SHA256: strings.Repeat("b", 64)})
		break
	}
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(s.Loads, back.Loads); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	twice := strings.Replace(string(data), `"pending": [`, `"pending": [{"name": "run9/x/g.csv", "chunk": {"by": "ctid", "from": "0", "to": "10"}, "rows": 1, "bytes": 1, "sha256": "", "query_id": "", "loaded_at": "0001-01-01T00:00:00Z"},`, 1)
	if _, err := Decode([]byte(twice)); err == nil || !strings.Contains(err.Error(), "pending twice") {
		t.Errorf("decode of a chunk pending twice: %v", err)
	}
}

// pendingFor returns the pending entry of chunk c, or nil.
func pendingFor(l *Load, c Chunk) *File {
	for _, f := range l.Pending {
		if f.Chunk == c {
			return f
		}
	}
	return nil
}
