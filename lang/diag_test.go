package lang

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteDiagnostics(t *testing.T) {
	setTestEnv(t)
	src := []byte(`source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "snowflake" "main" {
  account  = "xy12345"
  database = "DB"
  user     = "U"
  auth {
    method   = "password"
    password = env("SNOWFLAKE_PASSWORD")
  }
}
settings {
  parallelism = 40
}
`)
	_, files, diags := Parse(map[string][]byte{"spec/main.pgsnow.hcl": src})
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	var plain, color bytes.Buffer
	if err := files.WriteDiagnostics(&plain, diags, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Error: Invalid parallelism",
		"on spec/main.pgsnow.hcl line 14, in settings:",
		"14:   parallelism = 40",
		`"parallelism" must be between 1 and 16, got 40.`,
	} {
		if !strings.Contains(plain.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, plain.String())
		}
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain output contains escape sequences")
	}
	if err := files.WriteDiagnostics(&color, diags, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(color.String(), "\x1b[") {
		t.Error("color output has no escape sequences")
	}
	// A nil *Files (e.g. before anything was parsed) still prints.
	var nilFiles *Files
	plain.Reset()
	if err := nilFiles.WriteDiagnostics(&plain, diags, false); err != nil || !strings.Contains(plain.String(), "Invalid parallelism") {
		t.Errorf("nil Files: %v\n%s", err, plain.String())
	}
}

// A block lost to a syntax error must not also be reported as missing.
func TestSyntaxErrorSuppressesMissingBlocks(t *testing.T) {
	setTestEnv(t)
	src := []byte(`source "postgres" "app" {
  dsn = env("PGSNOW_SOURCE_DSN")
}
target "snowflake" "main" x {
}
`)
	_, _, diags := Parse(map[string][]byte{"x.pgsnow.hcl": src})
	if !diags.HasErrors() {
		t.Fatal("want a syntax error")
	}
	for _, d := range diags {
		if strings.Contains(d.Summary, "Missing target block") {
			t.Errorf("syntax error also reported as %q", d.Summary)
		}
	}
}
