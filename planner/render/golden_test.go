package render

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/pgsnow/pgsnow/internal/golden"
	"github.com/pgsnow/pgsnow/planner/plan/plantest"
)

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

func TestGolden(t *testing.T) {
	for _, sc := range plantest.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			p := sc.Plan()
			var txt, md, js bytes.Buffer
			if err := Text(&txt, p, TextOptions{}); err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(txt.Bytes(), []byte("\x1b[")) {
				t.Errorf("colour codes without Color")
			}
			if err := Markdown(&md, p, MarkdownOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := JSON(&js, p); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, sc.Name+".txt", txt.Bytes())
			checkGolden(t, sc.Name+".md", md.Bytes())
			checkGolden(t, sc.Name+".json", js.Bytes())
		})
	}
}

func TestGoldenColor(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, plantest.LossyOverride(), TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "lossy_override.color.txt", b.Bytes())
}

// Long chunk lists are cut in text and markdown; JSON keeps them all.
func TestMaxChunks(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, plantest.EmptyTarget(), TextOptions{MaxChunks: 2}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte("… 2 more chunks")) {
		t.Errorf("text does not count the cut chunks:\n%s", b.String())
	}
	b.Reset()
	if err := Markdown(&b, plantest.EmptyTarget(), MarkdownOptions{MaxChunks: 3}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte("| … | 1 more chunks | | |")) {
		t.Errorf("markdown does not count the cut chunks:\n%s", b.String())
	}
}
