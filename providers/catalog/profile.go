package catalog

// ProfileMethod says how a table's value profile was obtained.
type ProfileMethod string

const (
	ProfileFull    ProfileMethod = "full"    // every row was read
	ProfileSample  ProfileMethod = "sample"  // TABLESAMPLE SYSTEM (SamplePercent): facts are lower bounds
	ProfileSkipped ProfileMethod = "skipped" // not profiled (opt-out, no privilege, foreign table, ...): risks unchecked
)

// TableProfile is the result of profiling one table: one scan, one query.
//
// Facts from a sample are lower bounds: a sample that finds no NaN does
// not prove there is none; consumers must treat Method != ProfileFull as
// "risk unchecked" for absence claims.
type TableProfile struct {
	Method        ProfileMethod `json:"method"`
	SamplePercent float64       `json:"sample_percent,omitempty"`
	// Reason explains a skipped profile ("profile = false in the spec",
	// "foreign table", "partition: profiled through its parent").
	Reason string `json:"reason,omitempty"`
	// RowsScanned is count(*) over the scanned rows (equals the exact row
	// count when Method == ProfileFull).
	RowsScanned int64 `json:"rows_scanned"`
}

// ColumnProfile holds measured facts for one column. Each group is nil
// when it was not measured for this column's type; inside a group, zero
// means "measured, none found". For domains the facts are those of the
// base type.
type ColumnProfile struct {
	Nulls    int64          `json:"nulls"`
	Size     *SizeFacts     `json:"size,omitempty"`     // text, varchar, char, citext, bytea, json, jsonb, xml
	Numeric  *NumericFacts  `json:"numeric,omitempty"`  // numeric (and money via ::numeric is not needed: money is bounded)
	Float    *FloatFacts    `json:"float,omitempty"`    // real, double precision
	Temporal *TemporalFacts `json:"temporal,omitempty"` // date, timestamp, timestamptz
	Time     *TimeFacts     `json:"time,omitempty"`     // time without time zone
	Array    *ArrayFacts    `json:"array,omitempty"`    // any array
	JSON     *JSONFacts     `json:"json,omitempty"`     // jsonb (and json)
}

// SizeFacts: largest value in bytes (octet_length of the text form for
// json/jsonb/xml, raw bytes for bytea).
type SizeFacts struct {
	MaxOctetLength int64 `json:"max_octet_length"`
}

// NumericFacts: integer digits and scale of the finite values, and the
// special values NUMBER cannot hold. MaxIntegerDigits counts digits left
// of the decimal point (0 for |v| < 1); MaxScale is the largest display
// scale (trailing zeros count: 1.50 has scale 2). Both are 0 when there
// is no finite non-NULL value.
type NumericFacts struct {
	MaxIntegerDigits int   `json:"max_integer_digits"`
	MaxScale         int   `json:"max_scale"`
	NaN              int64 `json:"nan"`
	PosInfinity      int64 `json:"pos_infinity"` // PostgreSQL 14+ only; always 0 before
	NegInfinity      int64 `json:"neg_infinity"`
}

// FloatFacts: special float values.
type FloatFacts struct {
	NaN         int64 `json:"nan"`
	PosInfinity int64 `json:"pos_infinity"`
	NegInfinity int64 `json:"neg_infinity"`
}

// TemporalFacts: values Snowflake DATE/TIMESTAMP cannot hold. Years are
// judged in UTC for timestamptz.
type TemporalFacts struct {
	PosInfinity   int64 `json:"pos_infinity"`    // 'infinity'
	NegInfinity   int64 `json:"neg_infinity"`    // '-infinity'
	YearBefore1   int64 `json:"year_before_1"`   // BC values
	YearAfter9999 int64 `json:"year_after_9999"` // year >= 10000
}

// TimeFacts: time '24:00:00' is legal in PostgreSQL, not in Snowflake.
type TimeFacts struct {
	Hour24 int64 `json:"hour_24"`
}

// ArrayFacts: array shapes JSON arrays cannot express.
type ArrayFacts struct {
	// LowerBoundNot1 counts values whose lower bound is not 1 in any dimension.
	LowerBoundNot1 int64 `json:"lower_bound_not_1"`
	// MaxDims is the largest number of dimensions seen (0 when all NULL/empty).
	MaxDims int `json:"max_dims"`
	// SpecialElements counts values holding an element Snowflake cannot
	// hold as its scalar type: NaN/±Infinity (numeric, float), infinite or
	// out-of-range dates and timestamps, time 24:00:00. array_to_json
	// turns such elements into strings. Measured only for arrays of those
	// element types.
	SpecialElements int64 `json:"special_elements,omitempty"`
}

// JSONFacts: numbers that lose precision as a Snowflake VARIANT (double).
type JSONFacts struct {
	// LongNumbers counts values containing a number with >= 16 significant digits.
	LongNumbers int64 `json:"long_numbers"`
}
