package lang

import (
	"regexp"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var rootSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
	{Type: "source", LabelNames: []string{"type", "name"}},
	{Type: "target", LabelNames: []string{"type", "name"}},
	{Type: "state", LabelNames: []string{"backend"}},
	{Type: "settings"},
	{Type: "table", LabelNames: []string{"address"}},
	{Type: "type_override", LabelNames: []string{"postgres_type"}},
}}

// decoder turns parsed files into a Spec, collecting every diagnostic.
type decoder struct {
	dir   string
	ctx   *hcl.EvalContext
	diags hcl.Diagnostics
	// syntaxErrors suppresses "missing block" errors: the block may be
	// there but unparseable, and the syntax error already says so.
	syntaxErrors bool
	// secretExprs are the expressions of secret attributes, whose literal
	// text is masked in diagnostic snippets.
	secretExprs []hcl.Expression
}

var nameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func (d *decoder) decode(files []*hcl.File) *Spec {
	spec := &Spec{Dir: d.dir}
	var blocks []*hcl.Block
	for _, f := range files {
		content, diags := f.Body.Content(rootSchema)
		d.diags = append(d.diags, diags...)
		blocks = append(blocks, content.Blocks...)
	}
	byType := map[string][]*hcl.Block{}
	for _, b := range blocks {
		byType[b.Type] = append(byType[b.Type], b)
	}

	// Sources first: tables refer to them.
	seen := map[string]*Source{}
	for _, b := range byType["source"] {
		src := d.source(b)
		if src == nil {
			continue
		}
		if prev, dup := seen[src.Name]; dup {
			d.errAt(src.NameRange, "Duplicate source", "A source named %q is already defined at %s.", src.Name, prev.DeclRange)
			continue
		}
		seen[src.Name] = src
		spec.Sources = append(spec.Sources, src)
	}
	written := writtenBlockTypes(files)
	if len(byType["source"]) == 0 && !d.syntaxErrors && !written["source"] {
		d.errAt(startOf(files), "Missing source block", "The spec needs at least one source \"postgres\" block.")
	}

	switch tb := byType["target"]; len(tb) {
	case 0:
		if d.syntaxErrors || written["target"] {
			break // the block is there but broken; that is already reported
		}
		d.errAt(startOf(files), "Missing target block", "The spec needs exactly one target \"snowflake\" block.")
	default:
		spec.Target = d.target(tb[0])
		for _, b := range tb[1:] {
			d.target(b) // only for its diagnostics
		}
		d.dupBlocks(tb, "target", "exactly one target block is allowed")
	}

	spec.State = defaultState()
	if sb := byType["state"]; len(sb) > 0 {
		spec.State = d.state(sb[0])
		for _, b := range sb[1:] {
			d.state(b)
		}
		d.dupBlocks(sb, "state", "at most one state block is allowed")
	}

	spec.Settings = defaultSettings()
	if sb := byType["settings"]; len(sb) > 0 {
		spec.Settings = d.settings(sb[0])
		for _, b := range sb[1:] {
			d.settings(b)
		}
		d.dupBlocks(sb, "settings", "at most one settings block is allowed")
	}

	tables := map[TableAddress]*Table{}
	for _, b := range byType["table"] {
		t := d.table(b, spec)
		if t == nil {
			continue
		}
		if prev, dup := tables[t.Address]; dup {
			d.errAt(t.AddressRange, "Duplicate table block", "Table %s is already configured at %s.", t.Address, prev.DeclRange)
			continue
		}
		tables[t.Address] = t
		spec.Tables = append(spec.Tables, t)
	}

	d.checkTargetNames(spec)

	overrides := map[string]*TypeOverride{}
	for _, b := range byType["type_override"] {
		o := d.typeOverride(b)
		if o == nil {
			continue
		}
		if prev, dup := overrides[o.Name]; dup {
			d.errAt(o.LabelRange, "Duplicate type_override", "PostgreSQL type %q is already overridden at %s.", o.Name, prev.DeclRange)
			continue
		}
		overrides[o.Name] = o
		spec.TypeOverrides = append(spec.TypeOverrides, o)
	}
	return spec
}

// writtenBlockTypes lists the block types present in the files, including
// blocks the schema rejected (wrong label count).
func writtenBlockTypes(files []*hcl.File) map[string]bool {
	out := map[string]bool{}
	for _, f := range files {
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			for _, b := range body.Blocks {
				out[b.Type] = true
			}
		}
	}
	return out
}

// dupBlocks reports every block after the first as a duplicate.
func (d *decoder) dupBlocks(bs []*hcl.Block, kind, why string) {
	for _, b := range bs[1:] {
		d.errAt(b.DefRange, "Duplicate "+kind+" block", "A %s block is already defined at %s; %s.", kind, bs[0].DefRange, why)
	}
}

func startOf(files []*hcl.File) hcl.Range {
	name := ""
	for _, f := range files {
		if r := f.Body.MissingItemRange(); r.Filename != "" {
			name = r.Filename
			break
		}
	}
	p := hcl.Pos{Line: 1, Column: 1, Byte: 0}
	return hcl.Range{Filename: name, Start: p, End: p}
}

func decl(b *hcl.Block) Decl {
	return Decl{DeclRange: b.DefRange, Attrs: map[string]hcl.Range{}}
}

// content decodes a block body against schema, reporting unknown items.
func (d *decoder) content(b *hcl.Block, schema *hcl.BodySchema) *hcl.BodyContent {
	c, diags := b.Body.Content(schema)
	d.diags = append(d.diags, diags...)
	return c
}

func attrSchema(names ...string) []hcl.AttributeSchema {
	out := make([]hcl.AttributeSchema, len(names))
	for i, n := range names {
		out[i] = hcl.AttributeSchema{Name: n}
	}
	return out
}

func labelRange(b *hcl.Block, i int) hcl.Range {
	if i < len(b.LabelRanges) {
		return b.LabelRanges[i]
	}
	return b.DefRange
}

func (d *decoder) checkName(kind, name string, rng hcl.Range) bool {
	if !nameRe.MatchString(name) {
		d.errAt(rng, "Invalid "+kind+" name", "%s name %q must start with a letter or underscore and contain only letters, digits, underscores and dashes.", kind, name)
		return false
	}
	return true
}
