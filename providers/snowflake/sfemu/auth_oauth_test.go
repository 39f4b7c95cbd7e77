package sfemu_test

import (
	"context"
	"strings"
	"testing"
	"time"

	sf "github.com/snowflakedb/gosnowflake"
)

// TestOAuthTokenExpiry: a granted token logs in until it expires; then a
// new login is refused with 390318 while the session it opened lives on,
// and a token never issued stays 390303.
func TestOAuthTokenExpiry(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	const tok, gone = "granted-access-token-1", "granted-access-token-0"
	e.srv.GrantOAuthToken(tok, testUser, time.Now().Add(time.Hour))
	e.srv.GrantOAuthToken(gone, testUser, time.Now().Add(-time.Minute))
	oauth := func(token string) sf.Config {
		cfg := e.config()
		cfg.Authenticator, cfg.Token, cfg.Password = sf.AuthTypeOAuth, token, ""
		return cfg
	}
	ctx := context.Background()

	db := e.open(oauth(tok))
	first, err := db.Conn(ctx)
	if err != nil {
		t.Fatalf("login with a granted token: %v", err)
	}
	defer first.Close()
	var user string
	if err := first.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&user); err != nil || user != "LOADER" {
		t.Fatalf("CURRENT_USER() = %q, %v", user, err)
	}

	if !e.srv.ExpireOAuthToken(tok) {
		t.Fatal("ExpireOAuthToken: the token was not granted")
	}
	if e.srv.ExpireOAuthToken("never-granted") {
		t.Error("ExpireOAuthToken reports a token never granted")
	}
	// The pool must open a second session while the first is held.
	_, err = db.Conn(ctx)
	if got := sfCode(err); got != 390318 {
		t.Fatalf("second session after expiry: code %d (%v), want 390318", got, err)
	}
	if !strings.Contains(err.Error(), "OAuth access token expired") || strings.Contains(err.Error(), tok) {
		t.Errorf("expiry error %q: want Snowflake's message and no token", err)
	}
	// Snowflake checks the token at login only: the open session works on.
	if err := first.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&user); err != nil {
		t.Errorf("the session opened before expiry: %v", err)
	}

	for _, c := range []struct {
		token string
		want  int
	}{{gone, 390318}, {"never-issued-token", 390303}} {
		err := e.open(oauth(c.token)).PingContext(ctx)
		if got := sfCode(err); got != c.want {
			t.Errorf("login with %s: code %d (%v), want %d", c.token, got, err, c.want)
		}
	}
}
