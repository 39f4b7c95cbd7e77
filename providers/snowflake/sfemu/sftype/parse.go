package sftype

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// alias describes one documented type name: its family, whether it takes
// parameters, and the defaults when they are omitted.
type alias struct {
	kind Kind
	args int // how many parenthesised integers it accepts (0, 1 or 2)
	def  Type
}

// aliases lists every name the data-type pages document
// (https://docs.snowflake.com/en/sql-reference/intro-summary-data-types).
// Multi-word names are stored with single spaces.
var aliases = map[string]alias{
	"NUMBER":  {Number, 2, Type{Kind: Number, Precision: 38}},
	"DECIMAL": {Number, 2, Type{Kind: Number, Precision: 38}},
	"DEC":     {Number, 2, Type{Kind: Number, Precision: 38}},
	"NUMERIC": {Number, 2, Type{Kind: Number, Precision: 38}},
	// The integer synonyms are all NUMBER(38,0) and take no parameters
	// (data-types-numeric: "precision and scale cannot be specified").
	"INT":      {Number, 0, Type{Kind: Number, Precision: 38}},
	"INTEGER":  {Number, 0, Type{Kind: Number, Precision: 38}},
	"BIGINT":   {Number, 0, Type{Kind: Number, Precision: 38}},
	"SMALLINT": {Number, 0, Type{Kind: Number, Precision: 38}},
	"TINYINT":  {Number, 0, Type{Kind: Number, Precision: 38}},
	"BYTEINT":  {Number, 0, Type{Kind: Number, Precision: 38}},

	"FLOAT":            {Float, 0, Type{Kind: Float}},
	"FLOAT4":           {Float, 0, Type{Kind: Float}},
	"FLOAT8":           {Float, 0, Type{Kind: Float}},
	"DOUBLE":           {Float, 0, Type{Kind: Float}},
	"DOUBLE PRECISION": {Float, 0, Type{Kind: Float}},
	"REAL":             {Float, 0, Type{Kind: Float}},

	"VARCHAR":       {Varchar, 1, Type{Kind: Varchar, Length: DefaultVarcharLength}},
	"STRING":        {Varchar, 1, Type{Kind: Varchar, Length: DefaultVarcharLength}},
	"TEXT":          {Varchar, 1, Type{Kind: Varchar, Length: DefaultVarcharLength}},
	"NVARCHAR":      {Varchar, 1, Type{Kind: Varchar, Length: DefaultVarcharLength}},
	"NVARCHAR2":     {Varchar, 1, Type{Kind: Varchar, Length: DefaultVarcharLength}},
	"CHAR VARYING":  {Varchar, 1, Type{Kind: Varchar, Length: DefaultVarcharLength}},
	"NCHAR VARYING": {Varchar, 1, Type{Kind: Varchar, Length: DefaultVarcharLength}},
	// CHAR without a length is CHAR(1) (data-types-text: "CHAR, CHARACTER,
	// NCHAR: Synonymous with VARCHAR, except that the default length is
	// VARCHAR(1)"). Snowflake does not pad CHAR values.
	"CHAR":      {Varchar, 1, Type{Kind: Varchar, Length: 1}},
	"CHARACTER": {Varchar, 1, Type{Kind: Varchar, Length: 1}},
	"NCHAR":     {Varchar, 1, Type{Kind: Varchar, Length: 1}},

	"BINARY":    {Binary, 1, Type{Kind: Binary, Length: DefaultBinaryLength}},
	"VARBINARY": {Binary, 1, Type{Kind: Binary, Length: DefaultBinaryLength}},

	"BOOLEAN": {Boolean, 0, Type{Kind: Boolean}},
	"DATE":    {Date, 0, Type{Kind: Date}},
	"TIME":    {Time, 1, Type{Kind: Time, Precision: DefaultFracPrecision}},
	// TIMESTAMP follows TIMESTAMP_TYPE_MAPPING, whose default is
	// TIMESTAMP_NTZ; the emulator does not support changing the mapping.
	"TIMESTAMP":                      {TimestampNTZ, 1, Type{Kind: TimestampNTZ, Precision: 9}},
	"DATETIME":                       {TimestampNTZ, 1, Type{Kind: TimestampNTZ, Precision: 9}},
	"TIMESTAMP_NTZ":                  {TimestampNTZ, 1, Type{Kind: TimestampNTZ, Precision: 9}},
	"TIMESTAMPNTZ":                   {TimestampNTZ, 1, Type{Kind: TimestampNTZ, Precision: 9}},
	"TIMESTAMP WITHOUT TIME ZONE":    {TimestampNTZ, 1, Type{Kind: TimestampNTZ, Precision: 9}},
	"TIMESTAMP_LTZ":                  {TimestampLTZ, 1, Type{Kind: TimestampLTZ, Precision: 9}},
	"TIMESTAMPLTZ":                   {TimestampLTZ, 1, Type{Kind: TimestampLTZ, Precision: 9}},
	"TIMESTAMP WITH LOCAL TIME ZONE": {TimestampLTZ, 1, Type{Kind: TimestampLTZ, Precision: 9}},
	"TIMESTAMP_TZ":                   {TimestampTZ, 1, Type{Kind: TimestampTZ, Precision: 9}},
	"TIMESTAMPTZ":                    {TimestampTZ, 1, Type{Kind: TimestampTZ, Precision: 9}},
	"TIMESTAMP WITH TIME ZONE":       {TimestampTZ, 1, Type{Kind: TimestampTZ, Precision: 9}},

	"VARIANT":   {Variant, 0, Type{Kind: Variant}},
	"OBJECT":    {Object, 0, Type{Kind: Object}},
	"ARRAY":     {Array, 0, Type{Kind: Array}},
	"GEOGRAPHY": {Geography, 0, Type{Kind: Geography}},
	"GEOMETRY":  {Geometry, 0, Type{Kind: Geometry}},
}

// Parse reads Snowflake type syntax: a (possibly multi-word) type name,
// case-insensitive, optionally followed by (n) or (p,s). Defaults are made
// explicit. Errors read like Snowflake's compilation errors.
func Parse(s string) (Type, error) {
	name, argText, hasArgs, err := splitType(s)
	if err != nil {
		return Type{}, err
	}
	a, ok := aliases[name]
	if !ok {
		return Type{}, compileErr("Unsupported data type '%s'.", strings.TrimSpace(s))
	}
	t := a.def
	if !hasArgs {
		return t, nil
	}
	args, err := parseArgs(argText)
	if err != nil || len(args) == 0 || len(args) > a.args {
		return Type{}, compileErr("Unsupported data type '%s'.", strings.TrimSpace(s))
	}
	switch a.kind {
	case Number:
		t.Precision, t.Scale = args[0], 0
		if len(args) == 2 {
			t.Scale = args[1]
		}
		// Snowflake: "SQL compilation error: Unsupported data type 'NUMBER(39,0)'."
		// for precision outside 1..38; scale above precision has its own message.
		if t.Precision < 1 || t.Precision > MaxPrecision {
			return Type{}, compileErr("Unsupported data type '%s'.", t)
		}
		if t.Scale > t.Precision {
			return Type{}, compileErr("Scale %d must be less or equal to precision %d", t.Scale, t.Precision)
		}
		// "The maximum scale ... is 37" (data-types-numeric).
		if t.Scale > MaxScale {
			return Type{}, compileErr("Unsupported data type '%s'.", t)
		}
	case Varchar:
		t.Length = args[0]
		if t.Length < 1 || t.Length > MaxVarcharLength {
			return Type{}, compileErr("Unsupported data type '%s'.", t)
		}
	case Binary:
		t.Length = args[0]
		if t.Length < 1 || t.Length > MaxBinaryLength {
			return Type{}, compileErr("Unsupported data type '%s'.", t)
		}
	case Time, TimestampNTZ, TimestampLTZ, TimestampTZ:
		t.Precision = args[0]
		if t.Precision > 9 {
			return Type{}, compileErr("Unsupported data type '%s'.", t)
		}
	}
	return t, nil
}

// MustParse is Parse for constants in tests and tables; it panics on error.
func MustParse(s string) Type {
	t, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return t
}

// splitType upper-cases the name part, collapses its whitespace, and
// returns the text inside a trailing (...) if any.
func splitType(s string) (name, args string, hasArgs bool, err error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return "", "", false, compileErr("Unsupported data type '%s'.", s)
		}
		args, hasArgs = s[i+1:len(s)-1], true
		s = s[:i]
	}
	name = strings.ToUpper(strings.Join(strings.Fields(s), " "))
	if name == "" {
		return "", "", false, compileErr("Unsupported data type '%s'.", s)
	}
	return name, args, hasArgs, nil
}

func parseArgs(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 0 {
			return nil, errors.New("bad type parameter")
		}
		out = append(out, n)
	}
	return out, nil
}

// compileErr builds the error Snowflake returns for bad DDL: code 002040?
// Snowflake uses SQL state 42601/22023 variants; the emulator uses 002040 /
// 42601 for every type-syntax error (a documented simplification).
func compileErr(format string, a ...any) *ValueError {
	return &ValueError{Code: 2040, SQLState: "42601", Message: "SQL compilation error: " + fmt.Sprintf(format, a...)}
}
