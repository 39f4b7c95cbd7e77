package snowflake_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const (
	password = "s3cret-pass-word"
	token    = "oauth-access-token-xyz"
)

func TestOpen(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	otherPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(other)})

	srv, err := sfemu.New(sfemu.Config{
		PostgresDSN: pgtest.NewDatabase(t),
		StageDir:    t.TempDir(),
		Accounts:    []string{"ACME"},
		Users:       []sfemu.User{{Name: "LOADER", Password: password, PublicKey: &key.PublicKey}},
		OAuthTokens: map[string]string{token: "LOADER"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host, portText, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(portText)
	base := snowflake.Config{Account: "ACME", User: "LOADER", Host: host, Port: port, Protocol: "http", LoginTimeout: 10 * time.Second}

	tests := []struct {
		name    string
		auth    snowflake.Auth
		wantErr string // empty: login must succeed
	}{
		{"password", snowflake.Auth{Method: "password", Password: password}, ""},
		{"oauth token", snowflake.Auth{Method: "oauth", Token: token}, ""},
		{"keypair pkcs8", snowflake.Auth{Method: "keypair", PrivateKey: keyPEM}, ""},
		{"wrong password", snowflake.Auth{Method: "password", Password: "wrong-" + password}, `cannot log in to account "ACME" as "LOADER"`},
		{"wrong token", snowflake.Auth{Method: "oauth", Token: "bad-" + token}, `cannot log in`},
		{"wrong key", snowflake.Auth{Method: "keypair", PrivateKey: otherPEM}, `cannot log in`},
		{"not pem", snowflake.Auth{Method: "keypair", PrivateKey: []byte("nope")}, "not PEM"},
		{"encrypted key", snowflake.Auth{Method: "keypair", PrivateKey: pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}})}, "encrypted"},
		{"no password", snowflake.Auth{Method: "password"}, "needs a password"},
		{"unknown method", snowflake.Auth{Method: "magic"}, "unknown auth method"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base
			cfg.Auth = tc.auth
			db, err := snowflake.Open(context.Background(), cfg)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer db.Close()
				var user string
				if err := db.QueryRow("SELECT CURRENT_USER()").Scan(&user); err != nil {
					t.Fatalf("query after login: %v", err)
				}
				if user != "LOADER" {
					t.Errorf("CURRENT_USER() = %q, want LOADER", user)
				}
				return
			}
			if err == nil {
				db.Close()
				t.Fatalf("Open succeeded, want error containing %q", tc.wantErr)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.wantErr) {
				t.Errorf("error %q does not contain %q", msg, tc.wantErr)
			}
			for _, secret := range []string{password, token, string(keyPEM)} {
				if strings.Contains(msg, secret) {
					t.Errorf("error leaks a secret: %q", msg)
				}
			}
		})
	}
}

func TestOpenUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = snowflake.Open(ctx, snowflake.Config{
		Account: "ACME", User: "LOADER", Host: "127.0.0.1", Port: port, Protocol: "http",
		LoginTimeout: 3 * time.Second, Auth: snowflake.Auth{Method: "password", Password: password},
	})
	if err == nil {
		t.Fatal("Open succeeded against a closed port")
	}
	if strings.Contains(err.Error(), password) {
		t.Errorf("error leaks the password: %v", err)
	}
	if !strings.Contains(err.Error(), "http://127.0.0.1:"+strconv.Itoa(port)) {
		t.Errorf("error does not name the endpoint: %v", err)
	}
}
