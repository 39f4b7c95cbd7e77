package catalog

// TypeKind is the structural kind of a type (pg_type.typtype, with arrays
// split out of "base").
type TypeKind string

const (
	KindBase       TypeKind = "base"       // built-in or extension scalar (int4, text, citext, hstore, ...)
	KindArray      TypeKind = "array"      // array of Element
	KindEnum       TypeKind = "enum"       // EnumLabels holds the labels in sort order
	KindDomain     TypeKind = "domain"     // Domain holds the base type and constraints
	KindComposite  TypeKind = "composite"  // Fields holds the attributes
	KindRange      TypeKind = "range"      // range over a subtype
	KindMultirange TypeKind = "multirange" // PostgreSQL 14+
	KindPseudo     TypeKind = "pseudo"
)

// TypeCategory is PostgreSQL's pg_type.typcategory spelled out.
type TypeCategory string

const (
	CategoryArray     TypeCategory = "array"     // A
	CategoryBoolean   TypeCategory = "boolean"   // B
	CategoryComposite TypeCategory = "composite" // C
	CategoryDateTime  TypeCategory = "datetime"  // D
	CategoryEnum      TypeCategory = "enum"      // E
	CategoryGeometric TypeCategory = "geometric" // G
	CategoryNetwork   TypeCategory = "network"   // I
	CategoryNumeric   TypeCategory = "numeric"   // N
	CategoryPseudo    TypeCategory = "pseudo"    // P
	CategoryRange     TypeCategory = "range"     // R
	CategoryString    TypeCategory = "string"    // S
	CategoryTimespan  TypeCategory = "timespan"  // T
	CategoryUser      TypeCategory = "user"      // U (uuid, bytea, json, jsonb, xml, hstore, geometry, ...)
	CategoryBitString TypeCategory = "bitstring" // V
	CategoryUnknown   TypeCategory = "unknown"   // X
	CategoryInternal  TypeCategory = "internal"  // Z
)

// Type is a column type with everything the type mapping needs.
//
// Name is the type's own internal name (pg_type.typname: "int4",
// "numeric", "varchar", "bpchar", "timestamptz", "_int4" for int4[], the
// user's name for enums/domains/composites); Schema is its namespace
// ("pg_catalog" for built-ins). Declared is the type exactly as
// PostgreSQL formats it for the column, modifiers included
// (format_type(atttypid, atttypmod)): "numeric(12,2)", "character
// varying(40)", "timestamp(3) with time zone", "integer[]",
// "public.mood". Match rules on Schema+Name (or Element/Domain.Base),
// never on Declared.
//
// Modifiers are nil when the column declares none: numeric without
// precision has Precision == nil; varchar without length has Length == nil.
type Type struct {
	Declared string       `json:"declared"`
	Schema   string       `json:"schema"`
	Name     string       `json:"name"`
	Kind     TypeKind     `json:"kind"`
	Category TypeCategory `json:"category"`
	// Extension is the extension that owns the type ("citext", "hstore",
	// "postgis"), empty for built-in and user types.
	Extension string `json:"extension,omitempty"`

	// Numeric modifiers: numeric(p,s). Scale may be negative (PG15+).
	Precision *int `json:"precision,omitempty"`
	Scale     *int `json:"scale,omitempty"`
	// Length is varchar(n), char(n), bit(n), varbit(n) in characters/bits.
	Length *int `json:"length,omitempty"`
	// TimePrecision is the fractional-second precision of time, timetz,
	// timestamp, timestamptz and interval (nil = default, 6).
	TimePrecision *int `json:"time_precision,omitempty"`
	// IntervalFields is the field restriction of interval, e.g. "DAY TO SECOND".
	IntervalFields string `json:"interval_fields,omitempty"`

	// Element is the element type of an array (Kind == KindArray). Dims is
	// the number of dimensions the column declares (pg_attribute.attndims);
	// PostgreSQL does not enforce it, so the profile's MaxDims is the truth.
	Element *Type `json:"element,omitempty"`
	Dims    int   `json:"dims,omitempty"`

	// EnumLabels are the labels of an enum in sort order.
	EnumLabels []string `json:"enum_labels,omitempty"`
	// Domain describes a domain type.
	Domain *DomainInfo `json:"domain,omitempty"`
	// Fields are the attributes of a composite type, in order.
	Fields []Field `json:"fields,omitempty"`
	// RangeSubtype is the subtype of a range (or multirange) type.
	RangeSubtype *Type `json:"range_subtype,omitempty"`
}

// DomainInfo is the definition of a domain type.
type DomainInfo struct {
	Base    *Type   `json:"base"`
	NotNull bool    `json:"not_null,omitempty"`
	Default string  `json:"default,omitempty"`
	Checks  []Check `json:"checks,omitempty"`
}

// Check is a named CHECK expression (domain or table).
type Check struct {
	Name       string `json:"name"`
	Expression string `json:"expression"` // pg_get_constraintdef, e.g. "CHECK (VALUE > 0)"
}

// Field is an attribute of a composite type.
type Field struct {
	Name string `json:"name"`
	Type *Type  `json:"type"`
}

// Qualified returns the type's schema-qualified name.
func (t *Type) Qualified() QualifiedName { return QualifiedName{Schema: t.Schema, Name: t.Name} }

// IsBuiltin reports whether the type lives in pg_catalog.
func (t *Type) IsBuiltin() bool { return t.Schema == "pg_catalog" }

// Is reports whether the type is the built-in type with internal name
// name (e.g. "numeric", "timestamptz").
func (t *Type) Is(name string) bool { return t.IsBuiltin() && t.Name == name }

// Resolved follows domains down to their base type (a domain over a
// domain over numeric resolves to numeric). Arrays are not unwrapped.
func (t *Type) Resolved() *Type {
	for t != nil && t.Kind == KindDomain && t.Domain != nil && t.Domain.Base != nil {
		t = t.Domain.Base
	}
	return t
}

// ArrayElement follows domains and returns the innermost element type of
// an array type (itself resolved through domains), or nil when t is not
// an array.
func (t *Type) ArrayElement() *Type {
	r := t.Resolved()
	if r == nil || r.Kind != KindArray || r.Element == nil {
		return nil
	}
	return r.Element.Resolved()
}

// EnumType is a user-defined enum.
type EnumType struct {
	Schema  string   `json:"schema"`
	Name    string   `json:"name"`
	Labels  []string `json:"labels"`
	Comment string   `json:"comment,omitempty"`
}

// DomainType is a user-defined domain.
type DomainType struct {
	Schema  string     `json:"schema"`
	Name    string     `json:"name"`
	Info    DomainInfo `json:"definition"`
	Comment string     `json:"comment,omitempty"`
}

// CompositeType is a free-standing composite type (CREATE TYPE ... AS (...)).
type CompositeType struct {
	Schema  string  `json:"schema"`
	Name    string  `json:"name"`
	Fields  []Field `json:"fields"`
	Comment string  `json:"comment,omitempty"`
}
