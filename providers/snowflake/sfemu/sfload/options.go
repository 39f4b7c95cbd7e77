package sfload

import "errors"

var errNotImplemented = errors.New("sfload: not implemented yet")

// ParseFileFormatOptions applies option text (the inside of FILE_FORMAT = ( … ),
// or the tail of CREATE FILE FORMAT name …) on top of base. Unknown options
// and bad values give Snowflake-like errors.
func ParseFileFormatOptions(base FileFormat, text string) (FileFormat, error) {
	return base, errNotImplemented
}

// OnError is the ON_ERROR copy option.
type OnError struct {
	Mode    string // ABORT_STATEMENT | CONTINUE | SKIP_FILE
	Limit   int64  // SKIP_FILE_n: skip the file when errors ≥ n (0 = at the first error)
	Percent bool   // SKIP_FILE_n%: Limit is a percentage of rows parsed
}

// String renders the option as Snowflake spells it.
func (o OnError) String() string {
	switch {
	case o.Mode != "SKIP_FILE" || o.Limit == 0:
		return o.Mode
	case o.Percent:
		return "SKIP_FILE_" + itoa(o.Limit) + "%"
	}
	return "SKIP_FILE_" + itoa(o.Limit)
}

// CopyOptions is everything after `COPY INTO t [(cols)] FROM @stage[/path]`.
type CopyOptions struct {
	Files              []string
	Pattern            string
	FileFormat         *FileFormat // inline FILE_FORMAT = ( … ) (TYPE defaults to CSV)
	FormatName         string      // FILE_FORMAT = ( FORMAT_NAME = 'x' ): the core resolves it
	MatchByColumnName  string      // NONE | CASE_SENSITIVE | CASE_INSENSITIVE
	OnError            OnError     // default ABORT_STATEMENT
	Force, Purge       bool
	ValidationMode     string // "" | RETURN_ERRORS | RETURN_n_ROWS | RETURN_ALL_ERRORS
	SizeLimit          int64
	ReturnFailedOnly   bool
	EnforceLength      bool // default TRUE; TRUNCATECOLUMNS = !EnforceLength
	LoadUncertainFiles bool
}

// ParseCopyOptions parses the copy options of COPY INTO <table>.
func ParseCopyOptions(text string) (CopyOptions, error) {
	return CopyOptions{}, errNotImplemented
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
