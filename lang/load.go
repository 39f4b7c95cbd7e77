package lang

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// FileSuffix marks spec files: every *.pgsnow.hcl in a directory is read.
const FileSuffix = ".pgsnow.hcl"

// Files holds the parsed spec files for diagnostic snippets. Literal text
// of secret attributes is masked in these copies, so printing a
// diagnostic never shows a password written into the spec.
type Files struct {
	names []string
	files map[string]*hcl.File
}

// Names lists the spec file names in load order.
func (f *Files) Names() []string { return append([]string(nil), f.names...) }

// WriteDiagnostics writes diags in hcl's text form with source snippets.
func (f *Files) WriteDiagnostics(w io.Writer, diags hcl.Diagnostics, color bool) error {
	var files map[string]*hcl.File
	if f != nil {
		files = f.files
	}
	return hcl.NewDiagnosticTextWriter(w, files, 0, color).WriteDiagnostics(diags)
}

// LoadDir loads every *.pgsnow.hcl file in dir, in name order.
func LoadDir(dir string) (*Spec, *Files, hcl.Diagnostics) {
	matches, err := filepath.Glob(filepath.Join(dir, "*"+FileSuffix))
	if err != nil {
		return &Spec{}, &Files{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list spec files", Detail: err.Error()}}
	}
	if len(matches) == 0 {
		detail := fmt.Sprintf("No *%s files in %s.", FileSuffix, dir)
		if _, err := os.Stat(dir); err != nil {
			detail = fmt.Sprintf("Cannot read spec directory %s: %v.", dir, unwrapPathErr(err))
		}
		return &Spec{}, &Files{}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No spec files", Detail: detail}}
	}
	srcs := map[string][]byte{}
	var diags hcl.Diagnostics
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read spec file", Detail: fmt.Sprintf("%s: %v.", m, unwrapPathErr(err))})
			continue
		}
		srcs[m] = b
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	spec, files, more := parse(abs, srcs)
	return spec, files, append(diags, more...)
}

// Parse decodes spec files given as name → content. Relative paths (file(),
// private_key_path) resolve against the working directory.
func Parse(files map[string][]byte) (*Spec, *Files, hcl.Diagnostics) {
	return parse("", files)
}

func parse(dir string, srcs map[string][]byte) (spec *Spec, files *Files, diags hcl.Diagnostics) {
	names := make([]string, 0, len(srcs))
	for n := range srcs {
		names = append(names, n)
	}
	sort.Strings(names)
	files = &Files{names: names, files: map[string]*hcl.File{}}
	spec = &Spec{Dir: dir}
	if len(names) == 0 {
		return spec, files, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No spec files", Detail: "No *" + FileSuffix + " files were given."}}
	}
	// A panic here is a bug in pgsnow or hcl; report it as a diagnostic
	// rather than a stack trace (FuzzParse fails on it).
	defer func() {
		if r := recover(); r != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: internalErrorSummary,
				Detail: fmt.Sprintf("pgsnow could not decode the spec (%v); please report this.", r)})
		}
	}()
	p := hclparse.NewParser()
	var parsed []*hcl.File
	for _, n := range names {
		f, d := p.ParseHCL(srcs[n], n)
		diags = append(diags, d...)
		if f != nil {
			parsed = append(parsed, f)
			files.files[n] = f
		}
	}
	d := &decoder{dir: dir, ctx: evalContext(dir), syntaxErrors: diags.HasErrors()}
	spec = d.decode(parsed)
	spec.Dir = dir
	diags = append(diags, d.diags...)
	sortDiagnostics(diags)
	files.files = maskSecrets(files.files, append(d.secretExprs, maskedExprs(files.files)...))
	return spec, files, diags
}

const internalErrorSummary = "Internal error"

// sortDiagnostics orders diagnostics by file and position (stable, so
// diagnostics at one place keep their order); those without a subject
// come first.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Line != b.Start.Line:
			return a.Start.Line < b.Start.Line
		}
		return a.Start.Column < b.Start.Column
	})
}
