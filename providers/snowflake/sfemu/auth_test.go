package sfemu_test

import (
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"

	sf "github.com/snowflakedb/gosnowflake"
)

func TestLogin(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		edit     func(*sf.Config)
		wantCode int // 0: login succeeds
	}{
		{"password", func(c *sf.Config) {}, 0},
		{"password, user name case-insensitive", func(c *sf.Config) { c.User = "LOADER" }, 0},
		{"wrong password", func(c *sf.Config) { c.Password = "nope" }, 390100},
		{"unknown user", func(c *sf.Config) { c.User = "ghost" }, 390100},
		{"oauth token", func(c *sf.Config) {
			c.Authenticator, c.Token, c.Password = sf.AuthTypeOAuth, testToken, ""
		}, 0},
		{"oauth bad token", func(c *sf.Config) {
			c.Authenticator, c.Token, c.Password = sf.AuthTypeOAuth, "forged", ""
		}, 390303},
		{"key pair", func(c *sf.Config) {
			c.Authenticator, c.PrivateKey, c.Password = sf.AuthTypeJwt, testKey, ""
		}, 0},
		{"key pair, unregistered key", func(c *sf.Config) {
			c.Authenticator, c.PrivateKey, c.Password = sf.AuthTypeJwt, otherKey, ""
		}, 390144},
		{"key pair, user without key", func(c *sf.Config) {
			c.Authenticator, c.PrivateKey, c.Password, c.User = sf.AuthTypeJwt, testKey, "", "reader"
		}, 390144},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := e.config()
			tc.edit(&cfg)
			db := e.open(cfg)
			var user string
			err := db.QueryRow("SELECT CURRENT_USER()").Scan(&user)
			if tc.wantCode == 0 {
				if err != nil {
					t.Fatalf("login failed: %v", err)
				}
				if user != "LOADER" && user != "READER" {
					t.Errorf("CURRENT_USER() = %q", user)
				}
				return
			}
			if got := sfCode(err); got != tc.wantCode {
				t.Fatalf("error code = %d (%v), want %d", got, err, tc.wantCode)
			}
		})
	}
}

func TestLoginSessionParameters(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, `CREATE TABLE "mixed" (x NUMBER)`, "CREATE SCHEMA other", "CREATE TABLE other.t2 (y NUMBER)")
	cfg := e.config()
	cfg.Database, cfg.Schema = strings.ToLower(e.name), "other"
	on := "true"
	cfg.Params = map[string]*string{"QUOTED_IDENTIFIERS_IGNORE_CASE": &on}
	db2 := e.open(cfg)
	var dbName, schema string
	if err := db2.QueryRow("SELECT CURRENT_DATABASE(), CURRENT_SCHEMA()").Scan(&dbName, &schema); err != nil {
		t.Fatal(err)
	}
	if dbName != e.name || schema != "OTHER" {
		t.Errorf("current = %s.%s, want %s.OTHER", dbName, schema, e.name)
	}
	// With QUOTED_IDENTIFIERS_IGNORE_CASE, "t2" means T2.
	if _, err := db2.Exec(`SELECT "y" FROM "t2"`); err != nil {
		t.Errorf("quoted lower-case names with QUOTED_IDENTIFIERS_IGNORE_CASE: %v", err)
	}
}
