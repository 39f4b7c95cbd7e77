package snowflake_test

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	sf "github.com/snowflakedb/gosnowflake"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin/oauthtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// oauthSetup is an emulated account that trusts a fake authorization
// server: every access token the server issues logs in as LOADER until
// the expiry the server gave it.
type oauthSetup struct {
	emu  *sfemu.Server
	idp  *oauthtest.Server
	base snowflake.Config
}

func newOAuthSetup(t *testing.T) *oauthSetup {
	t.Helper()
	emu, err := sfemu.New(sfemu.Config{PostgresDSN: pgtest.NewDatabase(t), StageDir: t.TempDir(), Accounts: []string{"ACME"},
		Users: []sfemu.User{{Name: "LOADER"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emu.Close() })
	idp := oauthtest.New("pgsnow-cli")
	t.Cleanup(idp.Close)
	idp.OnIssue = func(access string, expires time.Time) { emu.GrantOAuthToken(access, "LOADER", expires) }
	host, portText, _ := net.SplitHostPort(emu.Addr())
	port, _ := strconv.Atoi(portText)
	return &oauthSetup{emu: emu, idp: idp, base: snowflake.Config{Account: "ACME", User: "LOADER", Host: host, Port: port,
		Protocol: "http", LoginTimeout: 10 * time.Second}}
}

// session takes a session of its own from db's pool (held until cleanup,
// so the next call must open another) and checks it works.
func session(t *testing.T, db *sql.DB) (*sql.Conn, error) {
	t.Helper()
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { c.Close() })
	var user string
	if err := c.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&user); err != nil || user != "LOADER" {
		t.Fatalf("query in a new session: user %q, %v", user, err)
	}
	return c, nil
}

func noSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if err != nil && s != "" && strings.Contains(err.Error(), s) {
			t.Errorf("error leaks a secret: %v", err)
		}
	}
}

// TestSessionTokenFromLoginCache: the pool opens a second session after the
// first session's token expired; the cache source refreshes it (under the
// cache's lock, written back) and the second session logs in.
func TestSessionTokenFromLoginCache(t *testing.T) {
	s := newOAuthSetup(t)
	cache := oauthlogin.Cache{Dir: t.TempDir()}
	target := oauthlogin.Target{Account: "ACME", User: "LOADER", Issuer: s.idp.URL, ClientID: s.idp.ClientID}
	first := s.idp.LoggedIn()
	if err := cache.Save(target, first); err != nil {
		t.Fatal(err)
	}
	authURL, tokenURL := oauthlogin.Endpoints(s.idp.URL)
	ts, err := cache.TokenSource(context.Background(), target,
		oauthlogin.Options{ClientID: s.idp.ClientID, AuthURL: authURL, TokenURL: tokenURL}.Config(""))
	if err != nil {
		t.Fatal(err)
	}
	cfg := s.base
	cfg.Auth = snowflake.Auth{Method: "oauth", ClientID: s.idp.ClientID, TokenSource: ts}
	db, err := snowflake.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	one, err := session(t, db)
	if err != nil {
		t.Fatal(err)
	}

	// An hour later: Snowflake refuses the token, and the cache says so too.
	s.emu.ExpireOAuthToken(first.AccessToken)
	first.Expiry = time.Now().Add(-time.Minute)
	if err := cache.Save(target, first); err != nil {
		t.Fatal(err)
	}
	if _, err := session(t, db); err != nil {
		t.Fatalf("second session after the token expired: %v", err)
	}
	if s.idp.Refreshs != 1 {
		t.Errorf("refreshes %d, want 1", s.idp.Refreshs)
	}
	if tok, err := cache.Load(target); err != nil || tok.AccessToken != s.idp.LastIssued() || tok.AccessToken == first.AccessToken {
		t.Errorf("the cache does not hold the refreshed token (err %v)", err)
	}
	if err := one.PingContext(context.Background()); err != nil {
		t.Errorf("the first session after its token expired: %v", err)
	}
}

// TestSessionTokenClientCredentials: a grant's token is reused while it is
// valid, and a new one is requested for a session opened after it expired.
func TestSessionTokenClientCredentials(t *testing.T) {
	const secret = "cc-client-secret-42"
	s := newOAuthSetup(t)
	s.idp.ClientSecret = secret
	_, tokenURL := oauthlogin.Endpoints(s.idp.URL)
	cfg := s.base
	cfg.Auth = snowflake.Auth{Method: "oauth", TokenURL: tokenURL, ClientID: s.idp.ClientID, ClientSecret: secret}
	db, err := snowflake.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 {
		if _, err := session(t, db); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.idp.Issued); n != 1 {
		t.Fatalf("%d tokens issued for two sessions with an hour-long token, want 1", n)
	}

	// The token expires early (revoked, or a clock ahead): Snowflake
	// refuses it, and the server now issues tokens that expire within the reuse margin.
	s.emu.ExpireOAuthToken(s.idp.LastIssued())
	s.idp.ExpiresIn = 1
	db2, err := snowflake.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, err := session(t, db2); err != nil {
		t.Fatal(err)
	}
	used := s.idp.LastIssued()
	s.emu.ExpireOAuthToken(used)
	if _, err := session(t, db2); err != nil {
		t.Fatalf("session after the grant's token expired: %v", err)
	}
	if s.idp.LastIssued() == used {
		t.Error("no new token was requested for the second session")
	}

	// A wrong secret: a clear error that does not quote it.
	cfg.Auth.ClientSecret = "wrong-" + secret
	_, err = snowflake.Open(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "OAuth token request to "+tokenURL) {
		t.Errorf("wrong client secret: %v", err)
	}
	noSecret(t, err, secret)
}

// TestSessionTokenFixed: a literal token cannot be renewed; once Snowflake
// refuses it the error says so, without the token.
func TestSessionTokenFixed(t *testing.T) {
	const fixed = "fixed-access-token-abc"
	s := newOAuthSetup(t)
	s.emu.GrantOAuthToken(fixed, "LOADER", time.Now().Add(time.Hour))
	cfg := s.base
	cfg.Auth = snowflake.Auth{Method: "oauth", Token: fixed}
	db, err := snowflake.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := session(t, db); err != nil {
		t.Fatal(err)
	}
	s.emu.ExpireOAuthToken(fixed)
	_, err = session(t, db)
	var se *sf.SnowflakeError
	if !errors.As(err, &se) || se.Number != 390318 || !strings.Contains(err.Error(), "cannot refresh") {
		t.Fatalf("second session with an expired fixed token: %v", err)
	}
	noSecret(t, err, fixed)

	_, err = snowflake.Open(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), `cannot log in to account "ACME"`) || !strings.Contains(err.Error(), "cannot refresh") {
		t.Errorf("Open with an expired fixed token: %v", err)
	}
	noSecret(t, err, fixed)
}

// TestSessionTokenFile: token_file is re-read at every login, so an agent
// that rewrites it keeps new sessions supplied; the newline that `echo`
// leaves is not part of the token.
func TestSessionTokenFile(t *testing.T) {
	s := newOAuthSetup(t)
	file := filepath.Join(t.TempDir(), "token")
	write := func(tok string) {
		if err := os.WriteFile(file, []byte(tok), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	first := s.idp.LoggedIn()
	write(first.AccessToken + "\n")
	cfg := s.base
	cfg.Auth = snowflake.Auth{Method: "oauth", TokenFile: file}
	db, err := snowflake.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := session(t, db); err != nil {
		t.Fatal(err)
	}
	s.emu.ExpireOAuthToken(first.AccessToken)
	write(s.idp.LoggedIn().AccessToken + "\r\n")
	if _, err := session(t, db); err != nil {
		t.Fatalf("session after the file was rewritten: %v", err)
	}
}

// TestSessionTokenFileBad: a token_file that cannot hold a token fails
// Open with the file's name and never its content.
func TestSessionTokenFileBad(t *testing.T) {
	s := newOAuthSetup(t)
	dir := t.TempDir()
	const secret = "abc.def-secret"
	for _, tc := range []struct {
		name, content, want string
	}{
		{"missing", "", "no such file or directory"},
		{"empty", " \n", "is empty"},
		{"two words", secret + " " + secret, "more than one line or word"},
		{"two lines", secret + "\n" + secret + "\n", "more than one line or word"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"))
			if tc.name != "missing" {
				if err := os.WriteFile(file, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			cfg := s.base
			cfg.Auth = snowflake.Auth{Method: "oauth", TokenFile: file}
			db, err := snowflake.Open(context.Background(), cfg)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), "token_file") || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q: want token_file, %s and %q", err, file, tc.want)
			}
			noSecret(t, err, secret)
		})
	}
}
