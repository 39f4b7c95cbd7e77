package sftype

import (
	"fmt"
	"strconv"
	"strings"
)

// Documented Snowflake limits.
const (
	MaxPrecision     = 38
	MaxScale         = 37        // Snowflake numeric types: "the maximum scale is 37"
	MaxVarcharLength = 134217728 // 128 MB, characters
	DefaultVarchar   = 16777216
	MaxBinaryLength  = 67108864 // 64 MB
	DefaultBinary    = 8388608
	MaxTimePrecision = 9
	MaxVectorDim     = 4096
)

// Type is a parsed Snowflake type in canonical form.
type Type struct {
	// Name is the canonical base name: NUMBER, FLOAT, VARCHAR, BINARY,
	// BOOLEAN, DATE, TIME, TIMESTAMP_NTZ, TIMESTAMP_LTZ, TIMESTAMP_TZ,
	// VARIANT, OBJECT, ARRAY, GEOGRAPHY, GEOMETRY or VECTOR.
	Name string `json:"name"`
	// Precision and Scale for NUMBER; Precision (fractional seconds) for
	// TIME and TIMESTAMP_*.
	Precision int `json:"precision,omitempty"`
	Scale     int `json:"scale,omitempty"`
	// Length for VARCHAR (characters) and BINARY (bytes); dimension for VECTOR.
	Length int `json:"length,omitempty"`
	// Element is the VECTOR element type: INT or FLOAT.
	Element string `json:"element,omitempty"`
}

// String renders the type as Snowflake DDL, always with explicit parameters.
func (t Type) String() string {
	switch t.Name {
	case "NUMBER":
		return fmt.Sprintf("NUMBER(%d,%d)", t.Precision, t.Scale)
	case "VARCHAR", "BINARY":
		return fmt.Sprintf("%s(%d)", t.Name, t.Length)
	case "TIME", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ":
		return fmt.Sprintf("%s(%d)", t.Name, t.Precision)
	case "VECTOR":
		return fmt.Sprintf("VECTOR(%s,%d)", t.Element, t.Length)
	}
	return t.Name
}

type kind int

const (
	kNoParams kind = iota // FLOAT, BOOLEAN, ...: parameters are an error
	kNumber               // (p[,s])
	kInteger              // NUMBER(38,0), parameters are an error
	kLength               // VARCHAR/BINARY (n)
	kFracSec              // TIME/TIMESTAMP (p)
	kVector               // (INT|FLOAT, n)
)

type entry struct {
	canon   string
	kind    kind
	defLen  int // default length when no (n) is given
	maxLen  int
	defPrec int
}

// aliases maps every accepted spelling (upper case, single spaces) to its
// canonical type, following Snowflake's data type documentation.
var aliases = map[string]entry{}

func init() {
	add := func(e entry, names ...string) {
		for _, n := range names {
			aliases[n] = e
		}
	}
	add(entry{canon: "NUMBER", kind: kNumber}, "NUMBER", "DECIMAL", "DEC", "NUMERIC")
	add(entry{canon: "NUMBER", kind: kInteger}, "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT")
	add(entry{canon: "FLOAT"}, "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL")
	add(entry{canon: "VARCHAR", kind: kLength, defLen: DefaultVarchar, maxLen: MaxVarcharLength},
		"VARCHAR", "STRING", "TEXT", "NVARCHAR", "NVARCHAR2", "CHAR VARYING", "NCHAR VARYING")
	add(entry{canon: "VARCHAR", kind: kLength, defLen: 1, maxLen: MaxVarcharLength}, "CHAR", "CHARACTER", "NCHAR")
	add(entry{canon: "BINARY", kind: kLength, defLen: DefaultBinary, maxLen: MaxBinaryLength}, "BINARY", "VARBINARY")
	add(entry{canon: "BOOLEAN"}, "BOOLEAN")
	add(entry{canon: "DATE"}, "DATE")
	add(entry{canon: "TIME", kind: kFracSec, defPrec: 9}, "TIME")
	add(entry{canon: "TIMESTAMP_NTZ", kind: kFracSec, defPrec: 9},
		"TIMESTAMP_NTZ", "TIMESTAMPNTZ", "TIMESTAMP WITHOUT TIME ZONE", "DATETIME",
		// TIMESTAMP follows TIMESTAMP_TYPE_MAPPING, whose default is NTZ;
		// pgsnow always creates the explicit type.
		"TIMESTAMP")
	add(entry{canon: "TIMESTAMP_LTZ", kind: kFracSec, defPrec: 9},
		"TIMESTAMP_LTZ", "TIMESTAMPLTZ", "TIMESTAMP WITH LOCAL TIME ZONE")
	add(entry{canon: "TIMESTAMP_TZ", kind: kFracSec, defPrec: 9},
		"TIMESTAMP_TZ", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE")
	for _, n := range []string{"VARIANT", "OBJECT", "ARRAY", "GEOGRAPHY", "GEOMETRY"} {
		add(entry{canon: n}, n)
	}
	add(entry{canon: "VECTOR", kind: kVector}, "VECTOR")
}

// Parse parses a Snowflake type string. Names are case-insensitive and may
// carry surrounding spaces; parameters are checked against Snowflake's limits.
func Parse(s string) (Type, error) {
	src := strings.TrimSpace(s)
	if src == "" {
		return Type{}, fmt.Errorf("empty type")
	}
	name, params, hasParams, err := split(src)
	if err != nil {
		return Type{}, err
	}
	e, ok := aliases[name]
	if !ok {
		return Type{}, fmt.Errorf("unknown Snowflake type %q", name)
	}
	t := Type{Name: e.canon}
	switch e.kind {
	case kNoParams, kInteger:
		if hasParams {
			return Type{}, fmt.Errorf("type %s takes no parameters", name)
		}
		if e.kind == kInteger {
			t.Precision = MaxPrecision
		}
	case kNumber:
		t.Precision, t.Scale = MaxPrecision, 0
		if hasParams {
			if len(params) < 1 || len(params) > 2 {
				return Type{}, fmt.Errorf("%s takes (precision) or (precision, scale)", name)
			}
			if t.Precision, err = intParam(params[0], "precision", 1, MaxPrecision); err != nil {
				return Type{}, err
			}
			t.Scale = 0
			if len(params) == 2 {
				if t.Scale, err = intParam(params[1], "scale", 0, min(t.Precision, MaxScale)); err != nil {
					return Type{}, err
				}
			}
		}
	case kLength:
		t.Length = e.defLen
		if hasParams {
			if len(params) != 1 {
				return Type{}, fmt.Errorf("%s takes one length parameter", name)
			}
			if t.Length, err = intParam(params[0], "length", 1, e.maxLen); err != nil {
				return Type{}, err
			}
		}
	case kFracSec:
		t.Precision = e.defPrec
		if hasParams {
			if len(params) != 1 {
				return Type{}, fmt.Errorf("%s takes one precision parameter", name)
			}
			if t.Precision, err = intParam(params[0], "precision", 0, MaxTimePrecision); err != nil {
				return Type{}, err
			}
		}
	case kVector:
		if !hasParams || len(params) != 2 {
			return Type{}, fmt.Errorf("VECTOR takes (INT|FLOAT, dimension)")
		}
		el := strings.ToUpper(strings.TrimSpace(params[0]))
		if el != "INT" && el != "FLOAT" {
			return Type{}, fmt.Errorf("VECTOR element type must be INT or FLOAT")
		}
		t.Element = el
		if t.Length, err = intParam(params[1], "dimension", 1, MaxVectorDim); err != nil {
			return Type{}, err
		}
	}
	return t, nil
}

// split separates "name ( a , b )" into the normalised name and raw params.
func split(s string) (name string, params []string, hasParams bool, err error) {
	open := strings.IndexByte(s, '(')
	base := s
	if open >= 0 {
		if !strings.HasSuffix(s, ")") || strings.Count(s, "(") != 1 || strings.Count(s, ")") != 1 {
			return "", nil, false, fmt.Errorf("malformed type %q: unbalanced parentheses", s)
		}
		base = s[:open]
		inner := s[open+1 : len(s)-1]
		hasParams = true
		params = strings.Split(inner, ",")
	} else if strings.ContainsRune(s, ')') {
		return "", nil, false, fmt.Errorf("malformed type %q: unbalanced parentheses", s)
	}
	name = strings.ToUpper(strings.Join(strings.Fields(base), " "))
	if name == "" {
		return "", nil, false, fmt.Errorf("malformed type %q: missing type name", s)
	}
	return name, params, hasParams, nil
}

func intParam(raw, what string, lo, hi int) (int, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" || strings.Trim(raw, "0123456789") != "" {
		return 0, fmt.Errorf("%s %q is not a non-negative integer", what, raw)
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, fmt.Errorf("%s %q is too large", what, raw)
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%s %d out of range %d..%d", what, n, lo, hi)
	}
	return n, nil
}
