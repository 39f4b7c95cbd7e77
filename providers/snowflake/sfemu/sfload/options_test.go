package sfload

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultFileFormat(t *testing.T) {
	ff := DefaultFileFormat("")
	want := FileFormat{Type: "CSV", Compression: "AUTO", RecordDelimiter: "\n", FieldDelimiter: ",", MultiLine: true,
		DateFormat: "AUTO", TimeFormat: "AUTO", TimestampFormat: "AUTO", BinaryFormat: "HEX", EscapeUnenclosedField: `\`,
		NullIf: []string{`\N`}, ErrorOnColumnCountMismatch: true, EmptyFieldAsNull: true, SkipByteOrderMark: true,
		Encoding: "UTF8", BinaryAsText: true, UseLogicalType: true}
	if diff := cmp.Diff(want, ff); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestParseFileFormatOptions(t *testing.T) {
	base := DefaultFileFormat("CSV")
	mod := func(f func(*FileFormat)) FileFormat { ff := DefaultFileFormat("CSV"); f(&ff); return ff }
	tests := []struct {
		in   string
		want FileFormat
	}{
		{"", base},
		{"TYPE = CSV", base},
		{"type=csv, compression=gzip", mod(func(f *FileFormat) { f.Compression = "GZIP" })},
		{"COMPRESSION = ZSTD", mod(func(f *FileFormat) { f.Compression = "ZSTD" })},
		{"COMPRESSION = NONE", mod(func(f *FileFormat) { f.Compression = "NONE" })},
		{`RECORD_DELIMITER = '\r\n' FIELD_DELIMITER = '|'`, mod(func(f *FileFormat) { f.RecordDelimiter, f.FieldDelimiter = "\r\n", "|" })},
		{`FIELD_DELIMITER = '\t'`, mod(func(f *FileFormat) { f.FieldDelimiter = "\t" })},
		{`FIELD_DELIMITER = '\001'`, mod(func(f *FileFormat) { f.FieldDelimiter = "\x01" })},
		{`FIELD_DELIMITER = '0x1F'`, mod(func(f *FileFormat) { f.FieldDelimiter = "\x1f" })},
		{`FIELD_DELIMITER = NONE`, mod(func(f *FileFormat) { f.FieldDelimiter = "" })},
		{`RECORD_DELIMITER = NONE`, mod(func(f *FileFormat) { f.RecordDelimiter = "" })},
		{"MULTI_LINE = FALSE", mod(func(f *FileFormat) { f.MultiLine = false })},
		{"FILE_EXTENSION = '.csv'", mod(func(f *FileFormat) { f.FileExtension = ".csv" })},
		{"PARSE_HEADER = TRUE", mod(func(f *FileFormat) { f.ParseHeader = true })},
		{"SKIP_HEADER = 1", mod(func(f *FileFormat) { f.SkipHeader = 1 })},
		{"SKIP_BLANK_LINES = TRUE", mod(func(f *FileFormat) { f.SkipBlankLines = true })},
		{"DATE_FORMAT = 'YYYY-MM-DD' TIME_FORMAT = 'HH24:MI:SS' TIMESTAMP_FORMAT = AUTO", mod(func(f *FileFormat) { f.DateFormat, f.TimeFormat = "YYYY-MM-DD", "HH24:MI:SS" })},
		{"BINARY_FORMAT = base64", mod(func(f *FileFormat) { f.BinaryFormat = "BASE64" })},
		{"BINARY_FORMAT = UTF8", mod(func(f *FileFormat) { f.BinaryFormat = "UTF8" })},
		{`ESCAPE = '\\'`, mod(func(f *FileFormat) { f.Escape = `\` })},
		{"ESCAPE = NONE ESCAPE_UNENCLOSED_FIELD = NONE", mod(func(f *FileFormat) { f.EscapeUnenclosedField = "" })},
		{`ESCAPE_UNENCLOSED_FIELD = '\\'`, base},
		{"TRIM_SPACE = TRUE", mod(func(f *FileFormat) { f.TrimSpace = true })},
		{`FIELD_OPTIONALLY_ENCLOSED_BY = '"'`, mod(func(f *FileFormat) { f.FieldOptionallyEnclosedBy = `"` })},
		{`FIELD_OPTIONALLY_ENCLOSED_BY = '\''`, mod(func(f *FileFormat) { f.FieldOptionallyEnclosedBy = `'` })},
		{`FIELD_OPTIONALLY_ENCLOSED_BY = ''''`, mod(func(f *FileFormat) { f.FieldOptionallyEnclosedBy = `'` })},
		{"FIELD_OPTIONALLY_ENCLOSED_BY = NONE", base},
		{"NULL_IF = ()", mod(func(f *FileFormat) { f.NullIf = nil })},
		{"NULL_IF = ('NULL', 'null', '')", mod(func(f *FileFormat) { f.NullIf = []string{"NULL", "null", ""} })},
		{"NULL_IF = 'x'", mod(func(f *FileFormat) { f.NullIf = []string{"x"} })},
		{"ERROR_ON_COLUMN_COUNT_MISMATCH = FALSE", mod(func(f *FileFormat) { f.ErrorOnColumnCountMismatch = false })},
		{"REPLACE_INVALID_CHARACTERS = TRUE", mod(func(f *FileFormat) { f.ReplaceInvalidCharacters = true })},
		{"VALIDATE_UTF8 = FALSE", mod(func(f *FileFormat) { f.ReplaceInvalidCharacters = true })},
		{"EMPTY_FIELD_AS_NULL = FALSE", mod(func(f *FileFormat) { f.EmptyFieldAsNull = false })},
		{"SKIP_BYTE_ORDER_MARK = FALSE", mod(func(f *FileFormat) { f.SkipByteOrderMark = false })},
		{"ENCODING = 'UTF-8'", base},
		{"ENCODING = 'ISO-8859-1'", mod(func(f *FileFormat) { f.Encoding = "ISO88591" })},
		{"COMMENT = 'hi'", mod(func(f *FileFormat) { f.Comment = "hi" })},
		{"-- a comment\nSKIP_HEADER = 1", mod(func(f *FileFormat) { f.SkipHeader = 1 })},
	}
	for _, tt := range tests {
		got, err := ParseFileFormatOptions(base, tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseFileFormatParquet(t *testing.T) {
	got, err := ParseFileFormatOptions(DefaultFileFormat("CSV"), "TYPE = PARQUET COMPRESSION = SNAPPY BINARY_AS_TEXT = FALSE USE_VECTORIZED_SCANNER = TRUE NULL_IF = ()")
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultFileFormat("PARQUET")
	want.Compression, want.BinaryAsText, want.UseVectorizedScanner, want.NullIf = "SNAPPY", false, true, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseFileFormatErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"FOO = 1", "SQL compilation error: invalid property 'FOO' for 'FILE_FORMAT'"},
		{"TYPE = XLSX", "SQL compilation error: invalid value ['XLSX'] for parameter 'TYPE'"},
		{"TYPE = JSON", "SQL compilation error: emulator: file format TYPE = JSON is not supported (only CSV and PARQUET)"},
		{"COMPRESSION = LZ4", "SQL compilation error: invalid value ['LZ4'] for parameter 'COMPRESSION'"},
		{"TYPE = PARQUET COMPRESSION = GZIP", "SQL compilation error: invalid value ['GZIP'] for parameter 'COMPRESSION'"},
		{"TYPE = PARQUET FIELD_DELIMITER = ','", "SQL compilation error: property 'FIELD_DELIMITER' is not valid for file format type PARQUET"},
		{"BINARY_AS_TEXT = TRUE", "SQL compilation error: property 'BINARY_AS_TEXT' is not valid for file format type CSV"},
		{"SKIP_HEADER = -1", "SQL compilation error: invalid value ['-1'] for parameter 'SKIP_HEADER'"},
		{"SKIP_HEADER = x", "SQL compilation error: invalid value ['x'] for parameter 'SKIP_HEADER'"},
		{"TRIM_SPACE = maybe", "SQL compilation error: invalid value ['maybe'] for parameter 'TRIM_SPACE'"},
		{"ESCAPE = 'ab'", "SQL compilation error: invalid value ['ab'] for parameter 'ESCAPE'"},
		{"FIELD_OPTIONALLY_ENCLOSED_BY = '|'", "SQL compilation error: invalid value ['|'] for parameter 'FIELD_OPTIONALLY_ENCLOSED_BY'"},
		{"BINARY_FORMAT = BASE32", "SQL compilation error: invalid value ['BASE32'] for parameter 'BINARY_FORMAT'"},
		{"DATE_FORMAT = ISO", "SQL compilation error: invalid value ['ISO'] for parameter 'DATE_FORMAT'"},
		{"ENCODING = 'EBCDIC'", "SQL compilation error: invalid value ['EBCDIC'] for parameter 'ENCODING'"},
		{"FIELD_DELIMITER = ''", "SQL compilation error: invalid value [''] for parameter 'FIELD_DELIMITER'"},
		{"FIELD_DELIMITER = '\n'", "SQL compilation error: The field delimiter '\n' and the record delimiter '\n' must not be a substring of each other"},
		{"SKIP_HEADER", "SQL compilation error: syntax error: expected '=' near ''"},
		{"SKIP_HEADER =", "SQL compilation error: syntax error: missing value for SKIP_HEADER"},
		{"NULL_IF = ('a'", "SQL compilation error: syntax error: bad list for NULL_IF"},
		{"COMMENT = 'open", "SQL compilation error: syntax error: unterminated string literal"},
		{"SKIP_HEADER = 1 ;", "SQL compilation error: syntax error: unexpected ';'"},
	}
	for _, tt := range tests {
		_, err := ParseFileFormatOptions(DefaultFileFormat("CSV"), tt.in)
		if err == nil {
			t.Errorf("%q: no error", tt.in)
			continue
		}
		if diff := cmp.Diff(tt.msg, err.Error()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseCopyOptions(t *testing.T) {
	def := CopyOptions{OnError: OnError{Mode: "ABORT_STATEMENT"}, MatchByColumnName: "NONE"}
	mod := func(f func(*CopyOptions)) CopyOptions { o := def; f(&o); return o }
	ffPg, _ := ParseFileFormatOptions(DefaultFileFormat("CSV"), pgsnowFormat)
	ffParquet := DefaultFileFormat("PARQUET")
	tests := []struct {
		in   string
		want CopyOptions
	}{
		{"", def},
		{"FILES = ('a.csv.zst', 'b.csv.zst')", mod(func(o *CopyOptions) { o.Files = []string{"a.csv.zst", "b.csv.zst"} })},
		{"PATTERN = '.*[.]csv'", mod(func(o *CopyOptions) { o.Pattern = ".*[.]csv" })},
		{"FILE_FORMAT = (FORMAT_NAME = 'db.s.fmt')", mod(func(o *CopyOptions) { o.FormatName = "db.s.fmt" })},
		{"FILE_FORMAT = (FORMAT_NAME = my_fmt)", mod(func(o *CopyOptions) { o.FormatName = "my_fmt" })},
		{"FILE_FORMAT = (" + pgsnowFormat + ")", mod(func(o *CopyOptions) { o.FileFormat = &ffPg })},
		{"FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE", mod(func(o *CopyOptions) {
			o.FileFormat, o.MatchByColumnName = &ffParquet, "CASE_SENSITIVE"
		})},
		{"MATCH_BY_COLUMN_NAME = case_insensitive", mod(func(o *CopyOptions) { o.MatchByColumnName = "CASE_INSENSITIVE" })},
		{"ON_ERROR = CONTINUE", mod(func(o *CopyOptions) { o.OnError = OnError{Mode: "CONTINUE"} })},
		{"ON_ERROR = 'continue'", mod(func(o *CopyOptions) { o.OnError = OnError{Mode: "CONTINUE"} })},
		{"ON_ERROR = SKIP_FILE", mod(func(o *CopyOptions) { o.OnError = OnError{Mode: "SKIP_FILE"} })},
		{"ON_ERROR = SKIP_FILE_10", mod(func(o *CopyOptions) { o.OnError = OnError{Mode: "SKIP_FILE", Limit: 10} })},
		{"ON_ERROR = 'SKIP_FILE_25%'", mod(func(o *CopyOptions) { o.OnError = OnError{Mode: "SKIP_FILE", Limit: 25, Percent: true} })},
		{"ON_ERROR = ABORT_STATEMENT", def},
		{"FORCE = TRUE PURGE = TRUE", mod(func(o *CopyOptions) { o.Force, o.Purge = true, true })},
		{"VALIDATION_MODE = RETURN_ERRORS", mod(func(o *CopyOptions) { o.ValidationMode = "RETURN_ERRORS" })},
		{"VALIDATION_MODE = RETURN_ALL_ERRORS", mod(func(o *CopyOptions) { o.ValidationMode = "RETURN_ALL_ERRORS" })},
		{"VALIDATION_MODE = RETURN_10_ROWS", mod(func(o *CopyOptions) { o.ValidationMode = "RETURN_10_ROWS" })},
		{"SIZE_LIMIT = 1000 RETURN_FAILED_ONLY = TRUE", mod(func(o *CopyOptions) { o.SizeLimit, o.ReturnFailedOnly = 1000, true })},
		{"TRUNCATECOLUMNS = TRUE", mod(func(o *CopyOptions) { o.TruncateColumns = true })},
		{"ENFORCE_LENGTH = FALSE", mod(func(o *CopyOptions) { o.TruncateColumns = true })},
		{"LOAD_UNCERTAIN_FILES = TRUE", mod(func(o *CopyOptions) { o.LoadUncertainFiles = true })},
	}
	for _, tt := range tests {
		got, err := ParseCopyOptions(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
	if n := mod(func(o *CopyOptions) { o.ValidationMode = "RETURN_10_ROWS" }).ValidationRows(); n != 10 {
		t.Errorf("ValidationRows = %d", n)
	}
	if s := (OnError{Mode: "SKIP_FILE", Limit: 5, Percent: true}).String(); s != "SKIP_FILE_5%" {
		t.Errorf("OnError.String = %q", s)
	}
}

func TestParseCopyOptionsErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{"ON_ERROR = IGNORE", "SQL compilation error: invalid value ['IGNORE'] for parameter 'ON_ERROR'"},
		{"ON_ERROR = SKIP_FILE_0", "SQL compilation error: invalid value ['SKIP_FILE_0'] for parameter 'ON_ERROR'"},
		{"ON_ERROR = 'SKIP_FILE_101%'", "SQL compilation error: invalid value ['SKIP_FILE_101%'] for parameter 'ON_ERROR'"},
		{"VALIDATION_MODE = RETURN_ROWS", "SQL compilation error: invalid value ['RETURN_ROWS'] for parameter 'VALIDATION_MODE'"},
		{"VALIDATION_MODE = RETURN_0_ROWS", "SQL compilation error: invalid value ['RETURN_0_ROWS'] for parameter 'VALIDATION_MODE'"},
		{"MATCH_BY_COLUMN_NAME = YES", "SQL compilation error: invalid value ['YES'] for parameter 'MATCH_BY_COLUMN_NAME'"},
		{"FORCE = 1", "SQL compilation error: invalid value ['1'] for parameter 'FORCE'"},
		{"FORCE = TRUE FORCE = FALSE", "SQL compilation error: duplicate option 'FORCE'"},
		{"BOGUS = TRUE", "SQL compilation error: invalid property 'BOGUS' for 'COPY INTO'"},
		{"FILE_FORMAT = (FORMAT_NAME = 'x' TYPE = CSV)", "SQL compilation error: FORMAT_NAME and TYPE are mutually exclusive in FILE_FORMAT"},
		{"FILE_FORMAT = (TYPE = CSV FOO = 1)", "SQL compilation error: invalid property 'FOO' for 'FILE_FORMAT'"},
		{"FILE_FORMAT = (TYPE = CSV", "SQL compilation error: syntax error: expected ')' near ''"},
		{"FILE_FORMAT = CSV", "SQL compilation error: syntax error: expected '(' near 'CSV'"},
		{"PATTERN = abc", "SQL compilation error: invalid value ['abc'] for parameter 'PATTERN'"},
		{"SIZE_LIMIT = -5", "SQL compilation error: invalid value ['-5'] for parameter 'SIZE_LIMIT'"},
	}
	for _, tt := range tests {
		_, err := ParseCopyOptions(tt.in)
		if err == nil {
			t.Errorf("%q: no error", tt.in)
			continue
		}
		if diff := cmp.Diff(tt.msg, err.Error()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
}
