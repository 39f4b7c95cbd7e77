package lang

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// refuseExpr finds expressions a spec has no use for and that could make
// evaluation take minutes and gigabytes (both found by FuzzParse):
//   - number literals such as 1e99999999: HCL prints every digit when it
//     converts a number to a string (templates, string attributes);
//   - for expressions and %{for} directives: nested ones multiply.
//
// It returns an empty summary when the expression is acceptable.
func refuseExpr(expr hcl.Expression) (rng hcl.Range, summary, detail string) {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return hcl.Range{}, "", ""
	}
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		if summary != "" {
			return nil
		}
		switch n := n.(type) {
		case *hclsyntax.ForExpr, *hclsyntax.TemplateJoinExpr:
			rng, summary, detail = n.Range(), "Unsupported expression", "for expressions and %{for} directives are not supported in a spec; write the list out."
		case *hclsyntax.LiteralValueExpr:
			if n.Val.IsNull() || !n.Val.IsKnown() || n.Val.Type() != cty.Number {
				return nil
			}
			bf := n.Val.AsBigFloat()
			if exp := bf.MantExp(nil); bf.IsInf() || bf.Sign() != 0 && (exp > 1000 || exp < -1000) {
				rng, summary, detail = n.SrcRange, "Number out of range", "Numbers in a spec must lie between 1e-300 and 1e300 in magnitude."
			}
		}
		return nil
	})
	return rng, summary, detail
}

// rewordEnvErrors gives env() failures for unset variables a summary that
// names the problem instead of hcl's generic "Invalid function argument".
func rewordEnvErrors(diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallDiagExtra](d)
		if !ok {
			continue
		}
		var missing envMissingError
		if errors.As(extra.FunctionCallError(), &missing) {
			d.Summary = "Missing environment variable"
			d.Detail = fmt.Sprintf("The environment variable %s is not set. Set it, or give a default: env(%q, \"default\").", string(missing), string(missing))
		}
	}
	return diags
}
