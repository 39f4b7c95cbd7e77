package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/providers/snowflake"
)

// The private key is read from private_key_path relative to the spec
// directory, not the working directory.
func TestSnowflakeConfigKeypair(t *testing.T) {
	dir := t.TempDir()
	key := "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), []byte(key), 0o600); err != nil {
		t.Fatal(err)
	}
	hcl := `source "postgres" "app" {
  dsn = "postgres://app@db/app"
}
target "snowflake" "main" {
  account   = "xy12345"
  database  = "ANALYTICS"
  user      = "LOADER"
  warehouse = "WH"
  auth {
    method           = "keypair"
    private_key_path = "key.pem"
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.pgsnow.hcl"), []byte(hcl), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // elsewhere: the path must resolve against the spec
	spec, _, diags := lang.LoadDir(dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cfg, err := snowflakeConfig(spec)
	if err != nil {
		t.Fatal(err)
	}
	want := snowflake.Config{Account: "xy12345", User: "LOADER", Database: "ANALYTICS", Warehouse: "WH", Port: 443, Protocol: "https",
		Auth: snowflake.Auth{Method: "keypair", PrivateKey: []byte(key)}}
	if d := cmp.Diff(want, cfg); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	ref := targetRef(spec)
	if ref.AuthMethod != "keypair" || strings.Contains(ref.Account+ref.User+ref.Database, "PRIVATE") {
		t.Errorf("target ref: %+v", ref)
	}

	os.Remove(filepath.Join(dir, "key.pem"))
	if _, err := snowflakeConfig(spec); err == nil || !strings.Contains(err.Error(), "private_key_path") {
		t.Errorf("missing key file: %v", err)
	}
}
