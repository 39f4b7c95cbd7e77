package executor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/pgsnow/pgsnow/internal/golden"
	"path/filepath"
	"strings"
	"testing"
)

// golden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

const (
	knownSecret = "Hunter2-s3cret"
	knownToken  = "tok-9f8e7d6c5b"
	otherPass   = "NotTold-Pa55" // in a DSN, but nobody told the redactor
)

// secretError is what a careless driver might say.
var secretError = fmt.Errorf("connect postgres://app:%s@db.internal:5432/app: failed (password=%s); retry with token %s; also snowflake://u:%s@acct/db; Authorization: Bearer %s",
	knownSecret, knownSecret, knownToken, otherPass, knownToken)

func TestRunLog(t *testing.T) {
	p := testPlan([]tbl{{name: "A", chunks: 2, rows: 3}, {name: "B", chunks: 1, rows: 1}}, map[string][]string{"V_B": {"B"}})
	tg := &fakeTarget{}
	tg.fail("exec CREATE TABLE DW.APP.B (ID NUMBER)", secretError)
	tg.fail("load public.A#1", &transientErr{"HTTP 503 from https://u:" + otherPass + "@stage.example/x?sig=1"})
	var buf bytes.Buffer
	log := NewNDJSON(&buf, "run-0001")
	o := fastOptions(1, log)
	o.NoOverlap = true // one step at a time: one order of events
	o.Redactor = NewRedactor(knownSecret, knownToken, "")
	o.ProgressBytes = 8
	j, _ := newJournal(t)
	if _, err := Apply(context.Background(), p, &fakeSource{}, tg, j, nil, o); err == nil {
		t.Fatal("want an error: table B fails")
	}
	if err := log.Err(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{knownSecret, knownToken, otherPass} {
		if bytes.Contains(buf.Bytes(), []byte(s)) {
			t.Errorf("the run log contains the secret %q:\n%s", s, buf.String())
		}
	}
	// Every line is one JSON object with every documented field.
	for i, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		for _, f := range []string{"ts", "run_id", "level", "category", "message", "object", "rows", "bytes", "duration_ms", "query_id"} {
			if _, ok := m[f]; !ok {
				t.Errorf("line %d has no %q: %s", i+1, f, line)
			}
		}
	}
	checkGolden(t, "run_log.ndjson", buf.Bytes())
}

func TestRedactor(t *testing.T) {
	r := NewRedactor("p@ss word/1")
	tests := []struct{ in, want string }{
		{"auth failed for p@ss word/1", "auth failed for ***"},
		{"url-escaped p%40ss+word%2F1 and p@ss%20word%2F1", "url-escaped *** and ***"},
		{"postgres://bob:x@h/db", "postgres://bob:***@h/db"},
		{"host=h password='a b' user=u", "host=h password=*** user=u"},
		{"PRIVATE_KEY_PASSPHRASE: hunter", "PRIVATE_KEY_PASSPHRASE: ***"},
		{"oauth_token=abc&x=1", "oauth_token=***&x=1"},
		{"Bearer abc.def", "Bearer ***"},
		{"jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2ln end", "jwt *** end"},
		{"-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY----- tail", "*** tail"},
		{"table APP.ORDERS: 3 rows", "table APP.ORDERS: 3 rows"},
	}
	for _, tc := range tests {
		if got := r.Text(tc.in).String(); got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
