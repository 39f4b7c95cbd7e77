package sftype

import (
	"fmt"
	"strconv"
)

// Kind is a Snowflake data type family.
type Kind int

// The Snowflake type families the emulator knows.
const (
	Number Kind = iota + 1
	Float
	Varchar
	Binary
	Boolean
	Date
	Time
	TimestampNTZ
	TimestampLTZ
	TimestampTZ
	Variant
	Object
	Array
	Geography
	Geometry
)

// Snowflake's documented limits.
const (
	MaxPrecision = 38
	MaxScale     = 37
	// DefaultVarcharLength is the length of VARCHAR without (n): 16 MB in
	// characters. Since the 2025_03 behavior change bundle the maximum is
	// 128 MB but the default stays 16 MB
	// (https://docs.snowflake.com/en/sql-reference/data-types-text#varchar).
	DefaultVarcharLength = 16777216
	MaxVarcharLength     = 134217728
	// DefaultBinaryLength is BINARY without (n): 8 MB; the maximum is 64 MB.
	DefaultBinaryLength = 8388608
	MaxBinaryLength     = 67108864
	// DefaultFracPrecision is TIME/TIMESTAMP without (p): nanoseconds.
	DefaultFracPrecision = 9
)

// Type is one Snowflake column type with its parameters made explicit.
type Type struct {
	Kind      Kind
	Precision int // NUMBER precision (1..38); TIME/TIMESTAMP fractional precision (0..9)
	Scale     int // NUMBER scale (0..Precision)
	Length    int // VARCHAR length in characters / BINARY length in bytes
}

var kindNames = map[Kind]string{
	Number: "NUMBER", Float: "FLOAT", Varchar: "VARCHAR", Binary: "BINARY", Boolean: "BOOLEAN",
	Date: "DATE", Time: "TIME", TimestampNTZ: "TIMESTAMP_NTZ", TimestampLTZ: "TIMESTAMP_LTZ",
	TimestampTZ: "TIMESTAMP_TZ", Variant: "VARIANT", Object: "OBJECT", Array: "ARRAY",
	Geography: "GEOGRAPHY", Geometry: "GEOMETRY",
}

// String is the canonical DDL form, e.g. NUMBER(38,0), VARCHAR(16777216), TIMESTAMP_TZ(6).
func (k Kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// String is the canonical DDL form, as SHOW COLUMNS / DESCRIBE print it.
func (t Type) String() string {
	switch t.Kind {
	case Number:
		return fmt.Sprintf("NUMBER(%d,%d)", t.Precision, t.Scale)
	case Varchar, Binary:
		return fmt.Sprintf("%s(%d)", t.Kind, t.Length)
	case Time, TimestampNTZ, TimestampLTZ, TimestampTZ:
		return fmt.Sprintf("%s(%d)", t.Kind, t.Precision)
	}
	return t.Kind.String()
}

// InfoSchemaName is INFORMATION_SCHEMA.COLUMNS.DATA_TYPE: VARCHAR reports
// as TEXT there, everything else by its family name.
func (t Type) InfoSchemaName() string {
	if t.Kind == Varchar {
		return "TEXT"
	}
	return t.Kind.String()
}

// RowType is the lower-case type name gosnowflake expects in a JSON rowset.
func (t Type) RowType() string {
	switch t.Kind {
	case Number:
		return "fixed"
	case Float:
		return "real"
	case Varchar:
		return "text"
	}
	s := t.Kind.String()
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// PGType is the backing PostgreSQL column type. Each must hold every value
// Snowflake can hold in t; where PostgreSQL cannot, the choice is documented:
//   - TIME/TIMESTAMP precision 7..9: PostgreSQL stores microseconds at most,
//     so these are backed by (6) and Coerce rejects a value whose digits
//     beyond the 6th are not zero, rather than silently rounding it.
//   - TIMESTAMP_TZ keeps its offset in Snowflake; PostgreSQL's timestamptz
//     keeps only the instant. It is backed by timestamptz anyway (so
//     comparisons, MIN/MAX and CONVERT_TIMEZONE work on instants): the
//     instant is exact, the original offset is not kept (a documented
//     difference; pgsnow loads UTC values, so nothing it writes is lost).
//   - VARIANT/OBJECT/ARRAY are jsonb (jsonb keeps numbers as numeric, so no
//     precision is lost; key order is not kept — neither does Snowflake).
//   - VARCHAR(16777216 or more) is text: varchar(n) in PostgreSQL caps n at
//     10485760.
func (t Type) PGType() string {
	switch t.Kind {
	case Number:
		return fmt.Sprintf("numeric(%d,%d)", t.Precision, t.Scale)
	case Float:
		return "double precision"
	case Varchar:
		if t.Length > 10485760 {
			return "text"
		}
		return fmt.Sprintf("varchar(%d)", t.Length)
	case Binary:
		return "bytea"
	case Boolean:
		return "boolean"
	case Date:
		return "date"
	case Time:
		return fmt.Sprintf("time(%d)", min(t.Precision, 6))
	case TimestampNTZ:
		return fmt.Sprintf("timestamp(%d)", min(t.Precision, 6))
	case TimestampLTZ, TimestampTZ:
		return fmt.Sprintf("timestamptz(%d)", min(t.Precision, 6))
	case Variant, Object, Array:
		return "jsonb"
	case Geography, Geometry:
		return "text"
	}
	return "text"
}

// CanWidenTo reports whether ALTER TABLE … ALTER COLUMN … SET DATA TYPE u is
// allowed from t: Snowflake allows increasing NUMBER precision (same scale)
// and increasing VARCHAR length; other changes are rejected
// (https://docs.snowflake.com/en/sql-reference/sql/alter-table-column).
// Same type is allowed (a no-op).
func (t Type) CanWidenTo(u Type) bool {
	if t == u {
		return true
	}
	if t.Kind != u.Kind {
		return false
	}
	switch t.Kind {
	case Number:
		return u.Scale == t.Scale && u.Precision >= t.Precision
	case Varchar:
		return u.Length >= t.Length
	}
	return false
}
