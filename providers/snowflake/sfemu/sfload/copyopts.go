package sfload

import (
	"fmt"
	"strconv"
	"strings"
)

// OnError is the ON_ERROR copy option.
type OnError struct {
	Mode    string // ABORT_STATEMENT | CONTINUE | SKIP_FILE
	Limit   int64  // SKIP_FILE_n / SKIP_FILE_n%: skip when errors reach n (n% of rows); 0 = at the first error
	Percent bool
}

// String renders the option as Snowflake spells it.
func (o OnError) String() string {
	switch {
	case o.Mode != "SKIP_FILE" || o.Limit == 0:
		return o.Mode
	case o.Percent:
		return "SKIP_FILE_" + strconv.FormatInt(o.Limit, 10) + "%"
	}
	return "SKIP_FILE_" + strconv.FormatInt(o.Limit, 10)
}

// CopyOptions is everything after `COPY INTO t [(cols)] FROM @stage[/path]`.
type CopyOptions struct {
	Files             []string
	Pattern           string
	FileFormat        *FileFormat // inline FILE_FORMAT = ( … ) (TYPE defaults to CSV)
	FormatName        string      // FILE_FORMAT = ( FORMAT_NAME = 'x' ): the core resolves it
	MatchByColumnName string      // NONE | CASE_SENSITIVE | CASE_INSENSITIVE
	OnError           OnError     // default ABORT_STATEMENT
	Force, Purge      bool
	ValidationMode    string // "" | RETURN_ERRORS | RETURN_n_ROWS | RETURN_ALL_ERRORS
	SizeLimit         int64
	ReturnFailedOnly  bool
	// TruncateColumns (TRUNCATECOLUMNS = TRUE, or ENFORCE_LENGTH = FALSE):
	// strings longer than the column are truncated instead of rejected.
	// The zero value is Snowflake's default (reject).
	TruncateColumns    bool
	LoadUncertainFiles bool

	// Set by the core, not parsed: the target table's name as Snowflake
	// prints it in first_error_column_name ("T"["C":2]), and the session
	// TIMEZONE for TIMESTAMP_LTZ/TZ values without an offset.
	TableName string
	TimeZone  string
	// Transform is the parsed SELECT list of COPY INTO t FROM (SELECT …),
	// one item per target column (ParseTransform); nil for a plain COPY.
	Transform []Item
}

// ValidationRows returns n for VALIDATION_MODE = RETURN_n_ROWS, else 0.
func (o CopyOptions) ValidationRows() int64 {
	m := o.ValidationMode
	if len(m) > len("RETURN__ROWS") && strings.HasPrefix(m, "RETURN_") && strings.HasSuffix(m, "_ROWS") {
		n, _ := strconv.ParseInt(m[len("RETURN_"):len(m)-len("_ROWS")], 10, 64)
		return n
	}
	return 0
}

// ParseCopyOptions parses the copy options of COPY INTO <table>
// (https://docs.snowflake.com/en/sql-reference/sql/copy-into-table).
func ParseCopyOptions(text string) (CopyOptions, error) {
	o := CopyOptions{OnError: OnError{Mode: "ABORT_STATEMENT"}, MatchByColumnName: "NONE"}
	toks, err := lex(text)
	if err != nil {
		return o, err
	}
	p := &parser{toks: toks}
	seen := map[string]bool{}
	for p.more() {
		if p.peek().kind == ',' {
			p.next()
			continue
		}
		k := p.next()
		if k.kind != 'i' {
			return o, syntaxErr(fmt.Sprintf("unexpected '%s'", k.text))
		}
		if seen[k.text] {
			return o, propErr("duplicate option '%s'", k.text)
		}
		seen[k.text] = true
		if err := p.expect('='); err != nil {
			return o, err
		}
		if err := o.set(p, k.text); err != nil {
			return o, err
		}
	}
	return o, nil
}

func (o *CopyOptions) set(p *parser, key string) error {
	bad := func(v string) error { return propErr("invalid value ['%s'] for parameter '%s'", v, key) }
	boolean := func(dst *bool) error {
		t, err := p.value(key)
		if err != nil {
			return err
		}
		switch t.text {
		case "TRUE":
			*dst = true
		case "FALSE":
			*dst = false
		default:
			return bad(t.written())
		}
		return nil
	}
	switch key {
	case "FILES":
		vals, err := p.list(key)
		if err != nil {
			return err
		}
		o.Files = vals
	case "PATTERN":
		t, err := p.value(key)
		if err != nil || t.kind != 's' {
			return bad(t.written())
		}
		o.Pattern = t.text
	case "FILE_FORMAT":
		return o.parseFileFormat(p)
	case "ON_ERROR":
		t, err := p.value(key)
		if err != nil {
			return err
		}
		oe, ok := parseOnError(strings.ToUpper(t.text))
		if !ok {
			return bad(t.written())
		}
		o.OnError = oe
	case "MATCH_BY_COLUMN_NAME":
		t, err := p.value(key)
		if err != nil {
			return err
		}
		switch v := strings.ToUpper(t.text); v {
		case "CASE_SENSITIVE", "CASE_INSENSITIVE", "NONE":
			o.MatchByColumnName = v
		default:
			return bad(t.written())
		}
	case "VALIDATION_MODE":
		t, err := p.value(key)
		if err != nil {
			return err
		}
		v := strings.ToUpper(t.text)
		o.ValidationMode = v
		if v != "RETURN_ERRORS" && v != "RETURN_ALL_ERRORS" && o.ValidationRows() <= 0 {
			return bad(t.written())
		}
	case "SIZE_LIMIT":
		t, err := p.value(key)
		if err != nil {
			return err
		}
		n, perr := strconv.ParseInt(t.text, 10, 64)
		if perr != nil || n < 0 {
			return bad(t.written())
		}
		o.SizeLimit = n
	case "FORCE":
		return boolean(&o.Force)
	case "PURGE":
		return boolean(&o.Purge)
	case "RETURN_FAILED_ONLY":
		return boolean(&o.ReturnFailedOnly)
	case "ENFORCE_LENGTH":
		var e bool
		if err := boolean(&e); err != nil {
			return err
		}
		o.TruncateColumns = !e
	case "TRUNCATECOLUMNS":
		return boolean(&o.TruncateColumns)
	case "LOAD_UNCERTAIN_FILES":
		return boolean(&o.LoadUncertainFiles)
	default:
		return propErr("invalid property '%s' for 'COPY INTO'", key)
	}
	return nil
}

// parseFileFormat reads ( FORMAT_NAME = name ) or ( TYPE = … options ).
func (o *CopyOptions) parseFileFormat(p *parser) error {
	if err := p.expect('('); err != nil {
		return err
	}
	if p.peek().kind == 'i' && p.peek().text == "FORMAT_NAME" {
		p.next()
		if err := p.expect('='); err != nil {
			return err
		}
		t, err := p.value("FORMAT_NAME")
		if err != nil {
			return err
		}
		o.FormatName = t.text
		if t.kind == 'i' {
			o.FormatName = t.raw // the core folds identifiers itself
		}
		if p.peek().kind != ')' {
			return propErr("FORMAT_NAME and TYPE are mutually exclusive in FILE_FORMAT")
		}
		p.next()
		return nil
	}
	ff, err := parseFormatOptions(p, DefaultFileFormat("CSV"), true)
	if err != nil {
		return err
	}
	if err := p.expect(')'); err != nil {
		return err
	}
	o.FileFormat = &ff
	return nil
}

// parseOnError reads CONTINUE | SKIP_FILE | SKIP_FILE_<n> | SKIP_FILE_<n>% | ABORT_STATEMENT.
func parseOnError(v string) (OnError, bool) {
	switch v {
	case "CONTINUE", "SKIP_FILE", "ABORT_STATEMENT":
		return OnError{Mode: v}, true
	}
	rest, ok := strings.CutPrefix(v, "SKIP_FILE_")
	if !ok {
		return OnError{}, false
	}
	pct := strings.HasSuffix(rest, "%")
	n, err := strconv.ParseInt(strings.TrimSuffix(rest, "%"), 10, 64)
	if err != nil || n < 1 || pct && n > 100 {
		return OnError{}, false
	}
	return OnError{Mode: "SKIP_FILE", Limit: n, Percent: pct}, true
}
