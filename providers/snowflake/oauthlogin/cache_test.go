package oauthlogin_test

import (
	"context"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin/oauthtest"
)

// TestSourceRereadsCache: one source serves a whole command, so each call
// reads the file again (another pgsnow may have refreshed it) and refreshes
// a token that expires within RefreshMargin.
func TestSourceRereadsCache(t *testing.T) {
	srv := oauthtest.New("pgsnow-cli")
	defer srv.Close()
	cache := oauthlogin.Cache{Dir: t.TempDir()}
	target := oauthlogin.Target{Account: "xy12345", User: "LOADER", Issuer: srv.URL, ClientID: srv.ClientID}
	if err := cache.Save(target, srv.LoggedIn()); err != nil {
		t.Fatal(err)
	}
	ts, err := cache.TokenSource(context.Background(), target, options(srv, nil).Config(""))
	if err != nil {
		t.Fatal(err)
	}
	// want "" is the token the server issued last, read after the call.
	step := func(what, want string, refreshes int) {
		t.Helper()
		tok, err := ts.Token()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if want == "" {
			want = srv.LastIssued()
		}
		if tok.AccessToken != want || srv.Refreshs != refreshes {
			t.Fatalf("%s: token %q (want %q), refreshes %d (want %d)", what, tok.AccessToken, want, srv.Refreshs, refreshes)
		}
	}
	step("fresh login", "", 0)

	// Another pgsnow refreshed meanwhile: its token is used, none spent here.
	other := srv.LoggedIn()
	if err := cache.Save(target, other); err != nil {
		t.Fatal(err)
	}
	step("after another process saved", other.AccessToken, 0)

	// Still valid but inside the margin: refreshed before use.
	other.Expiry = time.Now().Add(oauthlogin.RefreshMargin / 2)
	if err := cache.Save(target, other); err != nil {
		t.Fatal(err)
	}
	step("near expiry", "", 1)
	if again, err := cache.Load(target); err != nil || again.AccessToken != srv.LastIssued() {
		t.Fatalf("the refreshed token was not written back: %v", err)
	}

	// Without a refresh token a token inside the margin is still used.
	other.Expiry, other.RefreshToken = time.Now().Add(oauthlogin.RefreshMargin/2), ""
	if err := cache.Save(target, other); err != nil {
		t.Fatal(err)
	}
	step("near expiry, no refresh token", other.AccessToken, 1)

	// Logged out mid-command: the source says so.
	if _, err := cache.Delete(target); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Token(); err != oauthlogin.ErrNotLoggedIn {
		t.Errorf("after logout: %v, want ErrNotLoggedIn", err)
	}
}
