package sfload

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// Column is one target column of the load, in COPY column order.
type Column struct {
	Name    string
	Type    sftype.Type
	NotNull bool
}

// FileResult is one row of COPY INTO's result, named like Snowflake's
// documented output columns.
type FileResult struct {
	File   string
	Status string // LOADED | LOAD_FAILED | PARTIALLY_LOADED

	RowsParsed, RowsLoaded, ErrorLimit, ErrorsSeen int64

	FirstError           string
	FirstErrorLine       int64
	FirstErrorCharacter  int64
	FirstErrorColumnName string

	Errors []RowError // VALIDATION_MODE = RETURN_ERRORS / RETURN_ALL_ERRORS (capped at MaxValidationErrors)
}

// MaxValidationErrors caps FileResult.Errors per file.
const MaxValidationErrors = 10000

// RowError is one row of VALIDATION_MODE = RETURN_ERRORS output
// (ERROR, FILE, LINE, CHARACTER, BYTE_OFFSET, CATEGORY, CODE, SQL_STATE,
// COLUMN_NAME, ROW_NUMBER, ROW_START_LINE, REJECTED_RECORD).
type RowError struct {
	Error          string
	File           string
	Line           int64
	Character      int64
	ByteOffset     int64
	Row            int64 // ROW_NUMBER: the record number in the file (1-based, header excluded)
	RowStartLine   int64
	Category       string // parsing | conversion
	Code           int
	SQLState       string
	ColumnName     string
	RejectedRecord string
}

// LoadError aborts a COPY INTO statement (ON_ERROR = ABORT_STATEMENT, a
// failing VALIDATION_MODE = RETURN_n_ROWS, or a file that cannot be read).
type LoadError struct {
	Result   FileResult
	Code     int
	SQLState string
	Message  string

	fileLevel bool // the file cannot be read: under CONTINUE/SKIP_FILE only this file fails
}

func (e *LoadError) Error() string { return e.Message }

// Convert reads one staged file (decompressing per ff.Compression: AUTO
// detects gzip/zstd by magic bytes, NONE, GZIP, ZSTD, BZ2, DEFLATE,
// RAW_DEFLATE) and writes one PostgreSQL COPY text-format line per
// accepted row to dst, columns in cols order (\N for NULL). path is the file
// on disk; name is the name reported in results.
//
// ON_ERROR=ABORT_STATEMENT: the first bad row returns a *LoadError carrying
// the FileResult. CONTINUE skips bad rows (PARTIALLY_LOADED). SKIP_FILE*:
// when the file is skipped its Status is LOAD_FAILED and RowsLoaded is 0,
// but rows may already have been written to dst: the core must discard what
// was written for a file whose Status is LOAD_FAILED (e.g. via a savepoint).
// VALIDATION_MODE = RETURN_ERRORS / RETURN_ALL_ERRORS writes nothing and
// collects every error in Errors; RETURN_n_ROWS writes the first n rows and
// fails at the first error.
func Convert(ctx context.Context, path, name string, ff FileFormat, cols []Column, opts CopyOptions, dst io.Writer) (FileResult, error) {
	res := FileResult{File: name}
	f, err := os.Open(path)
	if err != nil {
		return failed(res, &LoadError{Code: 100999, SQLState: "58030", Message: fmt.Sprintf("Remote file '%s' was not found. There are several potential causes. The file might not exist. The required credentials may be missing or invalid. (%v)", name, err)})
	}
	defer f.Close()
	l := newLoader(&ff, cols, &opts, &res, dst)
	if strings.EqualFold(ff.Type, "PARQUET") {
		err = l.parquet(ctx, f)
	} else {
		var src io.Reader
		var closeFn func()
		src, closeFn, err = decompress(f, ff.Compression, name)
		if err == nil {
			defer closeFn()
			err = l.csv(ctx, src)
		}
	}
	if err != nil {
		if le, ok := err.(*LoadError); ok {
			if le.fileLevel && opts.OnError.Mode != "ABORT_STATEMENT" && opts.OnError.Mode != "" && opts.ValidationRows() == 0 {
				// An unreadable file (bad compression, broken Parquet) fails
				// only this file when ON_ERROR tolerates errors.
				l.skipped = true
				r := l.finish()
				r.ErrorsSeen++
				if r.ErrorsSeen == 1 {
					r.FirstError = le.Message
				}
				return r, nil
			}
			le.Result = l.finish()
			le.Result.Status = "LOAD_FAILED"
			le.Result.RowsLoaded = 0
			if le.Result.ErrorsSeen == 0 {
				le.Result.ErrorsSeen, le.Result.FirstError = 1, le.Message
			}
			return le.Result, le
		}
		return l.finish(), err
	}
	if err := l.out.Flush(); err != nil {
		return l.finish(), err
	}
	return l.finish(), nil
}

func failed(res FileResult, le *LoadError) (FileResult, error) {
	res.Status, res.ErrorsSeen, res.FirstError, res.ErrorLimit = "LOAD_FAILED", 1, le.Message, 1
	le.Result = res
	return res, le
}

// loader holds the per-file state shared by the CSV and Parquet paths.
type loader struct {
	ff      *FileFormat
	cols    []Column
	opts    *CopyOptions
	res     *FileResult
	out     *bufio.Writer
	co      sftype.CoerceOptions
	nullIf  [][]byte
	row     []byte
	val     []byte
	collect bool  // RETURN_ERRORS / RETURN_ALL_ERRORS
	maxRows int64 // RETURN_n_ROWS
	skipped bool  // SKIP_FILE limit reached
}

func newLoader(ff *FileFormat, cols []Column, opts *CopyOptions, res *FileResult, dst io.Writer) *loader {
	l := &loader{ff: ff, cols: cols, opts: opts, res: res, out: bufio.NewWriterSize(dst, 256<<10),
		co: sftype.CoerceOptions{DateFormat: ff.DateFormat, TimeFormat: ff.TimeFormat, TimestampFormat: ff.TimestampFormat,
			BinaryFormat: ff.BinaryFormat, TimeZone: opts.TimeZone},
		collect: opts.ValidationMode == "RETURN_ERRORS" || opts.ValidationMode == "RETURN_ALL_ERRORS",
		maxRows: opts.ValidationRows(),
	}
	for _, n := range ff.NullIf {
		l.nullIf = append(l.nullIf, []byte(n))
	}
	if l.collect {
		l.out.Reset(io.Discard)
	}
	return l
}

// rowErr is one rejected row before positions are attached.
type rowErr struct {
	msg      string
	code     int
	state    string
	category string
	col      int // 0-based index into cols, or -1
}

func (l *loader) colName(i int) string {
	if i < 0 || i >= len(l.cols) {
		return ""
	}
	c := fmt.Sprintf("[%s:%d]", quoteIdent(l.cols[i].Name), i+1)
	if l.opts.TableName != "" {
		return quoteIdent(l.opts.TableName) + c
	}
	return c
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// reject records one bad row and decides whether loading goes on. It
// returns a *LoadError when the statement must abort.
func (l *loader) reject(e rowErr, re RowError) error {
	r := l.res
	r.ErrorsSeen++
	re.Error, re.File, re.Category, re.Code, re.SQLState = e.msg, r.File, e.category, e.code, e.state
	re.ColumnName = l.colName(e.col)
	re.Row = r.RowsParsed
	if r.ErrorsSeen == 1 {
		r.FirstError, r.FirstErrorLine, r.FirstErrorCharacter, r.FirstErrorColumnName = e.msg, re.Line, re.Character, re.ColumnName
	}
	if l.collect {
		if len(r.Errors) < MaxValidationErrors {
			r.Errors = append(r.Errors, re)
		}
		return nil
	}
	if l.maxRows > 0 || l.opts.OnError.Mode == "ABORT_STATEMENT" || l.opts.OnError.Mode == "" {
		msg := fmt.Sprintf("%s\n  File '%s', line %d, character %d\n  Row %d", e.msg, r.File, re.Line, re.Character, re.Row)
		if re.ColumnName != "" {
			msg += ", column " + re.ColumnName
		}
		msg += "\n  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client."
		return &LoadError{Code: e.code, SQLState: e.state, Message: msg}
	}
	if o := l.opts.OnError; o.Mode == "SKIP_FILE" && !o.Percent && r.ErrorsSeen >= max(o.Limit, 1) {
		l.skipped = true
	}
	return nil
}

// finish computes the status and error limit of the result.
func (l *loader) finish() FileResult {
	r := l.res
	o := l.opts.OnError
	switch {
	case o.Mode == "CONTINUE":
		r.ErrorLimit = r.RowsParsed
	case o.Mode == "SKIP_FILE" && o.Percent:
		r.ErrorLimit = o.Limit * r.RowsParsed / 100
		// "Skip a file when the percentage of error rows found in the file exceeds the specified percentage."
		if r.ErrorsSeen*100 > o.Limit*r.RowsParsed {
			l.skipped = true
		}
	case o.Mode == "SKIP_FILE":
		r.ErrorLimit = max(o.Limit, 1)
	default:
		r.ErrorLimit = 1
	}
	switch {
	case l.skipped:
		r.Status, r.RowsLoaded = "LOAD_FAILED", 0
	case r.ErrorsSeen == 0:
		r.Status = "LOADED"
	case r.RowsLoaded == 0:
		r.Status = "LOAD_FAILED"
	default:
		r.Status = "PARTIALLY_LOADED"
	}
	if l.collect {
		r.RowsLoaded = 0
	}
	return *r
}
