package typemap

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/lang/sftype"
)

// Validation modes (FIDELITY.md "Validation beyond counts").
const (
	// CheckHash: the column's canonical text enters the row fingerprint.
	CheckHash = "hash"
	// CheckAggregate: floats are compared by count, exact min/max and NaN
	// count; PG and SF are the numeric value expressions.
	CheckAggregate = "aggregate"
	// CheckCount: semi-structured and spatial values are compared by their
	// non-NULL count only (their text forms differ between the systems).
	CheckCount = "count"
)

// Validation says how one column is compared after the load. In hash mode
// PG and SF are expressions producing the same canonical text on both
// sides (NULL stays NULL).
type Validation struct {
	Mode string `json:"mode"`
	PG   string `json:"pg"`
	SF   string `json:"sf"`
}

func validation(s source, col, target string, tgt sftype.Type, extract string) Validation {
	c, q := PGIdent(col), sfQuote(target)
	switch tgt.Name {
	case "VARCHAR":
		pg := extract
		switch {
		case s.class == cBpchar && s.t.Length != nil:
			// text casts trim char(n); the loaded value is padded.
			pg = fmt.Sprintf("rpad(%s::text, %d)", c, *s.t.Length)
		case extract == c && s.class == cText:
			pg = c + "::text"
		case extract == c:
			// COPY prints the output function's text; a cast to text may
			// differ (inet::text adds /32), format's %s does not, but it
			// turns NULL into ''.
			pg = fmt.Sprintf("CASE WHEN %[1]s IS NOT NULL THEN format('%%s', %[1]s) END", c)
		}
		return Validation{CheckHash, pg, q}
	case "NUMBER":
		v := c
		if s.class == cMoney {
			v = c + "::numeric"
		}
		if s.isInteger() {
			return Validation{CheckHash, v + "::text", "TO_VARCHAR(" + q + ")"}
		}
		// Snowflake prints NUMBER(p,s) with exactly s decimals. round()
		// pads to that scale; a value with more decimals is printed as is,
		// so rounding in the load shows up as a mismatch.
		return Validation{CheckHash, fmt.Sprintf("CASE WHEN scale(%[1]s) <= %[2]d THEN round(%[1]s, %[2]d)::text ELSE %[1]s::text END", v, tgt.Scale), "TO_VARCHAR(" + q + ")"}
	case "BOOLEAN":
		return Validation{CheckHash, fmt.Sprintf("CASE WHEN %s THEN '1' ELSE '0' END", c), fmt.Sprintf("IFF(%s, '1', '0')", q)}
	case "BINARY":
		return Validation{CheckHash, fmt.Sprintf("encode(%s, 'hex')", c), fmt.Sprintf("HEX_ENCODE(%s, 0)", q)}
	case "DATE":
		v := c
		if s.class != cDate {
			v += "::date"
		}
		return Validation{CheckHash, fmt.Sprintf("to_char(%s, 'YYYY-MM-DD')", v), fmt.Sprintf("TO_CHAR(%s, 'YYYY-MM-DD')", q)}
	case "TIME":
		v := c
		if s.class == cTimeTZ {
			v += "::time"
		}
		return Validation{CheckHash, fmt.Sprintf("to_char(%s, '%s')", v, pgTimeFormat), fmt.Sprintf("TO_CHAR(%s, '%s')", q, sfTimeFormat)}
	case "TIMESTAMP_NTZ", "TIMESTAMP_TZ", "TIMESTAMP_LTZ":
		v := c
		if s.class == cDate {
			v += "::timestamp"
		}
		sf := q
		if tgt.Name != "TIMESTAMP_NTZ" {
			sf = fmt.Sprintf("CONVERT_TIMEZONE('UTC', %s)", q)
		}
		return Validation{CheckHash, fmt.Sprintf("to_char(%s, '%s')", v, pgTimestampFormat), fmt.Sprintf("TO_CHAR(%s, '%s')", sf, sfTimestampFormat)}
	case "FLOAT":
		return Validation{CheckAggregate, c + "::float8", q}
	}
	return Validation{CheckCount, c, q}
}

func sfQuote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// FingerprintPG is the PostgreSQL expression of a row's fingerprint over
// the hash-mode columns: the first 60 bits of the MD5 of the canonical row
// string, as a bigint. Sum it per chunk.
func (t *Table) FingerprintPG() string {
	var parts []string
	for _, d := range t.Columns {
		if d.Check.Mode != CheckHash {
			continue
		}
		v := "(" + d.Check.PG + ")"
		parts = append(parts, fmt.Sprintf("CASE WHEN %s IS NULL THEN 'N' ELSE 'V' || length(%s) || ':' || %s END", PGIdent(d.Column), v, v))
	}
	if len(parts) == 0 {
		return "0"
	}
	return fmt.Sprintf("('x' || substr(md5(%s), 1, 15))::bit(60)::bigint", strings.Join(parts, " || "))
}

// FingerprintSF is the Snowflake counterpart of FingerprintPG.
func (t *Table) FingerprintSF() string {
	var parts []string
	for _, d := range t.Columns {
		if d.Check.Mode != CheckHash {
			continue
		}
		v := "(" + d.Check.SF + ")"
		parts = append(parts, fmt.Sprintf("IFF(%s IS NULL, 'N', 'V' || LENGTH(%s) || ':' || %s)", sfQuote(d.Target), v, v))
	}
	if len(parts) == 0 {
		return "0"
	}
	return fmt.Sprintf("TO_NUMBER(SUBSTR(MD5(%s), 1, 15), 'XXXXXXXXXXXXXXX')", strings.Join(parts, " || "))
}
