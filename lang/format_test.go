package lang

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// specFiles lists every spec file under testdata and ../examples.
func specFiles(t *testing.T) []string {
	t.Helper()
	out, err := findSpecFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no spec files found")
	}
	return out
}

func findSpecFiles() ([]string, error) {
	var out []string
	for _, root := range []string{"testdata", "../examples"} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && filepath.Ext(p) == ".hcl" {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

func TestFormatIdempotent(t *testing.T) {
	for _, p := range specFiles(t) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		once, diags := FormatFile(src, p)
		if diags.HasErrors() {
			continue // syntax-error cases cannot be formatted
		}
		twice, diags := FormatFile(once, p)
		if diags.HasErrors() {
			t.Fatalf("%s: formatted output does not parse: %s", p, diags.Error())
		}
		if diff := cmp.Diff(string(once), string(twice)); diff != "" {
			t.Errorf("%s: format is not idempotent (-once +twice):\n%s", p, diff)
		}
	}
}

func TestFormatSyntaxError(t *testing.T) {
	out, diags := FormatFile([]byte("settings {\n  parallelism = \n"), "bad.pgsnow.hcl")
	if !diags.HasErrors() || out != nil {
		t.Fatalf("want syntax diagnostics and no output, got %q, %v", out, diags)
	}
	if diags[0].Subject == nil || diags[0].Subject.Filename != "bad.pgsnow.hcl" {
		t.Errorf("diagnostic does not point into the file: %#v", diags[0].Subject)
	}
}

func TestFormatDir(t *testing.T) {
	dir := t.TempDir()
	messy := "settings {\nparallelism=4\n    format =    \"csv\"\n}\n"
	tidy := "settings {\n  parallelism = 4\n  format      = \"csv\"\n}\n"
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	write("a.pgsnow.hcl", messy)
	write("b.pgsnow.hcl", tidy)
	write("ignored.hcl", messy) // not a spec file

	changed, diags := FormatDir(dir, true)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := []string{filepath.Join(dir, "a.pgsnow.hcl")}
	if diff := cmp.Diff(want, changed); diff != "" {
		t.Fatalf("check mode changed files (-want +got):\n%s", diff)
	}
	if b, _ := os.ReadFile(want[0]); string(b) != messy {
		t.Fatalf("check mode rewrote the file:\n%s", b)
	}

	changed, diags = FormatDir(dir, false)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if diff := cmp.Diff(want, changed); diff != "" {
		t.Fatalf("write mode changed files (-want +got):\n%s", diff)
	}
	b, _ := os.ReadFile(want[0])
	if diff := cmp.Diff(tidy, string(b)); diff != "" {
		t.Errorf("rewritten file (-want +got):\n%s", diff)
	}
	if st, _ := os.Stat(want[0]); st.Mode().Perm() != 0o640 {
		t.Errorf("file mode changed to %v", st.Mode().Perm())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "ignored.hcl")); string(b) != messy {
		t.Error("a non-spec file was rewritten")
	}

	changed, diags = FormatDir(dir, true)
	if len(changed) != 0 || diags.HasErrors() {
		t.Errorf("after formatting, check mode reports %v, %v", changed, diags)
	}
}

func TestFormatDirSyntaxError(t *testing.T) {
	dir := t.TempDir()
	bad := "settings {\n"
	if err := os.WriteFile(filepath.Join(dir, "x.pgsnow.hcl"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	changed, diags := FormatDir(dir, false)
	if !diags.HasErrors() || len(changed) != 0 {
		t.Fatalf("want diagnostics and no change, got %v, %v", changed, diags)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "x.pgsnow.hcl")); string(b) != bad {
		t.Error("a file with syntax errors was rewritten")
	}
	if _, diags := FormatDir(t.TempDir(), true); !diags.HasErrors() {
		t.Error("empty directory: want a diagnostic")
	}
}
