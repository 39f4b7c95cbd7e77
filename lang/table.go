package lang

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pgsnow/pgsnow/lang/sftype"
)

var tableSchema = &hcl.BodySchema{
	Attributes: attrSchema("chunk_rows", "chunk_size", "chunk_by", "where", "profile", "profile_sample_percent", "target_name"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "column", LabelNames: []string{"name"}}},
}

var columnSchema = &hcl.BodySchema{Attributes: attrSchema("type", "allow_lossy", "target_name")}

var typeOverrideSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "type"}, {Name: "allow_lossy"},
}}

func (d *decoder) table(b *hcl.Block, spec *Spec) *Table {
	t := &Table{Decl: decl(b), AddressRange: labelRange(b, 0)}
	addr, err := ParseTableAddress(b.Labels[0])
	valid := err == nil
	if err != nil {
		d.errAt(t.AddressRange, "Invalid table address", "%s.", err)
	} else {
		t.Address = addr
		if src := spec.Source(addr.Source); src == nil {
			d.errAt(t.AddressRange, "Undefined source", "Table %s refers to source %q, which is not defined%s.", addr, addr.Source, knownSources(spec))
			valid = false
		} else if !src.Selects(addr.Schema, addr.Table) {
			d.errAt(t.AddressRange, "Table not selected by its source",
				"Source %q does not migrate %s.%s (schemas %s, include_tables %s, exclude_tables %s), so this table block would have no effect.",
				src.Name, addr.Schema, addr.Table, quoteList(src.Schemas), quoteList(src.IncludeTables), quoteList(src.ExcludeTables))
		}
	}
	c := d.content(b, tableSchema)
	r := d.reader(c.Attributes, &t.Decl)
	if v, ok := r.integer("chunk_rows", 1, MaxChunkRows); ok {
		t.ChunkRows = &v
	}
	if v, ok := d.chunkSize(r); ok {
		t.ChunkSize = &v
	}
	t.ChunkBy, _ = r.enum("chunk_by", "ctid", "primary_key")
	if w, ok := r.nonEmpty("where"); ok {
		if msg := checkWhere(w); msg != "" {
			r.errorf("where", "Invalid where", "%s.", msg)
		}
		t.Where = w
	}
	if v, ok := r.boolean("profile"); ok {
		t.Profile = &v
	}
	if v, ok := r.float("profile_sample_percent", 0, 100); ok {
		t.ProfileSamplePercent = &v
	}
	t.TargetName, _ = d.ident(r, "target_name")

	seen := map[string]*Column{}
	for _, cb := range c.Blocks {
		col := d.column(cb)
		if prev, dup := seen[col.Name]; dup {
			d.errAt(col.NameRange, "Duplicate column block", "Column %q is already configured at %s.", col.Name, prev.DeclRange)
			continue
		}
		seen[col.Name] = col
		t.Columns = append(t.Columns, col)
	}
	if !valid {
		return nil
	}
	return t
}

// checkTargetNames reports explicit target names that collide: two table
// blocks naming the same Snowflake table, or two columns of one table
// given the same target_name. Collisions with derived names need the
// catalog and are the planner's to find.
func (d *decoder) checkTargetNames(spec *Spec) {
	type key struct{ schema, name string }
	tables := map[key]*Table{}
	for _, t := range spec.Tables {
		if t.TargetName == "" {
			continue
		}
		k := key{spec.TargetSchema(t.Address.Source, t.Address.Schema), t.TargetName}
		if prev, dup := tables[k]; dup {
			d.errAt(t.Range("target_name"), "Duplicate target table", "Tables %s and %s would both be loaded into %s.%s.", prev.Address, t.Address, k.schema, k.name)
			continue
		}
		tables[k] = t
	}
	for _, t := range spec.Tables {
		cols := map[string]*Column{}
		for _, c := range t.Columns {
			if c.TargetName == "" {
				continue
			}
			if prev, dup := cols[c.TargetName]; dup {
				d.errAt(c.Range("target_name"), "Duplicate target column", "Columns %q and %q of %s would both become column %s.", prev.Name, c.Name, t.Address, c.TargetName)
				continue
			}
			cols[c.TargetName] = c
		}
	}
}

func knownSources(spec *Spec) string {
	if len(spec.Sources) == 0 {
		return ""
	}
	names := make([]string, len(spec.Sources))
	for i, s := range spec.Sources {
		names[i] = s.Name
	}
	return " (defined: " + quoteList(names) + ")"
}

func (d *decoder) column(b *hcl.Block) *Column {
	col := &Column{Decl: decl(b), Name: b.Labels[0], NameRange: labelRange(b, 0)}
	if col.Name == "" {
		d.errAt(col.NameRange, "Invalid column name", "Column names must not be empty.")
	}
	c := d.content(b, columnSchema)
	r := d.reader(c.Attributes, &col.Decl)
	col.TypeRange = r.rng("type")
	col.Type, col.SFType = d.sfType(r)
	if v, ok := r.boolean("allow_lossy"); ok {
		col.AllowLossy = v
	}
	col.TargetName, _ = d.ident(r, "target_name")
	return col
}

func (d *decoder) typeOverride(b *hcl.Block) *TypeOverride {
	o := &TypeOverride{Decl: decl(b), PostgresType: b.Labels[0], LabelRange: labelRange(b, 0)}
	o.Name = CanonicalPostgresType(o.PostgresType)
	valid := true
	switch {
	case o.Name == "":
		d.errAt(o.LabelRange, "Invalid type_override", "The PostgreSQL type name must not be empty.")
		valid = false
	case strings.ContainsRune(o.Name, '('):
		// format_type names without modifiers are matched; "numeric(10,2)"
		// would silently match nothing.
		d.errAt(o.LabelRange, "Invalid type_override", "Name the PostgreSQL type without modifiers (\"numeric\", not \"numeric(10,2)\"); a type_override applies to every column of the type.")
		valid = false
	}
	c := d.content(b, typeOverrideSchema)
	r := d.reader(c.Attributes, &o.Decl)
	if !r.has("type") {
		d.missing(&o.Decl, "type_override", "type", "")
	}
	o.TypeRange = r.rng("type")
	o.Type, o.SFType = d.sfType(r)
	if v, ok := r.boolean("allow_lossy"); ok {
		o.AllowLossy = v
	}
	if !valid {
		return nil
	}
	return o
}

// sfType reads and parses the "type" attribute as a Snowflake type.
func (d *decoder) sfType(r *attrReader) (string, *sftype.Type) {
	s, ok := r.str("type")
	if !ok {
		return "", nil
	}
	t, err := sftype.Parse(s)
	if err != nil {
		if r.external["type"] {
			err = fmt.Errorf("%s is not a valid Snowflake type", r.q("type", s))
		}
		r.errorf("type", "Invalid Snowflake type", "%s.", err)
		return s, nil
	}
	return s, &t
}

// pgAliases maps PostgreSQL's short type names to the names format_type
// reports, so `type_override "int4"` and `"integer"` mean the same type.
var pgAliases = map[string]string{
	"int2": "smallint", "int": "integer", "int4": "integer", "int8": "bigint",
	"float4": "real", "float8": "double precision", "float": "double precision",
	"decimal": "numeric", "bool": "boolean",
	"varchar": "character varying", "char": "character", "bpchar": "character",
	"timestamp": "timestamp without time zone", "timestamptz": "timestamp with time zone",
	"time": "time without time zone", "timetz": "time with time zone",
	"varbit": "bit varying",
}

// CanonicalPostgresType lower-cases and space-normalises a PostgreSQL type
// name and resolves common aliases ("int4" → "integer"). Quoted or
// schema-qualified user types ("billing.currency") are kept as written.
func CanonicalPostgresType(name string) string {
	n := strings.Join(strings.Fields(name), " ")
	if strings.ContainsAny(n, `."`) {
		return n
	}
	n = strings.ToLower(n)
	if a, ok := pgAliases[n]; ok {
		return a
	}
	return n
}
