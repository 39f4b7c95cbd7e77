package lang

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// FormatFile returns src in canonical form (hclwrite.Format). Source with
// syntax errors is not formatted; its diagnostics are returned instead.
func FormatFile(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	if _, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos); diags.HasErrors() {
		return nil, diags
	}
	return hclwrite.Format(src), nil
}

// FormatDir formats every *.pgsnow.hcl file in dir. It returns the files
// whose content differs from canonical form; unless check is set, it also
// rewrites them in place.
func FormatDir(dir string, check bool) (changed []string, diags hcl.Diagnostics) {
	matches, err := filepath.Glob(filepath.Join(dir, "*"+FileSuffix))
	if err != nil || len(matches) == 0 {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No spec files", Detail: fmt.Sprintf("No *%s files in %s.", FileSuffix, dir)}}
	}
	for _, m := range matches {
		src, err := os.ReadFile(m)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read spec file", Detail: fmt.Sprintf("%s: %v.", m, unwrapPathErr(err))})
			continue
		}
		out, d := FormatFile(src, m)
		diags = append(diags, d...)
		if d.HasErrors() || bytes.Equal(src, out) {
			continue
		}
		changed = append(changed, m)
		if check {
			continue
		}
		st, err := os.Stat(m)
		if err == nil {
			err = writeFileAtomic(m, out, st.Mode().Perm())
		}
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot write spec file", Detail: fmt.Sprintf("%s: %v.", m, err)})
		}
	}
	return changed, diags
}

// writeFileAtomic replaces path via a temp file and rename, so an
// interrupted fmt never leaves a half-written spec.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pgsnow-fmt-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
