package lang

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// expectation is one "# ERROR: text" or "# WARNING: text" comment.
type expectation struct {
	line     int
	severity hcl.DiagnosticSeverity
	text     string
	hit      bool
}

var expectRe = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*(.+?)\s*(?:$|#\s*(?:ERROR|WARNING):)`)

// expectations reads the comments of an invalid case. A comment that is
// alone on its line applies to the line before it.
func expectations(src []byte) []*expectation {
	var out []*expectation
	for i, line := range strings.Split(string(src), "\n") {
		first := true
		for rest, off := line, 0; ; first = false {
			m := expectRe.FindStringSubmatchIndex(rest)
			if m == nil {
				break
			}
			n := i + 1
			if first && strings.TrimSpace(line[:off+m[0]]) == "" {
				n = i
			}
			sev := hcl.DiagError
			if rest[m[2]:m[3]] == "WARNING" {
				sev = hcl.DiagWarning
			}
			out = append(out, &expectation{line: n, severity: sev, text: rest[m[4]:m[5]]})
			next := m[5] // continue at the next marker, if any
			off += next
			rest = rest[next:]
		}
	}
	return out
}

func TestInvalid(t *testing.T) {
	cases, err := filepath.Glob("testdata/invalid/*" + FileSuffix)
	if err != nil || len(cases) < 20 {
		t.Fatalf("want at least 20 invalid cases, have %d (%v)", len(cases), err)
	}
	for _, path := range cases {
		t.Run(strings.TrimSuffix(filepath.Base(path), FileSuffix), func(t *testing.T) {
			setTestEnv(t)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := expectations(src)
			if len(want) == 0 {
				t.Fatal("case has no # ERROR: comment")
			}
			_, files, diags := Parse(map[string][]byte{path: src})
			var buf bytes.Buffer
			if err := files.WriteDiagnostics(&buf, diags, false); err != nil {
				t.Fatal(err)
			}
			for _, s := range secretValues {
				if strings.Contains(buf.String(), s) {
					t.Errorf("diagnostic output contains secret %q:\n%s", s, buf.String())
				}
			}
			if !diags.HasErrors() {
				t.Fatalf("no error diagnostics")
			}
			seen := map[string]bool{}
			for _, d := range diags {
				if d.Subject != nil {
					key := d.Subject.String() + "|" + d.Summary + "|" + d.Detail
					if seen[key] {
						t.Errorf("diagnostic reported twice: %s", key)
					}
					seen[key] = true
				}
				if d.Subject == nil {
					t.Errorf("diagnostic without subject: %s: %s", d.Summary, d.Detail)
					continue
				}
				matched := false
				for _, e := range want {
					if e.line == d.Subject.Start.Line && e.severity == d.Severity &&
						(strings.Contains(d.Summary, e.text) || strings.Contains(d.Detail, e.text)) {
						e.hit, matched = true, true
					}
				}
				if !matched {
					t.Errorf("unexpected diagnostic at line %d: %s: %s", d.Subject.Start.Line, d.Summary, d.Detail)
				}
			}
			for _, e := range want {
				if !e.hit {
					t.Errorf("line %d: expected diagnostic containing %q was not reported", e.line, e.text)
				}
			}
			if t.Failed() {
				t.Logf("diagnostics:\n%s", buf.String())
			}
		})
	}
}
