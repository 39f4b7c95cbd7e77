package analysis

import "github.com/pgsnow/pgsnow/providers/catalog"

// varcharOnly lists built-in types that have no Snowflake equivalent and
// are stored as their text form (FIDELITY.md, "Types").
var varcharOnly = map[string]string{
	"timetz":        "time with time zone",
	"interval":      "interval",
	"inet":          "inet",
	"cidr":          "cidr",
	"macaddr":       "macaddr",
	"macaddr8":      "macaddr8",
	"bit":           "bit",
	"varbit":        "bit varying",
	"tsvector":      "tsvector",
	"tsquery":       "tsquery",
	"xml":           "xml",
	"pg_lsn":        "pg_lsn",
	"txid_snapshot": "txid_snapshot",
	"pg_snapshot":   "pg_snapshot",
	"point":         "point",
	"line":          "line",
	"lseg":          "lseg",
	"box":           "box",
	"path":          "path",
	"polygon":       "polygon",
	"circle":        "circle",
}

// knownBuiltins are built-in types with a direct mapping and no note.
var knownBuiltins = map[string]bool{
	"int2": true, "int4": true, "int8": true, "numeric": true, "float4": true, "float8": true,
	"text": true, "varchar": true, "bpchar": true, "uuid": true, "bytea": true, "bool": true,
	"date": true, "timestamp": true, "timestamptz": true, "time": true, "json": true, "jsonb": true,
	"oid": true, "money": true, "name": true, "char": true,
}

// typeNote reports how a column type without a direct equivalent is
// handled. Arrays, domains and composites are described by their kind.
func (a *assessor) typeNote(obj string, t *catalog.Type) {
	r := t.Resolved()
	switch {
	case r.Kind == catalog.KindArray:
		// Arrays become ARRAY; the element needs no separate note.
	case r.Kind == catalog.KindEnum:
		a.add(SeverityInfo, "type_enum", obj, "", "enum %s becomes VARCHAR: the label order (used by ORDER BY and comparisons) is lost", r.Declared)
	case r.Kind == catalog.KindComposite:
		a.add(SeverityInfo, "type_composite", obj, "", "composite type %s becomes OBJECT (loaded as JSON)", r.Declared)
	case r.Kind == catalog.KindRange || r.Kind == catalog.KindMultirange:
		a.add(SeverityInfo, "type_no_equivalent", obj, "", "%s has no Snowflake equivalent: stored as VARCHAR (its text form); range semantics are lost", r.Declared)
	case r.Extension == "citext":
		a.add(SeverityInfo, "type_citext", obj, "", "citext becomes VARCHAR: comparisons become case-sensitive")
	case r.Extension == "hstore":
		a.add(SeverityInfo, "type_hstore", obj, "", "hstore becomes OBJECT (loaded as JSON)")
	case r.Extension == "postgis" && (r.Name == "geometry" || r.Name == "geography"):
		a.add(SeverityWarning, "type_spatial", obj, "", "%s becomes %s: GEOGRAPHY accepts WGS84 only and invalid shapes are rejected", r.Name, map[string]string{"geometry": "GEOMETRY", "geography": "GEOGRAPHY"}[r.Name])
	case r.IsBuiltin() && varcharOnly[r.Name] != "":
		a.add(SeverityInfo, "type_no_equivalent", obj, "", "%s has no Snowflake equivalent: stored as VARCHAR (its text form)", r.Declared)
	case r.Is("money"):
		a.add(SeverityInfo, "type_money", obj, "", "money becomes NUMBER(19,2), extracted as numeric (its text form carries a currency symbol)")
	case r.IsBuiltin() && knownBuiltins[r.Name]:
	case r.Kind == catalog.KindBase || r.Kind == catalog.KindPseudo:
		a.add(SeverityError, "type_unknown", obj, "Override the column's type in the spec (for example to VARCHAR).",
			"type %s has no known Snowflake mapping", r.Declared)
	}
}
