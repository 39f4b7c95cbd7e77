package lang

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testEnv is the environment every spec test runs with. PGSNOW_TEST_UNSET
// must stay unset: invalid cases use it for the missing-variable check.
func setTestEnv(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"PGSNOW_SOURCE_DSN":        "postgres://app:s3cret-dsn@db.internal:5432/app?sslmode=require",
		"SNOWFLAKE_PASSWORD":       "s3cret-password",
		"BILLING_PASSWORD":         "s3cret-billing",
		"SNOWFLAKE_TOKEN":          "s3cret-token",
		"OKTA_CLIENT_SECRET":       "s3cret-client",
		"PGSNOW_STATE_DSN":         "host=state.internal user=pgsnow password=s3cret-state dbname=ops",
		"SNOWFLAKE_PASSPHRASE":     "s3cret-passphrase",
		"PGSNOW_TEST_PARALLEL":     "8",
		"PGSNOW_TEST_EMPTY_VAR":    "",
		"SHOP_DB_PASSWORD":         "s3cret-shop",
		"BILLING_DSN":              "postgres://billing:s3cret-billing@billing-db.internal/billing",
		"SNOWFLAKE_KEY_PASSPHRASE": "s3cret-passphrase",
		"SNOWFLAKE_PRIVATE_KEY":    "-----BEGIN ENCRYPTED PRIVATE KEY-----\nczNjcmV0\n-----END ENCRYPTED PRIVATE KEY-----\n",
	} {
		t.Setenv(k, v)
	}
	t.Setenv("PGSNOW_TEST_UNSET", "") // restores any outside value on cleanup
	os.Unsetenv("PGSNOW_TEST_UNSET")
}

// secretValues are the secret values above; no dump or diagnostic may
// contain any of them.
var secretValues = []string{"s3cret", "hunter2"}

// dump renders a Spec for golden comparison: the JSON form (secrets
// masked by Secret.MarshalJSON) plus every block's DeclRange.
func dump(spec *Spec) []byte {
	type out struct {
		Spec   *Spec    `json:"spec"`
		Ranges []string `json:"ranges"`
	}
	o := out{Spec: spec}
	add := func(what string, r hcl.Range) {
		o.Ranges = append(o.Ranges, fmt.Sprintf("%s @ %s:%d,%d", what, filepath.ToSlash(r.Filename), r.Start.Line, r.Start.Column))
	}
	for _, s := range spec.Sources {
		add("source "+s.Name, s.DeclRange)
		add("source "+s.Name+" schemas", s.Range("schemas"))
	}
	if t := spec.Target; t != nil {
		add("target "+t.Name, t.DeclRange)
		add("auth", t.Auth.DeclRange)
	}
	if spec.State.DeclRange.Filename != "" {
		add("state", spec.State.DeclRange)
	}
	if spec.Settings.DeclRange.Filename != "" {
		add("settings", spec.Settings.DeclRange)
	}
	for _, t := range spec.Tables {
		add("table "+t.Address.String(), t.AddressRange)
		for _, c := range t.Columns {
			add("column "+c.Name+" type", c.TypeRange)
		}
	}
	for _, ov := range spec.TypeOverrides {
		add("type_override "+ov.Name+" type", ov.TypeRange)
	}
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

func TestValid(t *testing.T) {
	dirs, err := filepath.Glob("testdata/valid/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no valid cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			setTestEnv(t)
			spec, files, diags := LoadDir(dir)
			if len(diags) > 0 {
				var buf bytes.Buffer
				_ = files.WriteDiagnostics(&buf, diags, false)
				t.Fatalf("unexpected diagnostics:\n%s", buf.String())
			}
			got := dump(spec)
			for _, s := range secretValues {
				if bytes.Contains(got, []byte(s)) {
					t.Fatalf("dump contains secret %q:\n%s", s, got)
				}
			}
			golden := filepath.Join(dir, "expected.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("spec dump differs from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}
