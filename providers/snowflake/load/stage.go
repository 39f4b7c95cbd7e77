package load

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
)

// Stage is pgsnow's internal named stage, as a qualified quoted identifier
// ("ANALYTICS"."PGSNOW"."PGSNOW_STAGE").
type Stage string

var quotedName = regexp.MustCompile(`^"(?:[^"]|"")+"(?:\."(?:[^"]|"")+"){0,2}$`)

func (s Stage) check() error {
	if !quotedName.MatchString(string(s)) || strings.ContainsAny(string(s), "/'@\n") {
		return fmt.Errorf("stage name %s must be a quoted identifier such as \"DB\".\"SCHEMA\".\"STAGE\" without / ' @", s)
	}
	return nil
}

// Ref is the stage location of prefix ("@stage/prefix"), unquoted: prefixes
// are built by Prefix from a safe alphabet, so no quoting is needed.
func (s Stage) Ref(prefix string) string {
	if prefix == "" {
		return "@" + string(s)
	}
	return "@" + string(s) + "/" + strings.Trim(prefix, "/")
}

// Ensure creates the stage when it is missing. No file format is attached:
// every COPY INTO names its options inline.
func (s Stage) Ensure(ctx context.Context, db *sql.DB) error {
	if err := s.check(); err != nil {
		return err
	}
	q := "CREATE STAGE IF NOT EXISTS " + string(s)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return &Error{Op: "CREATE STAGE", Err: err, Transient: Transient(ctx, err)}
	}
	return nil
}

var unsafePath = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// Prefix is the stage path of one table's files in one run:
// "<run>/<schema>.<table>". Characters outside [A-Za-z0-9_.-] become "_",
// so the path needs no quoting in PUT, COPY and REMOVE; callers that could
// map two tables to one prefix must keep the run's table names distinct
// (file names from the extractor already carry schema and table).
func Prefix(runID, schema, table string) string {
	clean := func(s string) string {
		s = unsafePath.ReplaceAllString(s, "_")
		if s == "" || s == "." || s == ".." {
			s = "_"
		}
		return s
	}
	return clean(runID) + "/" + clean(schema) + "." + clean(table)
}

// Remove deletes staged files below prefix (a whole table's prefix, or
// prefix/name for one file) and returns how many were removed. REMOVE is
// idempotent: removing what is gone removes nothing.
func (s Stage) Remove(ctx context.Context, db *sql.DB, prefix string) (int, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	rows, err := db.QueryContext(ctx, "REMOVE "+s.Ref(prefix))
	if err != nil {
		return 0, &Error{Op: "REMOVE", File: prefix, Err: err, Transient: Transient(ctx, err)}
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return n, &Error{Op: "REMOVE", File: prefix, Err: err, Transient: Transient(ctx, err)}
	}
	return n, nil
}

// RemoveFile deletes exactly prefix/name. REMOVE @stage/path alone matches
// every file whose path starts with path (a.csv would take a.csv.bak
// along), so the file is pinned with an anchored PATTERN.
func (s Stage) RemoveFile(ctx context.Context, db *sql.DB, prefix, name string) (int, error) {
	if err := s.check(); err != nil {
		return 0, err
	}
	if err := checkFileName(name); err != nil {
		return 0, err
	}
	// The name is [A-Za-z0-9_.-]: only '.' needs escaping, and the
	// backslash is doubled for the string literal.
	pattern := ".*/" + strings.ReplaceAll(name, ".", `\\.`)
	file := strings.Trim(prefix, "/") + "/" + name
	rows, err := db.QueryContext(ctx, "REMOVE "+s.Ref(file)+" PATTERN = '"+pattern+"'")
	if err != nil {
		return 0, &Error{Op: "REMOVE", File: file, Err: err, Transient: Transient(ctx, err)}
	}
	recs, err := scanByName(rows)
	if err != nil {
		return 0, &Error{Op: "REMOVE", File: file, Err: err, Transient: Transient(ctx, err)}
	}
	return len(recs), nil
}

func checkFileName(name string) error {
	if name == "" || unsafePath.MatchString(name) || strings.HasPrefix(name, ".") {
		return fmt.Errorf("file name %q must use only [A-Za-z0-9_.-] and not start with a dot", name)
	}
	return nil
}
