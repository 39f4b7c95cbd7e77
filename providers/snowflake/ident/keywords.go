package ident

import "strings"

// reserved lists Snowflake's "Reserved & limited keywords"
// (https://docs.snowflake.com/en/sql-reference/reserved-keywords). The
// page's single-letter rows (A, B, C, ...) are alphabet headings, not
// keywords; ASOF and MATCH_CONDITION come from the 2024_01 behaviour
// change bundle. pgsnow always quotes identifiers, so a reserved name still
// works; the list serves the analysis, which warns because such names
// must be quoted in every hand-written query against the target.
var reserved = map[string]string{
	"ACCOUNT":           "cannot be used as an identifier in a SHOW command",
	"ALL":               "reserved by ANSI",
	"ALTER":             "reserved by ANSI",
	"AND":               "reserved by ANSI",
	"ANY":               "reserved by ANSI",
	"AS":                "reserved by ANSI",
	"ASOF":              "restricted in SELECT since the 2024_01 bundle (ASOF JOIN)",
	"BETWEEN":           "reserved by ANSI",
	"BY":                "reserved by ANSI",
	"CASE":              "cannot be used as a column reference in a scalar expression",
	"CAST":              "cannot be used as a column reference in a scalar expression",
	"CHECK":             "reserved by ANSI",
	"COLUMN":            "reserved by ANSI",
	"CONNECT":           "reserved by ANSI",
	"CONNECTION":        "cannot be used as an identifier in a SHOW command",
	"CONSTRAINT":        "cannot be used as a column name in CREATE TABLE DDL",
	"CREATE":            "reserved by ANSI",
	"CROSS":             "cannot be used as a table name or alias in a FROM clause",
	"CURRENT":           "reserved by ANSI",
	"CURRENT_DATE":      "cannot be used as a column name (reserved by ANSI)",
	"CURRENT_TIME":      "cannot be used as a column name (reserved by ANSI)",
	"CURRENT_TIMESTAMP": "cannot be used as a column name (reserved by ANSI)",
	"CURRENT_USER":      "cannot be used as a column name (reserved by ANSI)",
	"DATABASE":          "cannot be used as an identifier in a SHOW command",
	"DELETE":            "reserved by ANSI",
	"DISTINCT":          "reserved by ANSI",
	"DROP":              "reserved by ANSI",
	"ELSE":              "reserved by ANSI",
	"EXISTS":            "reserved by ANSI",
	"FALSE":             "cannot be used as a column reference in a scalar expression",
	"FOLLOWING":         "reserved by ANSI",
	"FOR":               "reserved by ANSI",
	"FROM":              "reserved by ANSI",
	"FULL":              "cannot be used as a table name or alias in a FROM clause",
	"GRANT":             "reserved by ANSI",
	"GROUP":             "reserved by ANSI",
	"GSCLUSTER":         "cannot be used as an identifier in a SHOW command",
	"HAVING":            "reserved by ANSI",
	"ILIKE":             "reserved by Snowflake",
	"IN":                "reserved by ANSI",
	"INCREMENT":         "reserved by Snowflake and others",
	"INNER":             "cannot be used as a table name or alias in a FROM clause",
	"INSERT":            "reserved by ANSI",
	"INTERSECT":         "reserved by ANSI",
	"INTO":              "reserved by ANSI",
	"IS":                "reserved by ANSI",
	"ISSUE":             "cannot be used as an identifier in a SHOW command",
	"JOIN":              "cannot be used as a table name or alias in a FROM clause",
	"LATERAL":           "cannot be used as a table name or alias in a FROM clause",
	"LEFT":              "cannot be used as a table name or alias in a FROM clause",
	"LIKE":              "reserved by ANSI",
	"LOCALTIME":         "cannot be used as a column name (reserved by ANSI)",
	"LOCALTIMESTAMP":    "cannot be used as a column name (reserved by ANSI)",
	"MATCH_CONDITION":   "restricted in SELECT since the 2024_01 bundle (ASOF JOIN)",
	"MINUS":             "reserved by Snowflake and others",
	"NATURAL":           "cannot be used as a table name or alias in a FROM clause",
	"NOT":               "reserved by ANSI",
	"NULL":              "reserved by ANSI",
	"OF":                "reserved by ANSI",
	"ON":                "reserved by ANSI",
	"OR":                "reserved by ANSI",
	"ORDER":             "reserved by ANSI",
	"ORGANIZATION":      "cannot be used as an identifier in a SHOW command",
	"QUALIFY":           "reserved by Snowflake",
	"REGEXP":            "reserved by Snowflake",
	"REVOKE":            "reserved by ANSI",
	"RIGHT":             "cannot be used as a table name or alias in a FROM clause",
	"RLIKE":             "reserved by Snowflake",
	"ROW":               "reserved by ANSI",
	"ROWS":              "reserved by ANSI",
	"SAMPLE":            "reserved by ANSI",
	"SCHEMA":            "cannot be used as an identifier in a SHOW command",
	"SELECT":            "reserved by ANSI",
	"SET":               "reserved by ANSI",
	"SOME":              "reserved by Snowflake",
	"START":             "reserved by ANSI",
	"TABLE":             "reserved by ANSI",
	"TABLESAMPLE":       "reserved by ANSI",
	"THEN":              "reserved by ANSI",
	"TO":                "reserved by ANSI",
	"TRIGGER":           "reserved by ANSI",
	"TRUE":              "cannot be used as a column reference in a scalar expression",
	"TRY_CAST":          "cannot be used as a column reference in a scalar expression",
	"UNION":             "reserved by ANSI",
	"UNIQUE":            "reserved by ANSI",
	"UPDATE":            "reserved by ANSI",
	"USING":             "reserved by ANSI",
	"VALUES":            "reserved by ANSI",
	"VIEW":              "cannot be used as an identifier in a SHOW command",
	"WHEN":              "cannot be used as a column reference in a scalar expression",
	"WHENEVER":          "reserved by ANSI",
	"WHERE":             "reserved by ANSI",
	"WINDOW":            "reserved by ANSI",
	"WITH":              "reserved by ANSI",
}

// IsReserved reports whether name, compared case-insensitively as
// Snowflake resolves an unquoted word, is a reserved or limited keyword.
func IsReserved(name string) bool {
	_, ok := reserved[strings.ToUpper(name)]
	return ok
}

// ReservedReason returns Snowflake's limitation for a reserved keyword,
// or "" when name is not one.
func ReservedReason(name string) string { return reserved[strings.ToUpper(name)] }

// Keywords returns the reserved and limited keywords, sorted.
func Keywords() []string {
	out := make([]string, 0, len(reserved))
	for k := range reserved {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}
