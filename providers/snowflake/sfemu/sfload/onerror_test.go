package sfload

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"os"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// badRows has 5 records; rows 2 and 4 fail conversion.
const badRows = "1,a\nx,b\n3,c\n4,toolong\n5,e\n"

func numVarchar() []Column {
	return []Column{{Name: "N", Type: sftype.MustParse("NUMBER(38,0)"), NotNull: true}, {Name: "S", Type: sftype.MustParse("VARCHAR(3)")}}
}

func TestOnError(t *testing.T) {
	type summary struct {
		Out                                            string
		Status                                         string
		RowsParsed, RowsLoaded, ErrorLimit, ErrorsSeen int64
		FirstError                                     string
		Line, Char                                     int64
		Column                                         string
	}
	first := "Numeric value 'x' is not recognized"
	tests := []struct {
		opts string
		want summary
	}{
		{"ON_ERROR = CONTINUE", summary{"1\ta\n3\tc\n5\te\n", "PARTIALLY_LOADED", 5, 3, 5, 2, first, 2, 1, `"T"["N":1]`}},
		{"ON_ERROR = SKIP_FILE", summary{"1\ta\n", "LOAD_FAILED", 2, 0, 1, 1, first, 2, 1, `"T"["N":1]`}},
		{"ON_ERROR = SKIP_FILE_2", summary{"1\ta\n3\tc\n", "LOAD_FAILED", 4, 0, 2, 2, first, 2, 1, `"T"["N":1]`}},
		{"ON_ERROR = SKIP_FILE_3", summary{"1\ta\n3\tc\n5\te\n", "PARTIALLY_LOADED", 5, 3, 3, 2, first, 2, 1, `"T"["N":1]`}},
		{"ON_ERROR = 'SKIP_FILE_40%'", summary{"1\ta\n3\tc\n5\te\n", "PARTIALLY_LOADED", 5, 3, 2, 2, first, 2, 1, `"T"["N":1]`}},
		{"ON_ERROR = 'SKIP_FILE_39%'", summary{"1\ta\n3\tc\n5\te\n", "LOAD_FAILED", 5, 0, 1, 2, first, 2, 1, `"T"["N":1]`}},
	}
	for _, tt := range tests {
		out, res, err := load(t, []byte(badRows), "f.csv", "", tt.opts, numVarchar())
		if err != nil {
			t.Errorf("%s: %v", tt.opts, err)
			continue
		}
		got := summary{out, res.Status, res.RowsParsed, res.RowsLoaded, res.ErrorLimit, res.ErrorsSeen, res.FirstError,
			res.FirstErrorLine, res.FirstErrorCharacter, res.FirstErrorColumnName}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.opts, diff)
		}
	}
}

func TestAbortStatement(t *testing.T) {
	_, res, err := load(t, []byte(badRows), "f.csv", "", "", numVarchar())
	var le *LoadError
	if !errors.As(err, &le) {
		t.Fatalf("want *LoadError, got %v", err)
	}
	want := "Numeric value 'x' is not recognized\n  File 'f.csv', line 2, character 1\n  Row 2, column \"T\"[\"N\":1]\n" +
		"  If you would like to continue loading when an error is encountered, use other values such as 'SKIP_FILE' or 'CONTINUE' for the ON_ERROR option. For more information on loading options, please run 'info loading_data' in a SQL client."
	if diff := cmp.Diff(want, le.Message); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	if le.Code != sftype.CodeNumericNotRecognized || le.SQLState != "22018" {
		t.Errorf("code %d state %s", le.Code, le.SQLState)
	}
	if res.Status != "LOAD_FAILED" || res.RowsLoaded != 0 || res.ErrorsSeen != 1 || le.Result.FirstErrorLine != 2 {
		t.Errorf("result %+v", res)
	}
}

func TestConversionErrors(t *testing.T) {
	c := numVarchar()
	runCSV(t, pgsnowFormat, c, []csvCase{
		{name: "NOT NULL", in: ",a\n", errs: 1, first: "NULL result in a non-nullable column", line: 1, char: 1, column: `"T"["N":1]`},
		{name: "varchar length", in: "1,abcd\n", errs: 1, first: "User character length limit (3) exceeded by string 'abcd'", line: 1, char: 3, column: `"T"["S":2]`},
		{name: "number out of range", in: "1e40,a\n", errs: 1, first: "Numeric value '1e40' is out of range", line: 1, char: 1, column: `"T"["N":1]`},
		{name: "empty quoted number", in: `"",a` + "\n", errs: 1, first: "Numeric value '' is not recognized", line: 1, char: 1, column: `"T"["N":1]`},
		{name: "multibyte fits", in: "1,ééé\n", out: "1\tééé\n"},
	})
	out, _, err := load(t, []byte("1,abcdef\n"), "f.csv", pgsnowFormat, "TRUNCATECOLUMNS = TRUE", c)
	if err != nil || out != "1\tabc\n" {
		t.Errorf("TRUNCATECOLUMNS: %q %v", out, err)
	}
}

func TestValidationMode(t *testing.T) {
	out, res, err := load(t, []byte(badRows), "f.csv", "", "VALIDATION_MODE = RETURN_ERRORS", numVarchar())
	if err != nil {
		t.Fatal(err)
	}
	if out != "" || res.RowsLoaded != 0 || res.ErrorsSeen != 2 {
		t.Errorf("out %q result %+v", out, res)
	}
	want := []RowError{
		{Error: "Numeric value 'x' is not recognized", File: "f.csv", Line: 2, Character: 1, ByteOffset: 4, Row: 2, RowStartLine: 2,
			Category: "conversion", Code: sftype.CodeNumericNotRecognized, SQLState: "22018", ColumnName: `"T"["N":1]`, RejectedRecord: "x,b"},
		{Error: "User character length limit (3) exceeded by string 'toolong'", File: "f.csv", Line: 4, Character: 3, ByteOffset: 14, Row: 4, RowStartLine: 4,
			Category: "conversion", Code: sftype.CodeStringTooLong, SQLState: "22000", ColumnName: `"T"["S":2]`, RejectedRecord: "4,toolong"},
	}
	if diff := cmp.Diff(want, res.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	out, _, err = load(t, []byte(badRows), "f.csv", "", "VALIDATION_MODE = RETURN_1_ROWS", numVarchar())
	if err != nil || out != "1\ta\n" {
		t.Errorf("RETURN_1_ROWS: %q %v", out, err)
	}
	_, _, err = load(t, []byte(badRows), "f.csv", "", "VALIDATION_MODE = RETURN_3_ROWS ON_ERROR = CONTINUE", numVarchar())
	var le *LoadError
	if !errors.As(err, &le) {
		t.Errorf("RETURN_3_ROWS must fail at the first error, got %v", err)
	}
}

func TestCompression(t *testing.T) {
	plain := []byte("1,a\n2,b\n")
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write(plain)
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(plain)
	zw.Close()
	var zl, fl bytes.Buffer
	zlw := zlib.NewWriter(&zl)
	zlw.Write(plain)
	zlw.Close()
	flw, _ := flate.NewWriter(&fl, flate.BestSpeed)
	flw.Write(plain)
	flw.Close()
	var br bytes.Buffer
	bw := brotli.NewWriter(&br)
	bw.Write(plain)
	bw.Close()
	tests := []struct {
		name, file, format string
		data               []byte
		want               string
		err                string
	}{
		{"none auto", "f.csv", "", plain, "1\ta\n2\tb\n", ""},
		{"gzip auto", "f.csv.gz", "", gz.Bytes(), "1\ta\n2\tb\n", ""},
		{"zstd auto", "f.csv.zst", "", zs.Bytes(), "1\ta\n2\tb\n", ""},
		{"gzip explicit", "f", "COMPRESSION = GZIP", gz.Bytes(), "1\ta\n2\tb\n", ""},
		{"zstd explicit", "f", "COMPRESSION = ZSTD", zs.Bytes(), "1\ta\n2\tb\n", ""},
		{"brotli explicit", "f.br", "COMPRESSION = BROTLI", br.Bytes(), "1\ta\n2\tb\n", ""},
		{"deflate explicit", "f", "COMPRESSION = DEFLATE", zl.Bytes(), "1\ta\n2\tb\n", ""},
		{"deflate auto by name", "f.csv.deflate", "", zl.Bytes(), "1\ta\n2\tb\n", ""},
		{"raw deflate explicit", "f", "COMPRESSION = RAW_DEFLATE", fl.Bytes(), "1\ta\n2\tb\n", ""},
		{"none explicit on gzip data", "f", "COMPRESSION = NONE", gz.Bytes(), "", "is not recognized"},
		{"gzip explicit on plain data", "f", "COMPRESSION = GZIP", plain, "", "Invalid data encountered during decompression for file: 'f',compression type used: 'GZIP'"},
		{"truncated zstd", "f", "COMPRESSION = ZSTD", zs.Bytes()[:len(zs.Bytes())-3], "", "Invalid data encountered during decompression for file: 'f',compression type used: 'ZSTD'"},
	}
	for _, tt := range tests {
		out, _, err := load(t, tt.data, tt.file, tt.format, "", numVarchar())
		switch {
		case tt.err != "":
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.err)) {
				t.Errorf("%s: want error containing %q, got %v", tt.name, tt.err, err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case out != tt.want:
			t.Errorf("%s: got %q", tt.name, out)
		}
	}
}

func TestMatchByColumnNameCSV(t *testing.T) {
	c := cols("ID", "NUMBER(10,0)", "Name", "VARCHAR", "MISSING", "VARCHAR")
	in := "name,Extra,id\nann,x,1\n"
	out, _, err := load(t, []byte(in), "f.csv", "PARSE_HEADER = TRUE", "MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE", c)
	if err != nil || out != "1\tann\t\\N\n" {
		t.Errorf("CASE_INSENSITIVE: %q %v", out, err)
	}
	out, _, err = load(t, []byte(in), "f.csv", "PARSE_HEADER = TRUE", "MATCH_BY_COLUMN_NAME = CASE_SENSITIVE", c)
	if err != nil || out != "\\N\t\\N\t\\N\n" {
		t.Errorf("CASE_SENSITIVE: %q %v", out, err)
	}
	if _, _, err = load(t, []byte(in), "f.csv", "", "MATCH_BY_COLUMN_NAME = CASE_SENSITIVE", c); err == nil {
		t.Error("MATCH_BY_COLUMN_NAME without PARSE_HEADER must fail")
	}
}

func TestMissingFile(t *testing.T) {
	ff := DefaultFileFormat("CSV")
	_, err := Convert(t.Context(), "/nonexistent/x.csv", "x.csv", ff, numVarchar(), CopyOptions{OnError: OnError{Mode: "ABORT_STATEMENT"}}, os.Stdout)
	var le *LoadError
	if !errors.As(err, &le) || le.Result.Status != "LOAD_FAILED" {
		t.Errorf("got %v", err)
	}
}

func TestUnreadableFileUnderContinue(t *testing.T) {
	var zs bytes.Buffer
	zw, _ := zstd.NewWriter(&zs)
	zw.Write([]byte("1,a\n"))
	zw.Close()
	data := zs.Bytes()[:zs.Len()-3]
	out, res, err := load(t, data, "f.csv.zst", "", "ON_ERROR = CONTINUE", numVarchar())
	if err != nil {
		t.Fatalf("CONTINUE must report the file, not fail the statement: %v", err)
	}
	if out != "" || res.Status != "LOAD_FAILED" || res.ErrorsSeen != 1 || res.RowsLoaded != 0 {
		t.Errorf("out %q result %+v", out, res)
	}
	if _, _, err := load(t, data, "f.csv.zst", "", "", numVarchar()); err == nil {
		t.Error("ABORT_STATEMENT must fail the statement")
	}
}
