package sfload

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// records parses everything r yields and renders each record with its
// status, fields and positions, so two reads of the same bytes can be compared.
func records(t *testing.T, src io.Reader, ff *FileFormat) []string {
	t.Helper()
	cr := newCSVReader(src, ff)
	cr.buf = make([]byte, 16) // tiny buffer: every record crosses refills and growth
	var out []string
	for {
		st, n, err := cr.next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		line, char := cr.position(cr.pos)
		rec := fmt.Sprintf("st=%d at=%d:%d", st, line, char)
		if st == recParseErr {
			el, ec := cr.position(cr.perrAt)
			rec += fmt.Sprintf(" err=%q at %d:%d", cr.perr, el, ec)
		}
		for i := range cr.fields {
			f := &cr.fields[i]
			rec += fmt.Sprintf(" [%q raw=%q enc=%v]", cr.value(f), cr.raw(f), f.enclosed)
		}
		out = append(out, rec)
		cr.consume(n)
	}
}

// TestReaderBoundaries checks that parsing does not depend on how the input
// is chunked: one byte at a time must give the same records as one read.
func TestReaderBoundaries(t *testing.T) {
	inputs := []string{
		"a,b\nc,d\n", "a,b\r\nc,d\r\n", "\"a\"\"b\",\"c\r\nd\"\r\n", `a\,b,c\\` + "\n" + `d\` + "\ne", "\n\n,\n",
		"\"unterminated,x\ny\n", "\"a\"b,c\nd,e\n", "x|~y;;z|~w;;", strings.Repeat("long field ", 20) + ",\"" + strings.Repeat("q\"\"", 10) + "\"\n",
		"é,ü\r\n\"ß\nx\",y", "a,\"b\" ,c\n", "\\", "\"", "\r", "a\r", "a\rb\n",
	}
	formats := []string{"", pgsnowFormat, `FIELD_OPTIONALLY_ENCLOSED_BY='"' ESCAPE='\\' TRIM_SPACE=TRUE`,
		`FIELD_DELIMITER='|~' RECORD_DELIMITER=';;' FIELD_OPTIONALLY_ENCLOSED_BY='"'`, `FIELD_OPTIONALLY_ENCLOSED_BY='"' MULTI_LINE=FALSE`}
	for _, f := range formats {
		ff, err := ParseFileFormatOptions(DefaultFileFormat("CSV"), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range inputs {
			whole := records(t, bytes.NewReader([]byte(in)), &ff)
			bytewise := records(t, iotest.OneByteReader(bytes.NewReader([]byte(in))), &ff)
			if diff := cmp.Diff(whole, bytewise); diff != "" {
				t.Errorf("format %q input %q (-whole +bytewise):\n%s", f, in, diff)
			}
		}
	}
}
