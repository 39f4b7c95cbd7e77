package lang

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// secretAttrs are the attributes read as Secret, in any block.
var secretAttrs = map[string]bool{
	"dsn": true, "password": true, "token": true, "client_secret": true,
	"private_key": true, "passphrase": true,
}

// attrReader evaluates the attributes of one block into Go values,
// recording each attribute's range in decl and collecting diagnostics.
// Every getter returns ok=false when the attribute is absent, null or bad.
type attrReader struct {
	d     *decoder
	attrs hcl.Attributes
	decl  *Decl
	// vals holds each attribute's value, evaluated once (unmarked).
	vals map[string]evaluated
	// external records attributes whose value came from env() or file().
	external map[string]bool
}

type evaluated struct {
	val cty.Value
	bad bool // evaluation failed; already reported
}

func (d *decoder) reader(attrs hcl.Attributes, decl *Decl) *attrReader {
	if decl.Attrs == nil {
		decl.Attrs = map[string]hcl.Range{}
	}
	r := &attrReader{d: d, attrs: attrs, decl: decl, vals: map[string]evaluated{}, external: map[string]bool{}}
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		a := attrs[name]
		decl.Attrs[name] = a.Expr.Range()
		if secretAttrs[name] {
			// Masked in snippets even when the attribute is rejected.
			d.secretExprs = append(d.secretExprs, a.Expr)
		}
		if rng, summary, detail := refuseExpr(a.Expr); summary != "" {
			d.errAt(rng, summary, "%s", detail)
			r.vals[name] = evaluated{bad: true}
			continue
		}
		v, diags := a.Expr.Value(d.ctx)
		d.diags = append(d.diags, rewordEnvErrors(diags)...)
		if diags.HasErrors() {
			r.vals[name] = evaluated{bad: true}
			continue
		}
		v, marks := v.UnmarkDeep()
		r.external[name] = len(marks) > 0
		r.vals[name] = evaluated{val: v}
	}
	return r
}

// has reports whether the attribute is set: present and not null. A value
// that failed to evaluate counts as set, so no "missing" error follows.
func (r *attrReader) has(name string) bool {
	e, ok := r.vals[name]
	return ok && (e.bad || !e.val.IsNull())
}

func (r *attrReader) rng(name string) hcl.Range { return r.decl.Range(name) }

func (r *attrReader) errorf(name, summary, format string, args ...any) {
	rng := r.rng(name)
	r.d.diags = append(r.d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &rng,
	})
}

// value evaluates attribute name and converts it to ty.
func (r *attrReader) value(name string, ty cty.Type) (cty.Value, bool) {
	e, ok := r.vals[name]
	if !ok || e.bad {
		return cty.NilVal, false
	}
	v := e.val
	if !v.IsWhollyKnown() {
		r.errorf(name, "Invalid attribute value", "The value of %q must be known when the spec is loaded.", name)
		return cty.NilVal, false
	}
	if v.IsNull() {
		return cty.NilVal, false
	}
	cv, err := convert.Convert(v, ty)
	if err != nil {
		r.errorf(name, "Incorrect attribute value type", "Inappropriate value for attribute %q: %s.", name, convertMsg(err))
		return cty.NilVal, false
	}
	return cv, true
}

// convertMsg phrases a conversion error; cty's messages name types, never
// values, so they are safe for secret attributes too.
func convertMsg(err error) string {
	if pe, ok := err.(cty.PathError); ok && len(pe.Path) > 0 {
		return fmt.Sprintf("element %s: %s", pathString(pe.Path), pe.Error())
	}
	return err.Error()
}

func pathString(p cty.Path) string {
	var b strings.Builder
	for _, step := range p {
		switch s := step.(type) {
		case cty.IndexStep:
			if s.Key.Type() == cty.Number {
				bf := s.Key.AsBigFloat()
				b.WriteString("[" + bf.Text('f', 0) + "]")
			} else if s.Key.Type() == cty.String {
				fmt.Fprintf(&b, "[%q]", s.Key.AsString())
			}
		case cty.GetAttrStep:
			b.WriteString("." + s.Name)
		}
	}
	return b.String()
}

// q quotes a value of attribute name for a diagnostic, unless the value
// came from env() or file().
func (r *attrReader) q(name, s string) string {
	if r.external[name] {
		return "(a value from env() or file(), not shown)"
	}
	return strconv.Quote(s)
}

func (r *attrReader) str(name string) (string, bool) {
	v, ok := r.value(name, cty.String)
	if !ok {
		return "", false
	}
	return v.AsString(), true
}

// nonEmpty is str that also rejects an empty or blank string.
func (r *attrReader) nonEmpty(name string) (string, bool) {
	s, ok := r.str(name)
	if ok && strings.TrimSpace(s) == "" {
		r.errorf(name, "Empty value", "Attribute %q must not be empty.", name)
		return "", false
	}
	return s, ok
}

// secret reads a secret attribute; its error messages never contain it.
func (r *attrReader) secret(name string) (Secret, bool) {
	s, ok := r.str(name)
	if ok && s == "" {
		r.errorf(name, "Empty value", "Attribute %q must not be empty.", name)
		return "", false
	}
	if ok && name != "dsn" && !r.external[name] {
		r.warnLiteralSecret(name)
	}
	return Secret(s), ok
}

// dsn reads a dsn attribute: a secret, checked for shape, and warned about
// when a password is written into the spec.
func (r *attrReader) dsn() (Secret, bool) {
	dsn, ok := r.secret("dsn")
	if !ok {
		return "", false
	}
	if err := checkDSN(dsn.Reveal()); err != nil {
		r.errorf("dsn", "Invalid dsn", "%s.", err)
	} else if !r.external["dsn"] && dsnHasPassword(dsn.Reveal()) {
		r.warnLiteralSecret("dsn")
	}
	return dsn, true
}

func (r *attrReader) warnLiteralSecret(name string) {
	rng := r.rng(name)
	r.d.diags = append(r.d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "Secret written into the spec",
		Detail:   fmt.Sprintf("The value of %q is written into the spec file. Use env(\"NAME\") or file(\"path\") so the spec can be shared and committed without it.", name),
		Subject:  &rng,
	})
}

func (r *attrReader) boolean(name string) (bool, bool) {
	v, ok := r.value(name, cty.Bool)
	if !ok {
		return false, false
	}
	return v.True(), true
}

// integer reads a whole number within lo..hi.
func (r *attrReader) integer(name string, lo, hi int64) (int64, bool) {
	v, ok := r.value(name, cty.Number)
	if !ok {
		return 0, false
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if !bf.IsInt() || acc != big.Exact {
		r.errorf(name, "Invalid "+name, "%q must be a whole number between %d and %d.", name, lo, hi)
		return 0, false
	}
	if n < lo || n > hi {
		r.errorf(name, "Invalid "+name, "%q must be between %d and %d, got %d.", name, lo, hi, n)
		return 0, false
	}
	return n, true
}

func (r *attrReader) float(name string, lo, hi float64) (float64, bool) {
	v, ok := r.value(name, cty.Number)
	if !ok {
		return 0, false
	}
	f, _ := v.AsBigFloat().Float64()
	if !(f > lo && f <= hi) {
		r.errorf(name, "Invalid "+name, "%q must be greater than %g and at most %g.", name, lo, hi)
		return 0, false
	}
	return f, true
}

// enum reads a string that must be one of allowed.
func (r *attrReader) enum(name string, allowed ...string) (string, bool) {
	s, ok := r.str(name)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	r.errorf(name, "Invalid "+name, "%q must be one of %s; got %s.", name, quoteList(allowed), r.q(name, s))
	return "", false
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

func (r *attrReader) strList(name string) ([]string, bool) {
	v, ok := r.value(name, cty.List(cty.String))
	if !ok {
		return nil, false
	}
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			r.errorf(name, "Invalid "+name, "%q must not contain null.", name)
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

func (r *attrReader) strMap(name string) (map[string]string, bool) {
	v, ok := r.value(name, cty.Map(cty.String))
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if e.IsNull() {
			r.errorf(name, "Invalid "+name, "%q must not contain null (key %s).", name, r.q(name, k.AsString()))
			return nil, false
		}
		out[k.AsString()] = e.AsString()
	}
	return out, true
}

// only reports every set attribute of names as not valid in context.
func (r *attrReader) only(context string, names ...string) {
	var bad []string
	for _, n := range names {
		if r.has(n) {
			bad = append(bad, n)
		}
	}
	sort.Strings(bad)
	for _, n := range bad {
		r.errorf(n, "Attribute not allowed here", "Attribute %q cannot be used %s.", n, context)
	}
}

// require reports a missing required attribute against the block.
func (d *decoder) missing(decl *Decl, block, name, why string) {
	rng := decl.DeclRange
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Missing required argument",
		Detail:   fmt.Sprintf("The %s block needs %q%s.", block, name, why),
		Subject:  &rng,
	})
}

func (d *decoder) errAt(rng hcl.Range, summary, format string, args ...any) {
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  rng.Ptr(),
	})
}
