package lang

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestExamples loads every directory under ../examples: what the project
// ships must validate.
func TestExamples(t *testing.T) {
	entries, err := os.ReadDir("../examples")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join("../examples", e.Name())
		if m, _ := filepath.Glob(filepath.Join(dir, "*"+FileSuffix)); len(m) == 0 {
			continue // e.g. examples/demo assets without a spec yet
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			setTestEnv(t)
			_, files, diags := LoadDir(dir)
			if diags.HasErrors() {
				var buf bytes.Buffer
				_ = files.WriteDiagnostics(&buf, diags, false)
				t.Fatalf("example does not validate:\n%s", buf.String())
			}
		})
	}
	if n < 2 {
		t.Fatalf("found %d example specs, want at least examples/full and examples/multi-source", n)
	}
}

var hclFence = regexp.MustCompile("(?s)```hcl\n(.*?)```")

// TestDocExample parses the first ```hcl block of docs/spec.md (the full
// example) and every other hcl block that is marked complete, so the
// reference cannot drift from the language.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../docs/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := hclFence.FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("docs/spec.md has no ```hcl block")
	}
	setTestEnv(t)
	_, files, diags := Parse(map[string][]byte{"docs/spec.md#example": blocks[0][1]})
	if len(diags) > 0 {
		var buf bytes.Buffer
		_ = files.WriteDiagnostics(&buf, diags, false)
		t.Fatalf("the example in docs/spec.md does not validate:\n%s", buf.String())
	}
	// Every other block must at least be well-formed HCL.
	for i, b := range blocks[1:] {
		if _, diags := FormatFile(b[1], "docs/spec.md"); diags.HasErrors() {
			t.Errorf("hcl block %d in docs/spec.md: %s", i+2, diags.Error())
		}
	}
}
