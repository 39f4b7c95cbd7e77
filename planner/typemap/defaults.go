package typemap

import (
	"regexp"
	"strings"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

var (
	reNumber  = regexp.MustCompile(`^\(?(-?[0-9]+(\.[0-9]+)?)\)?$`)
	reCast    = regexp.MustCompile(`^'((?:[^']|'')*)'::([a-z ]+(\([0-9, ]+\))?)$`)
	reNextval = regexp.MustCompile(`^nextval\('((?:[^']|'')*)'::regclass\)$`)
)

// nowFuncs are PostgreSQL defaults meaning "the current instant".
var nowFuncs = map[string]bool{
	"now()": true, "CURRENT_TIMESTAMP": true, "transaction_timestamp()": true,
	"statement_timestamp()": true, "clock_timestamp()": true,
}

// translateDefault turns a PostgreSQL default into a Snowflake one, or
// returns ok=false when it is not safe (the caller reports it dropped).
// seq resolves a nextval argument to the target sequence's quoted name.
func translateDefault(expr string, tgt sftype.Type, seq func(string) (string, bool)) (string, bool) {
	e := strings.TrimSpace(expr)
	semi := tgt.Name == "VARIANT" || tgt.Name == "OBJECT" || tgt.Name == "ARRAY" || tgt.Name == "GEOMETRY" || tgt.Name == "GEOGRAPHY"
	switch {
	case e == "":
		return "", true
	case semi:
		return "", false
	case nowFuncs[e]:
		if strings.HasPrefix(tgt.Name, "TIMESTAMP") {
			return "CURRENT_TIMESTAMP()", true
		}
		return "", false
	case e == "CURRENT_DATE":
		if tgt.Name == "DATE" {
			return "CURRENT_DATE()", true
		}
		return "", false
	case e == "gen_random_uuid()" || e == "uuid_generate_v4()":
		if tgt.Name == "VARCHAR" {
			return "UUID_STRING()", true
		}
		return "", false
	case e == "true" || e == "false":
		if tgt.Name == "BOOLEAN" {
			return strings.ToUpper(e), true
		}
		return "", false
	case strings.HasPrefix(e, "NULL::") || e == "NULL":
		return "", true // same as no default
	}
	if m := reNextval.FindStringSubmatch(e); m != nil {
		if q, ok := seq(strings.ReplaceAll(m[1], "''", "'")); ok && tgt.Name == "NUMBER" {
			return q + ".NEXTVAL", true
		}
		return "", false
	}
	if m := reNumber.FindStringSubmatch(e); m != nil {
		if tgt.Name == "NUMBER" || tgt.Name == "FLOAT" {
			return m[1], true
		}
		return "", false
	}
	if m := reCast.FindStringSubmatch(e); m != nil {
		val := strings.ReplaceAll(m[1], "''", "'")
		switch {
		case tgt.Name == "VARCHAR":
			return sfString(val), true
		case (tgt.Name == "NUMBER" || tgt.Name == "FLOAT") && reNumber.MatchString(val):
			return val, true
		case tgt.Name == "DATE" && regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`).MatchString(val):
			return sfString(val), true
		}
	}
	return "", false
}

// sfString is a Snowflake string literal: backslash is an escape character
// in Snowflake literals, so it is doubled along with single quotes.
func sfString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// sequenceName parses a regclass text ("s", "public.s", "\"Odd\".s")
// into its parts; an unqualified name is looked up in the table's schema.
func sequenceName(text, schema string) catalog.QualifiedName {
	parts := splitQualified(text)
	if len(parts) == 2 {
		return catalog.QualifiedName{Schema: parts[0], Name: parts[1]}
	}
	return catalog.QualifiedName{Schema: schema, Name: parts[len(parts)-1]}
}

// splitQualified splits a PostgreSQL dotted name, honouring double quotes
// and folding unquoted parts to lower case.
func splitQualified(s string) []string {
	var parts []string
	var b strings.Builder
	quoted, wasQuoted := false, false
	flush := func() {
		p := b.String()
		if !wasQuoted {
			p = strings.ToLower(p)
		}
		parts = append(parts, p)
		b.Reset()
		wasQuoted = false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case quoted && ch == '"' && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case ch == '"':
			quoted = !quoted
			wasQuoted = true
		case ch == '.' && !quoted:
			flush()
		default:
			b.WriteByte(ch)
		}
	}
	flush()
	return parts
}
