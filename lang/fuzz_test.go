package lang

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

func FuzzParse(f *testing.F) {
	paths, err := findSpecFiles()
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`table "a.\"b\"\"c\".d" { column "" {} }`))
	f.Add([]byte(`source "postgres" "a" { schemas = [null] schema_map = { x = null } }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		spec, files, diags := Parse(map[string][]byte{"fuzz.pgsnow.hcl": src})
		if spec == nil || files == nil {
			t.Fatal("Parse returned nil")
		}
		for _, d := range diags {
			if d.Summary == internalErrorSummary {
				t.Fatalf("internal error: %s", d.Detail)
			}
			if strings.Contains(d.Detail, "goroutine ") {
				t.Fatalf("diagnostic contains a stack trace: %s", d.Detail)
			}
		}
		if err := files.WriteDiagnostics(io.Discard, diags, false); err != nil {
			t.Fatal(err)
		}
		if out, fd := FormatFile(src, "fuzz.pgsnow.hcl"); !fd.HasErrors() {
			again, fd2 := FormatFile(out, "fuzz.pgsnow.hcl")
			if fd2.HasErrors() {
				t.Fatalf("formatted output does not parse: %s\n%s", fd2.Error(), out)
			}
			if !bytes.Equal(out, again) {
				t.Fatalf("format not idempotent:\n%q\n%q", out, again)
			}
		}
	})
}
