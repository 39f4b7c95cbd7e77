package verify

import (
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/pgsnow/pgsnow/planner/typemap"
)

// Stats is one side's result for one table.
type Stats struct {
	Rows int64 `json:"rows"`
	// Fingerprint is the sum of the row fingerprints in decimal (it can
	// exceed int64).
	Fingerprint string        `json:"fingerprint"`
	Columns     []ColumnStats `json:"columns,omitempty"`
}

// ColumnStats are one column's aggregates. Min, Max, Sum and AbsSum are
// set in aggregate mode only, and nil when there is no such value (no
// non-NaN values; no finite values). Floats are kept as text for the JSON
// result, parsed exactly when compared.
type ColumnStats struct {
	Column  string  `json:"column"`
	Mode    string  `json:"mode"`
	NonNull int64   `json:"non_null"`
	NaN     int64   `json:"nan,omitempty"`
	Min     *string `json:"min,omitempty"`
	Max     *string `json:"max,omitempty"`
	Sum     *string `json:"sum,omitempty"`
	AbsSum  *string `json:"abs_sum,omitempty"`
}

// Parse reads one query row (PostgresQuery or SnowflakeQuery; NULL is a
// nil pointer) for a table whose aggregate columns are cols.
func Parse(cols []Column, vals []*string) (Stats, error) {
	if want := Width(cols); len(vals) != want {
		return Stats{}, fmt.Errorf("the query returned %d values, want %d", len(vals), Width(cols))
	}
	var s Stats
	var err error
	integer := func(v *string, what string) int64 {
		if err != nil {
			return 0
		}
		if v == nil {
			err = fmt.Errorf("%s is NULL", what)
			return 0
		}
		n, perr := strconv.ParseInt(*v, 10, 64)
		if perr != nil {
			err = fmt.Errorf("%s: %q is not an integer", what, *v)
		}
		return n
	}
	s.Rows = integer(vals[0], "row count")
	if vals[1] == nil {
		return s, fmt.Errorf("fingerprint is NULL")
	}
	fp, ok := new(big.Int).SetString(*vals[1], 10)
	if !ok {
		return s, fmt.Errorf("fingerprint %q is not an integer", *vals[1])
	}
	s.Fingerprint = fp.String()
	i := 2
	for _, c := range cols {
		cs := ColumnStats{Column: c.Name, Mode: c.Mode, NonNull: integer(vals[i], c.Name+" count")}
		if c.Mode == typemap.CheckAggregate {
			cs.NaN = integer(vals[i+1], c.Name+" NaN count")
			cs.Min, cs.Max, cs.Sum, cs.AbsSum = vals[i+2], vals[i+3], vals[i+4], vals[i+5]
			for _, v := range []*string{cs.Min, cs.Max, cs.Sum, cs.AbsSum} {
				if _, ferr := parseFloat(v); ferr != nil && err == nil {
					err = fmt.Errorf("%s: %w", c.Name, ferr)
				}
			}
			i += 6
		} else {
			i++
		}
		s.Columns = append(s.Columns, cs)
	}
	return s, err
}

// parseFloat reads a double as either side prints it (PostgreSQL:
// Infinity, NaN; Snowflake and Go: inf, +Inf, NaN).
func parseFloat(v *string) (float64, error) {
	if v == nil {
		return 0, nil
	}
	f, err := strconv.ParseFloat(*v, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", *v)
	}
	return f, nil
}

// Mismatch is one failed check.
type Mismatch struct {
	// Check is "row count", "fingerprint" (of the rows; with Column, of
	// that column alone), "non-NULL count", "NaN count", "min", "max",
	// "sum" or "columns".
	Check     string `json:"check"`
	Column    string `json:"column,omitempty"`
	Postgres  string `json:"postgres"`
	Snowflake string `json:"snowflake"`
	// Detail explains a tolerance or a structural problem.
	Detail string `json:"detail,omitempty"`
}

// unitRoundoff is 2^-53, the relative rounding error of one double
// operation.
const unitRoundoff = 0x1p-53

// Compare returns every check that differs between the source (pg) and
// Snowflake (sf). Both must come from Parse with the same columns.
func Compare(pg, sf Stats) []Mismatch {
	var out []Mismatch
	if pg.Rows != sf.Rows {
		out = append(out, Mismatch{Check: "row count", Postgres: itoa(pg.Rows), Snowflake: itoa(sf.Rows)})
	}
	if pg.Fingerprint != sf.Fingerprint {
		out = append(out, Mismatch{Check: "fingerprint", Postgres: pg.Fingerprint, Snowflake: sf.Fingerprint})
	}
	if len(pg.Columns) != len(sf.Columns) {
		return append(out, Mismatch{Check: "columns", Postgres: itoa(int64(len(pg.Columns))), Snowflake: itoa(int64(len(sf.Columns))),
			Detail: "the two sides compared different columns (a bug in pgsnow)"})
	}
	for i, p := range pg.Columns {
		out = append(out, compareColumn(p, sf.Columns[i])...)
	}
	return out
}

func compareColumn(p, s ColumnStats) []Mismatch {
	var out []Mismatch
	add := func(check, pv, sv, detail string) {
		out = append(out, Mismatch{Check: check, Column: p.Column, Postgres: pv, Snowflake: sv, Detail: detail})
	}
	if p.NonNull != s.NonNull {
		add("non-NULL count", itoa(p.NonNull), itoa(s.NonNull), "")
	}
	if p.Mode != typemap.CheckAggregate {
		return out
	}
	if p.NaN != s.NaN {
		add("NaN count", itoa(p.NaN), itoa(s.NaN), "")
	}
	for _, mm := range []struct {
		check string
		p, s  *string
	}{{"min", p.Min, s.Min}, {"max", p.Max, s.Max}} {
		if !sameFloat(mm.p, mm.s) {
			add(mm.check, show(mm.p), show(mm.s), "")
		}
	}
	if ok, detail := sumsAgree(p, s); !ok {
		add("sum", show(p.Sum), show(s.Sum), detail)
	}
	return out
}

// sameFloat: both NULL, or the same double (0 equals -0).
func sameFloat(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	x, errX := parseFloat(a)
	y, errY := parseFloat(b)
	return errX == nil && errY == nil && (x == y || math.IsNaN(x) && math.IsNaN(y))
}

// sumsAgree compares the sums of the finite values, which the two systems
// may add in different orders. Recursive summation of n values errs by at
// most (n-1)·u·Σ|x| (Higham, Accuracy and Stability of Numerical
// Algorithms, 4.2), so two correct sums differ by at most twice that; a
// larger difference is a changed value, never rounding.
func sumsAgree(p, s ColumnStats) (bool, string) {
	if p.Sum == nil || s.Sum == nil {
		return p.Sum == nil && s.Sum == nil, ""
	}
	a, _ := parseFloat(p.Sum)
	b, _ := parseFloat(s.Sum)
	pa, _ := parseFloat(p.AbsSum)
	sa, _ := parseFloat(s.AbsSum)
	n := float64(max(p.NonNull, s.NonNull))
	tol := 2 * n * unitRoundoff * max(pa, sa) * (1 + 4*n*unitRoundoff)
	if a == b {
		return true, ""
	}
	if math.IsInf(tol, 0) || math.IsNaN(tol) || math.IsInf(a, 0) || math.IsInf(b, 0) {
		return false, "the sums overflow; they must then be equal"
	}
	d := math.Abs(a - b)
	if d <= tol {
		return true, ""
	}
	return false, fmt.Sprintf("differ by %.3g, more than the rounding bound %.3g", d, tol)
}

func show(v *string) string {
	if v == nil {
		return "NULL"
	}
	return *v
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// CompareColumns names the hash columns whose column fingerprints differ
// (ColumnPostgresQuery and ColumnSnowflakeQuery results, in the order of
// names). NULL or unreadable values count as different.
func CompareColumns(names []string, pg, sf []*string) []Mismatch {
	var out []Mismatch
	for i, name := range names {
		var p, s *string
		if i < len(pg) {
			p = pg[i]
		}
		if i < len(sf) {
			s = sf[i]
		}
		if p == nil || s == nil || !sameInt(*p, *s) {
			out = append(out, Mismatch{Check: "fingerprint", Column: name, Postgres: show(p), Snowflake: show(s)})
		}
	}
	return out
}

func sameInt(a, b string) bool {
	x, okX := new(big.Int).SetString(a, 10)
	y, okY := new(big.Int).SetString(b, 10)
	return okX && okY && x.Cmp(y) == 0
}
