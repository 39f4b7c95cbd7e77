package sfload

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

var fuzzFormats = []string{
	"",
	pgsnowFormat,
	`FIELD_OPTIONALLY_ENCLOSED_BY='"' ESCAPE='\\' TRIM_SPACE=TRUE SKIP_BLANK_LINES=TRUE ERROR_ON_COLUMN_COUNT_MISMATCH=FALSE`,
	`FIELD_DELIMITER='|~' RECORD_DELIMITER=';;' FIELD_OPTIONALLY_ENCLOSED_BY='''' NULL_IF=('', 'NULL') MULTI_LINE=FALSE`,
	`SKIP_HEADER=1 REPLACE_INVALID_CHARACTERS=TRUE EMPTY_FIELD_AS_NULL=FALSE ENCODING='LATIN1'`,
}

// FuzzCSV checks that Convert never panics, that every accepted row is one
// well-formed COPY text line with the table's column count, and that
// rows_loaded + errors_seen = rows_parsed.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{"a,b,1\n", `"a""b",x,2` + "\r\n", `\N,\,,3`, "\"unterminated\n", "x,y\n\n", "é,\xff,1e40\n", "\"a\"b,c,d", "a\\", ";;|~''"} {
		for i := range fuzzFormats {
			f.Add([]byte(s), uint8(i))
		}
	}
	c := []Column{{Name: "A", Type: sftype.MustParse("VARCHAR(5)")}, {Name: "B", Type: sftype.MustParse("VARCHAR")},
		{Name: "N", Type: sftype.MustParse("NUMBER(10,2)"), NotNull: true}}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		ff, err := ParseFileFormatOptions(DefaultFileFormat("CSV"), fuzzFormats[int(which)%len(fuzzFormats)])
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "fuzz.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		opts := CopyOptions{OnError: OnError{Mode: "CONTINUE"}}
		var out bytes.Buffer
		res, err := Convert(context.Background(), path, "fuzz.csv", ff, c, opts, &out)
		if err != nil {
			return // e.g. a broken stream; must not panic
		}
		if res.RowsLoaded+res.ErrorsSeen != res.RowsParsed {
			t.Fatalf("loaded %d + errors %d != parsed %d", res.RowsLoaded, res.ErrorsSeen, res.RowsParsed)
		}
		lines := bytes.Split(out.Bytes(), []byte{'\n'})
		if int64(len(lines)-1) != res.RowsLoaded {
			t.Fatalf("%d lines for %d rows", len(lines)-1, res.RowsLoaded)
		}
		for _, l := range lines[:len(lines)-1] {
			if n := bytes.Count(l, []byte{'\t'}); n != len(c)-1 {
				t.Fatalf("line %q has %d tabs", l, n)
			}
			if bytes.IndexByte(l, '\r') >= 0 {
				t.Fatalf("raw CR in COPY line %q", l)
			}
		}
	})
}
