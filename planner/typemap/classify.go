package typemap

import "github.com/pgsnow/pgsnow/providers/catalog"

// class is the mapping family of a resolved PostgreSQL type.
type class string

const (
	cInt2        class = "int2"
	cInt4        class = "int4"
	cInt8        class = "int8"
	cOID         class = "oid" // oid, xid, cid, regproc-free unsigned 32-bit counters
	cXID8        class = "xid8"
	cNumeric     class = "numeric"
	cFloat4      class = "float4"
	cFloat8      class = "float8"
	cMoney       class = "money"
	cText        class = "text" // text, varchar, citext, name, "char"
	cBpchar      class = "bpchar"
	cUUID        class = "uuid"
	cBytea       class = "bytea"
	cBool        class = "bool"
	cDate        class = "date"
	cTimestamp   class = "timestamp"
	cTimestampTZ class = "timestamptz"
	cTime        class = "time"
	cTimeTZ      class = "timetz"
	cInterval    class = "interval"
	cJSON        class = "json"
	cJSONB       class = "jsonb"
	cArray       class = "array"
	cEnum        class = "enum"
	cComposite   class = "composite"
	cHstore      class = "hstore"
	cGeometry    class = "geometry"
	cGeography   class = "geography"
	cTextual     class = "textual" // types kept as their text form: range, inet, bit, tsvector, xml, ...
	cUnknown     class = "unknown"
)

// source is a column's type resolved through domains.
type source struct {
	class  class
	t      *catalog.Type // resolved (never a domain)
	domain *catalog.Type // outermost domain, nil when none
}

func resolve(t *catalog.Type) source {
	s := source{t: t.Resolved()}
	if t.Kind == catalog.KindDomain {
		s.domain = t
	}
	s.class = classify(s.t)
	return s
}

// textual lists built-in types pgsnow keeps as text: their values survive
// exactly, their semantics (operators, indexing) do not.
var textual = map[string]bool{
	"inet": true, "cidr": true, "macaddr": true, "macaddr8": true, "bit": true, "varbit": true,
	"tsvector": true, "tsquery": true, "xml": true, "pg_lsn": true, "point": true, "line": true,
	"lseg": true, "box": true, "path": true, "polygon": true, "circle": true, "tid": true,
	"regclass": true, "regproc": true, "regprocedure": true, "regoper": true, "regoperator": true,
	"regtype": true, "regconfig": true, "regdictionary": true, "regnamespace": true, "regrole": true,
	"regcollation": true, "txid_snapshot": true, "pg_snapshot": true, "aclitem": true,
}

func classify(t *catalog.Type) class {
	if t == nil {
		return cUnknown
	}
	switch t.Kind {
	case catalog.KindArray:
		return cArray
	case catalog.KindEnum:
		return cEnum
	case catalog.KindComposite:
		return cComposite
	case catalog.KindRange, catalog.KindMultirange:
		return cTextual
	}
	if !t.IsBuiltin() {
		switch t.Name { // extension types, wherever the extension was installed
		case "citext":
			return cText
		case "hstore":
			return cHstore
		case "geometry":
			return cGeometry
		case "geography":
			return cGeography
		}
		return cUnknown
	}
	switch t.Name {
	case "int2":
		return cInt2
	case "int4":
		return cInt4
	case "int8":
		return cInt8
	case "oid", "xid", "cid":
		return cOID
	case "xid8":
		return cXID8
	case "numeric":
		return cNumeric
	case "float4":
		return cFloat4
	case "float8":
		return cFloat8
	case "money":
		return cMoney
	case "text", "varchar", "name", "char":
		return cText
	case "bpchar":
		return cBpchar
	case "uuid":
		return cUUID
	case "bytea":
		return cBytea
	case "bool":
		return cBool
	case "date":
		return cDate
	case "timestamp":
		return cTimestamp
	case "timestamptz":
		return cTimestampTZ
	case "time":
		return cTime
	case "timetz":
		return cTimeTZ
	case "interval":
		return cInterval
	case "json":
		return cJSON
	case "jsonb":
		return cJSONB
	}
	if textual[t.Name] {
		return cTextual
	}
	return cUnknown
}

// isTextLike: sources whose values are free text.
func (s source) isTextLike() bool { return s.class == cText || s.class == cBpchar }

func (s source) isInteger() bool {
	return s.class == cInt2 || s.class == cInt4 || s.class == cInt8 || s.class == cOID || s.class == cXID8
}

// integerDigits is the number of decimal digits an integer type needs.
func (s source) integerDigits() int {
	switch s.class {
	case cInt2:
		return 5
	case cInt4, cOID:
		return 10
	case cInt8:
		return 19
	case cXID8:
		return 20
	}
	return 0
}

// fracPrecision is the declared fractional-second precision (default 6).
func (s source) fracPrecision() int {
	if s.t.TimePrecision != nil {
		return *s.t.TimePrecision
	}
	return 6
}
