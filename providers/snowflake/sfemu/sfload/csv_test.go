package sfload

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// pgsnowFormat is the file format FIDELITY.md prescribes for pgsnow's own loads.
const pgsnowFormat = `TYPE=CSV FIELD_OPTIONALLY_ENCLOSED_BY='"' ESCAPE=NONE ESCAPE_UNENCLOSED_FIELD=NONE NULL_IF=()
	EMPTY_FIELD_AS_NULL=TRUE ERROR_ON_COLUMN_COUNT_MISMATCH=TRUE BINARY_FORMAT=HEX ENCODING=UTF8
	REPLACE_INVALID_CHARACTERS=FALSE TRIM_SPACE=FALSE COMPRESSION=AUTO`

func cols(specs ...string) []Column {
	var out []Column
	for i := 0; i+1 < len(specs); i += 2 {
		out = append(out, Column{Name: specs[i], Type: sftype.MustParse(specs[i+1])})
	}
	return out
}

// load writes content to a temp file and runs Convert.
func load(t *testing.T, content []byte, fileName, format, copyOpts string, c []Column) (string, FileResult, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, fileName)
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
	ff, err := ParseFileFormatOptions(DefaultFileFormat("CSV"), format)
	if err != nil {
		t.Fatalf("format %q: %v", format, err)
	}
	opts, err := ParseCopyOptions(copyOpts)
	if err != nil {
		t.Fatalf("copy options %q: %v", copyOpts, err)
	}
	opts.TableName = "T"
	var out bytes.Buffer
	res, err := Convert(context.Background(), path, fileName, ff, c, opts, &out)
	return out.String(), res, err
}

type csvCase struct {
	name, in string
	out      string // PostgreSQL COPY text of the loaded rows
	errs     int64
	first    string // first error message ("" when none)
	line     int64
	char     int64
	column   string
}

func runCSV(t *testing.T, format string, c []Column, cases []csvCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, res, err := load(t, []byte(tc.in), "f.csv", format, "ON_ERROR=CONTINUE", c)
			if err != nil {
				t.Fatalf("Convert: %v", err)
			}
			if diff := cmp.Diff(tc.out, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			got := []any{res.ErrorsSeen, res.FirstError}
			want := []any{tc.errs, tc.first}
			if tc.first != "" {
				got = append(got, res.FirstErrorLine, res.FirstErrorCharacter, res.FirstErrorColumnName)
				want = append(want, tc.line, tc.char, tc.column)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

const mismatch2 = "Number of columns in file (%d) does not match that of the corresponding table (2), use file format option error_on_column_count_mismatch=false to ignore this error"

func TestCSVDefaultOptions(t *testing.T) {
	c := cols("A", "VARCHAR", "B", "VARCHAR")
	runCSV(t, "", c, []csvCase{
		{name: "plain", in: "a,b\nc,d\n", out: "a\tb\nc\td\n"},
		{name: "no final newline", in: "a,b", out: "a\tb\n"},
		{name: "CRLF", in: "a,b\r\nc,d\r\n", out: "a\tb\nc\td\n"},
		{name: "lone CR is data", in: "a\rx,b\n", out: "a\\rx\tb\n"},
		{name: "empty field is NULL", in: ",b\na,\n", out: "\\N\tb\na\t\\N\n"},
		{name: "quotes are data without FIELD_OPTIONALLY_ENCLOSED_BY", in: `"",b` + "\n", out: "\"\"\tb\n"},
		{name: "embedded quote", in: `a"b,c` + "\n", out: "a\"b\tc\n"},
		{name: `\N is NULL`, in: `\N,b` + "\n", out: "\\N\tb\n"},
		{name: `escaped backslash`, in: `a\\,b` + "\n", out: "a\\\\\tb\n"},
		{name: `escaped delimiter`, in: `a\,x,b` + "\n", out: "a,x\tb\n"},
		{name: `escape sequences`, in: `a\tb\nc,\q` + "\n", out: "a\\tb\\nc\tq\n"},
		{name: "value ending in a backslash swallows the delimiter", in: `a\,b` + "\n", errs: 1,
			first: sprintf(mismatch2, 1), line: 1, char: 1, column: `"T"["B":2]`},
		{name: "value ending in a backslash swallows the newline", in: "a,b\\\nc,d\n", errs: 1,
			first: sprintf(mismatch2, 3), line: 2, char: 3, column: `"T"["B":2]`},
		{name: "too many columns", in: "a,b,c\nd,e\n", out: "d\te\n", errs: 1,
			first: sprintf(mismatch2, 3), line: 1, char: 5, column: `"T"["B":2]`},
		{name: "blank line is an error", in: "a,b\n\nc,d\n", out: "a\tb\nc\td\n", errs: 1,
			first: `End of record reached while expected to parse column '"T"["A":1]'`, line: 2, char: 1, column: `"T"["A":1]`},
		{name: "blank CRLF line is an error", in: "a,b\r\n\r\n", out: "a\tb\n", errs: 1,
			first: `End of record reached while expected to parse column '"T"["A":1]'`, line: 2, char: 1, column: `"T"["A":1]`},
		{name: "BOM skipped", in: "\xEF\xBB\xBFa,b\n", out: "a\tb\n"},
		{name: "multibyte position", in: "éé,b,c\n", errs: 1, first: sprintf(mismatch2, 3), line: 1, char: 6, column: `"T"["B":2]`},
	})
}

func TestCSVPgsnowOptions(t *testing.T) {
	c := cols("A", "VARCHAR", "B", "VARCHAR")
	runCSV(t, pgsnowFormat, c, []csvCase{
		{name: "quoted empty is empty string", in: `"",x` + "\n", out: "\tx\n"},
		{name: "unquoted empty is NULL", in: ",x\n", out: "\\N\tx\n"},
		{name: `\N is text`, in: `\N,x` + "\n", out: "\\\\N\tx\n"},
		{name: "value ending in a backslash", in: `abc\,x` + "\n" + `"d\",y` + "\n", out: "abc\\\\\tx\nd\\\\\ty\n"},
		{name: "doubled quotes", in: `"a""b",x` + "\n", out: "a\"b\tx\n"},
		{name: "embedded comma and CRLF", in: "\"a,b\r\nc\",x\r\n", out: "a,b\\r\\nc\tx\n"},
		{name: "embedded LF keeps line count", in: "\"a\nb\",x\n\"q\"z,y\n", out: "a\\nb\tx\n", errs: 1,
			first: "Found character 'z' instead of field delimiter ','", line: 3, char: 4, column: `"T"["A":1]`},
		{name: "quote inside unenclosed field", in: `a"b,x` + "\n", out: "a\"b\tx\n"},
		{name: "space before quote makes it data", in: ` "a",x` + "\n", out: " \"a\"\tx\n"},
		{name: "unterminated quote", in: "a,x\n\"abc,y\n", out: "a\tx\n", errs: 1,
			first: `End of file reached while expecting the closing enclosing character '"'`, line: 2, char: 1, column: `"T"["A":1]`},
		{name: "quoted NULL-looking text", in: `"NULL","\N"` + "\n", out: "NULL\t\\\\N\n"},
		{name: "tab and backslash escaped for COPY", in: "\"a\tb\\\",x\n", out: "a\\tb\\\\\tx\n"},
		{name: "invalid UTF-8 rejected", in: "\xff,x\n", errs: 1, first: "Invalid UTF8 detected in string '\xff'", line: 1, char: 1, column: `"T"["A":1]`},
	})
}

func TestCSVOptions(t *testing.T) {
	c := cols("A", "VARCHAR", "B", "VARCHAR")
	t.Run("ESCAPE in enclosed fields", func(t *testing.T) {
		runCSV(t, `FIELD_OPTIONALLY_ENCLOSED_BY='"' ESCAPE='\\'`, c, []csvCase{
			{name: "escaped quote", in: `"a\"b",x` + "\n", out: "a\"b\tx\n"},
			{name: "escape applies unenclosed too", in: `a\,b,x` + "\n", out: "a,b\tx\n"},
		})
	})
	t.Run("NULL_IF list and EMPTY_FIELD_AS_NULL=FALSE", func(t *testing.T) {
		runCSV(t, `FIELD_OPTIONALLY_ENCLOSED_BY='"' NULL_IF=('NULL','') EMPTY_FIELD_AS_NULL=FALSE`, c, []csvCase{
			{name: "matches", in: "NULL,\n\"\",x\n", out: "\\N\t\\N\n\\N\tx\n"},
		})
		runCSV(t, `EMPTY_FIELD_AS_NULL=FALSE NULL_IF=()`, c, []csvCase{
			{name: "empty string", in: ",x\n", out: "\tx\n"},
		})
	})
	t.Run("TRIM_SPACE", func(t *testing.T) {
		runCSV(t, `FIELD_OPTIONALLY_ENCLOSED_BY='"' TRIM_SPACE=TRUE`, c, []csvCase{
			{name: "around quotes", in: ` "a b" , c ` + "\n", out: "a b\tc\n"},
		})
	})
	t.Run("ERROR_ON_COLUMN_COUNT_MISMATCH=FALSE", func(t *testing.T) {
		runCSV(t, `ERROR_ON_COLUMN_COUNT_MISMATCH=FALSE`, c, []csvCase{
			{name: "extra and missing", in: "a,b,c\nd\n", out: "a\tb\nd\t\\N\n"},
		})
	})
	t.Run("SKIP_HEADER and SKIP_BLANK_LINES", func(t *testing.T) {
		runCSV(t, `SKIP_HEADER=2 SKIP_BLANK_LINES=TRUE`, c, []csvCase{
			{name: "skips lines", in: "h1\n\"x,y\n\na,b\n\r\nc,d", out: "a\tb\nc\td\n"},
		})
	})
	t.Run("custom delimiters", func(t *testing.T) {
		runCSV(t, `FIELD_DELIMITER='|~' RECORD_DELIMITER=';'`, c, []csvCase{
			{name: "multi-byte", in: "a|b|~c;d|~e\n;", out: "a|b\tc\nd\te\\n\n"},
		})
		runCSV(t, `FIELD_DELIMITER='\t' RECORD_DELIMITER='0x1E'`, c, []csvCase{
			{name: "tab and hex", in: "a\tb\x1ec\td", out: "a\tb\nc\td\n"},
		})
	})
	t.Run("REPLACE_INVALID_CHARACTERS", func(t *testing.T) {
		runCSV(t, `REPLACE_INVALID_CHARACTERS=TRUE`, c, []csvCase{
			{name: "replaced", in: "a\xffb,x\n", out: "a\uFFFDb\tx\n"},
		})
	})
	t.Run("ENCODING latin1", func(t *testing.T) {
		runCSV(t, `ENCODING='ISO-8859-1'`, c, []csvCase{
			{name: "decoded", in: "caf\xe9,x\n", out: "café\tx\n"},
		})
	})
	t.Run("MULTI_LINE=FALSE", func(t *testing.T) {
		runCSV(t, `FIELD_OPTIONALLY_ENCLOSED_BY='"' MULTI_LINE=FALSE`, c, []csvCase{
			{name: "newline in quotes", in: "\"a\nb\",x\nc,d\n", out: "b\"\tx\nc\td\n", errs: 1,
				first: "Newline found inside an enclosed field while MULTI_LINE = FALSE", line: 1, char: 3, column: `"T"["A":1]`},
		})
	})
}
