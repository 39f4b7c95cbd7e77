package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// maskSecrets returns copies of files in which the literal parts of secret
// attribute values are overwritten with '*'. Byte offsets and line breaks
// are kept, so every diagnostic range stays valid. Function calls such as
// env("NAME") stay readable: their arguments name, not hold, the secret.
func maskSecrets(files map[string]*hcl.File, exprs []hcl.Expression) map[string]*hcl.File {
	var ranges []hcl.Range
	for _, e := range exprs {
		if se, ok := e.(hclsyntax.Expression); ok {
			w := &literalWalker{}
			_ = hclsyntax.Walk(se, w)
			ranges = append(ranges, w.out...)
		} else {
			ranges = append(ranges, e.Range())
		}
	}
	if len(ranges) == 0 {
		return files
	}
	out := make(map[string]*hcl.File, len(files))
	for name, f := range files {
		out[name] = f
	}
	for _, r := range ranges {
		f, ok := out[r.Filename]
		if !ok || r.Start.Byte < 0 || r.End.Byte > len(f.Bytes) || r.Start.Byte >= r.End.Byte {
			continue
		}
		if f == files[r.Filename] { // copy on first write
			c := *f
			c.Bytes = append([]byte(nil), f.Bytes...)
			f = &c
			out[r.Filename] = f
		}
		for i := r.Start.Byte; i < r.End.Byte; i++ {
			if b := f.Bytes[i]; b != '\n' && b != '\r' && b != '"' {
				f.Bytes[i] = '*'
			}
		}
	}
	return out
}

// plainAttrs are the attribute names known not to hold secrets. Every
// other attribute (secret ones, and unknown ones such as a misspelt
// "passwrod") is masked: an unknown attribute's value does not help fix it.
var plainAttrs = func() map[string]bool {
	m := map[string]bool{}
	schemas := []*hcl.BodySchema{sourceSchema, targetSchema, authSchema, settingsSchema, retrySchema,
		tableSchema, columnSchema, typeOverrideSchema}
	for _, s := range stateSchemas {
		schemas = append(schemas, s)
	}
	for _, s := range schemas {
		for _, a := range s.Attributes {
			if !secretAttrs[a.Name] {
				m[a.Name] = true
			}
		}
	}
	return m
}()

// maskedExprs lists the expressions of all attributes, at any depth, that
// are not plain.
func maskedExprs(files map[string]*hcl.File) []hcl.Expression {
	var out []hcl.Expression
	var walk func(b *hclsyntax.Body)
	walk = func(b *hclsyntax.Body) {
		for name, a := range b.Attributes {
			if !plainAttrs[name] {
				out = append(out, a.Expr)
			}
		}
		for _, blk := range b.Blocks {
			walk(blk.Body)
		}
	}
	for _, f := range files {
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			walk(body)
		}
	}
	return out
}

type literalWalker struct {
	calls int
	out   []hcl.Range
}

func (w *literalWalker) Enter(n hclsyntax.Node) hcl.Diagnostics {
	switch n := n.(type) {
	case *hclsyntax.FunctionCallExpr:
		w.calls++
	case *hclsyntax.LiteralValueExpr:
		if w.calls == 0 {
			w.out = append(w.out, n.SrcRange)
		}
	}
	return nil
}

func (w *literalWalker) Exit(n hclsyntax.Node) hcl.Diagnostics {
	if _, ok := n.(*hclsyntax.FunctionCallExpr); ok {
		w.calls--
	}
	return nil
}
