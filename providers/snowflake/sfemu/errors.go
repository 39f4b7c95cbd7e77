package sfemu

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// sfError is an error as Snowflake reports it: a six-digit code, an SQLSTATE
// and a message. Codes and texts follow what Snowflake returns for the same
// situations (see docs/emulator.md for the list).
type sfError struct {
	Code     string
	SQLState string
	Message  string
}

func (e *sfError) Error() string { return e.Code + " (" + e.SQLState + "): " + e.Message }

func newErr(code, state, format string, args ...any) *sfError {
	return &sfError{Code: code, SQLState: state, Message: fmt.Sprintf(format, args...)}
}

// compileErr is a generic "SQL compilation error" at a byte position.
func compileErr(pos int, msg string) *sfError {
	return newErr("001003", "42000", "SQL compilation error:\nsyntax error line 1 at position %d %s.", pos, msg)
}

func syntaxErr(t token) *sfError {
	if t.kind == tEOF {
		return newErr("001003", "42000", "SQL compilation error:\nsyntax error line 1 at position %d unexpected '<EOF>'.", t.pos)
	}
	return newErr("001003", "42000", "SQL compilation error:\nsyntax error line 1 at position %d unexpected '%s'.", t.pos, t.text)
}

func notExist(kind, name string) *sfError {
	if kind == "" {
		kind = "Object"
	}
	return newErr("002003", "02000", "SQL compilation error:\n%s '%s' does not exist or not authorized.", kind, name)
}

func alreadyExists(name string) *sfError {
	return newErr("002002", "42710", "SQL compilation error:\nObject '%s' already exists.", name)
}

func unsupported(what string) *sfError {
	return newErr("002029", "0A000", "SQL compilation error:\nUnsupported feature '%s' (not implemented by the Snowflake emulator).", what)
}

func noCurrentDB() *sfError {
	return newErr("090105", "22000", "Cannot perform operation. This session does not have a current database. Call 'USE DATABASE', or use a qualified name.")
}

func noCurrentSchema() *sfError {
	return newErr("090106", "22000", "Cannot perform operation. This session does not have a current schema. Call 'USE SCHEMA', or use a qualified name.")
}

var (
	rePGRelation = regexp.MustCompile(`relation "(?:[^"]*\.)?([^"]+)" does not exist`)
	rePGColumn   = regexp.MustCompile(`column "?([^" ]+)"? (?:of relation "[^"]*" )?does not exist`)
	rePGFunc     = regexp.MustCompile(`function ([a-zA-Z_0-9.]+)\(`)
	rePGValue    = regexp.MustCompile(`: "(.*)"$`)
)

// fromPG maps a PostgreSQL error to the error Snowflake raises for the same
// condition, so clients see Snowflake's codes rather than PostgreSQL's.
func fromPG(err error) error {
	var se *sfError
	if errors.As(err, &se) {
		return se
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	val := ""
	if m := rePGValue.FindStringSubmatch(pe.Message); m != nil {
		val = m[1]
	}
	switch pe.Code {
	case "42P01":
		name := pe.Message
		if m := rePGRelation.FindStringSubmatch(pe.Message); m != nil {
			name = m[1]
		}
		return notExist("Object", name)
	case "3F000":
		return notExist("Schema", pe.Message)
	case "42703":
		name := pe.Message
		if m := rePGColumn.FindStringSubmatch(pe.Message); m != nil {
			name = m[1]
		}
		return newErr("000904", "42000", "SQL compilation error: error line 1 at position %d\ninvalid identifier '%s'", pe.Position, name)
	case "42883":
		name := pe.Message
		if m := rePGFunc.FindStringSubmatch(pe.Message); m != nil {
			name = strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(m[1], "sfemu_fn."), "sf_unknown_"))
		}
		if strings.Contains(pe.Message, "operator") {
			return newErr("002010", "22000", "SQL compilation error:\n%s", pe.Message)
		}
		return newErr("002140", "42601", "SQL compilation error:\nUnknown function %s", name)
	case "42601":
		return newErr("001003", "42000", "SQL compilation error:\nsyntax error line 1 at position %d: %s", pe.Position, pe.Message)
	case "23502":
		return newErr("100072", "22000", "NULL result in a non-nullable column")
	case "22003":
		if val != "" {
			return newErr("100039", "22003", "Numeric value '%s' is out of range", val)
		}
		return newErr("100039", "22003", "Numeric value out of range")
	case "23514":
		if strings.HasPrefix(pe.ConstraintName, "sfemu_len_") {
			return newErr("100078", "22000", "String is too long and would be truncated (column %s)", strings.TrimPrefix(pe.ConstraintName, "sfemu_len_"))
		}
		return newErr("100069", "23000", "%s", pe.Message)
	case "22001":
		return newErr("100078", "22000", "String is too long and would be truncated")
	case "22P02":
		if strings.Contains(pe.Message, "boolean") {
			return newErr("100037", "22018", "Boolean value '%s' is not recognized", val)
		}
		if strings.Contains(pe.Message, "json") {
			return newErr("100069", "22P02", "Error parsing JSON: %s", pe.Message)
		}
		return newErr("100038", "22018", "Numeric value '%s' is not recognized", val)
	case "22007", "22008":
		return newErr("100040", "22007", "Date '%s' is not recognized", val)
	case "22012":
		return newErr("100051", "22012", "Division by zero")
	case "42P07", "42710":
		return alreadyExists(val)
	case "SF003": // raised by sfemu_fn.sf_dropped_sequence with Snowflake's text
		return newErr("002003", "02000", "%s", pe.Message)
	case "25P02":
		return newErr("000603", "XX000", "SQL execution internal error: transaction aborted")
	case "42804", "42846":
		return newErr("002023", "22000", "SQL compilation error:\n%s", pe.Message)
	}
	return newErr("000603", "XX000", "SQL execution internal error:\n%s (backing PostgreSQL %s)", pe.Message, pe.Code)
}
