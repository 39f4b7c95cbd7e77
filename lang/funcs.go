package lang

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// maxFileSize bounds file(): specs read passwords and keys, not data, and
// the bound keeps a mistaken path (a log, a dump) from eating memory.
const maxFileSize = 1 << 20

// evalContext offers the spec's functions; there are no variables, so a
// diagnostic can never print a value through hcl's "with" context.
func evalContext(dir string) *hcl.EvalContext {
	return &hcl.EvalContext{Functions: map[string]function.Function{
		"env":       envFunc,
		"file":      fileFunc(dir),
		"trimspace": trimspaceFunc,
	}}
}

// external marks values read by env() and file(): they may be secrets
// even in a non-secret attribute, so diagnostics never quote them.
const external = "pgsnow:external"

// env("NAME") or env("NAME", "default").
var envFunc = function.New(&function.Spec{
	Description: "Returns the value of an environment variable.",
	Params:      []function.Parameter{{Name: "name", Type: cty.String}},
	VarParam:    &function.Parameter{Name: "default", Type: cty.String},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args) > 2 {
			return cty.NilVal, function.NewArgErrorf(2, "env takes a variable name and at most one default value")
		}
		name := args[0].AsString()
		if name == "" || strings.ContainsAny(name, "=\x00") {
			return cty.NilVal, function.NewArgErrorf(0, "invalid environment variable name %q", name)
		}
		if v, ok := os.LookupEnv(name); ok {
			return cty.StringVal(v).Mark(external), nil
		}
		if len(args) == 2 {
			return args[1], nil
		}
		return cty.NilVal, envMissingError(name) // plain error: hcl keeps it for errors.As
	},
})

// envMissingError is returned by env() for an unset variable; the decoder
// turns it into a "Missing environment variable" diagnostic.
type envMissingError string

func (e envMissingError) Error() string {
	return fmt.Sprintf("environment variable %s is not set", string(e))
}

func fileFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Description: "Returns the contents of a file, relative to the spec directory.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			b, err := readSpecFile(dir, p)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(string(b)).Mark(external), nil
		},
	})
}

// readSpecFile reads a small regular file; devices and pipes are refused
// so a spec can never block on /dev/stdin or read /dev/zero forever.
func readSpecFile(dir, p string) ([]byte, error) {
	if p == "" || strings.ContainsRune(p, 0) {
		return nil, fmt.Errorf("invalid file path %q", p)
	}
	full := resolvePath(dir, p)
	// Stat before Open: opening a FIFO would block until a writer appears.
	if st, err := os.Stat(full); err == nil && !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%q is not a regular file", p)
	}
	f, err := os.Open(full)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("file %q does not exist (relative paths are relative to the spec directory)", p)
		}
		return nil, fmt.Errorf("cannot read file %q: %v", p, unwrapPathErr(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("cannot read file %q: %v", p, unwrapPathErr(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%q is not a regular file", p)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read file %q: %v", p, unwrapPathErr(err))
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("file %q is larger than %d bytes", p, maxFileSize)
	}
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("file %q is not UTF-8 text", p)
	}
	return b, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func resolvePath(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

var trimspaceFunc = function.New(&function.Spec{
	Description: "Removes leading and trailing white space, e.g. the newline at the end of a password file.",
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return cty.StringVal(strings.TrimSpace(args[0].AsString())), nil
	},
})
