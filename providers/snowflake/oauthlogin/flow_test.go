package oauthlogin_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin/oauthtest"
)

// urlWriter hands the first printed URL to a channel, as a user reads it.
type urlWriter struct {
	mu   sync.Mutex
	buf  strings.Builder
	urls chan string
	sent bool
}

func newURLWriter() *urlWriter { return &urlWriter{urls: make(chan string, 1)} }

func (w *urlWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if u := oauthtest.URLFrom(w.buf.String()); u != "" && !w.sent {
		w.sent = true
		w.urls <- u
	}
	return len(p), nil
}

func (w *urlWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func options(srv *oauthtest.Server, out *urlWriter) oauthlogin.Options {
	auth, tok := oauthlogin.Endpoints(srv.URL)
	return oauthlogin.Options{ClientID: srv.ClientID, AuthURL: auth, TokenURL: tok, Scopes: []string{"session:role:LOADER"},
		Timeout: time.Minute, Out: out}
}

// browse plays the user: reads the URL and follows it.
func browse(t *testing.T, out *urlWriter) chan int {
	statuses := make(chan int, 1)
	go func() {
		code, err := oauthtest.Follow(<-out.urls)
		if err != nil {
			t.Errorf("following the login URL: %v", err)
		}
		statuses <- code
	}()
	return statuses
}

// TestLoginCacheRefresh runs the whole flow against the fake server, caches
// the token 0600 in a 0700 directory, then refreshes it once expired.
func TestLoginCacheRefresh(t *testing.T) {
	srv := oauthtest.New("pgsnow-cli")
	defer srv.Close()
	out := newURLWriter()
	statuses := browse(t, out)
	tok, err := oauthlogin.Login(context.Background(), options(srv, out))
	if err != nil {
		t.Fatal(err)
	}
	if code := <-statuses; code != 200 {
		t.Errorf("callback status %d", code)
	}
	if tok.AccessToken != srv.LastIssued() || tok.RefreshToken == "" {
		t.Fatalf("token %q, refresh set %v; issued %v", tok.AccessToken, tok.RefreshToken != "", srv.Issued)
	}
	if strings.Contains(out.String(), tok.AccessToken) {
		t.Errorf("the access token was printed:\n%s", out)
	}

	cache := oauthlogin.Cache{Dir: filepath.Join(t.TempDir(), "tokens")}
	target := oauthlogin.Target{Account: "xy12345", User: "LOADER", Issuer: srv.URL, ClientID: srv.ClientID}
	if err := cache.Save(target, tok); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]fs.FileMode{cache.Dir: 0o700 | fs.ModeDir, cache.Path(target): 0o600} {
		st, err := os.Stat(path)
		if err != nil || st.Mode() != want {
			t.Errorf("%s: mode %v (err %v), want %v", path, st.Mode(), err, want)
		}
	}
	if _, err := cache.Load(oauthlogin.Target{Account: "xy12345", User: "OTHER", Issuer: srv.URL, ClientID: srv.ClientID}); err != oauthlogin.ErrNotLoggedIn {
		t.Errorf("another user's token: err %v, want ErrNotLoggedIn", err)
	}

	// Expire the cached token: the source refreshes and rewrites the cache.
	tok.Expiry = time.Now().Add(-time.Minute)
	if err := cache.Save(target, tok); err != nil {
		t.Fatal(err)
	}
	opts := options(srv, out)
	ts, err := cache.TokenSource(context.Background(), target, opts.Config(""))
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if fresh.AccessToken == tok.AccessToken || fresh.AccessToken != srv.LastIssued() || srv.Refreshs != 1 {
		t.Fatalf("after refresh: token %q (old %q), issued %v, refreshes %d", fresh.AccessToken, tok.AccessToken, srv.Issued, srv.Refreshs)
	}
	again, err := cache.Load(target)
	if err != nil || again.AccessToken != fresh.AccessToken || again.RefreshToken != fresh.RefreshToken {
		t.Fatalf("cache after refresh: %+v, %v", again, err)
	}

	// A refresh token the server no longer accepts: a clear error, no secret.
	again.Expiry, again.RefreshToken = time.Now().Add(-time.Minute), "revoked-refresh-token"
	if err := cache.Save(target, again); err != nil {
		t.Fatal(err)
	}
	ts, _ = cache.TokenSource(context.Background(), target, opts.Config(""))
	if _, err := ts.Token(); err == nil || !strings.Contains(err.Error(), "pgsnow login") || strings.Contains(err.Error(), "revoked-refresh-token") {
		t.Errorf("refresh with a revoked token: %v", err)
	}

	// A token file others can read is not used.
	if err := os.Chmod(cache.Path(target), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := cache.Load(target); err == nil || !strings.Contains(err.Error(), "readable by other users") {
		t.Errorf("a 0644 token file: %v", err)
	}

	if had, err := cache.Delete(target); !had || err != nil {
		t.Errorf("delete: %v %v", had, err)
	}
	if _, err := cache.Load(target); err != oauthlogin.ErrNotLoggedIn {
		t.Errorf("after delete: %v", err)
	}
}

// TestLoginRefusals: a redirect with another state is refused, and a login
// nobody completes ends with a clear timeout error.
func TestLoginRefusals(t *testing.T) {
	srv := oauthtest.New("pgsnow-cli")
	defer srv.Close()
	srv.BadState = true
	out := newURLWriter()
	statuses := browse(t, out)
	_, err := oauthlogin.Login(context.Background(), options(srv, out))
	if err == nil || !strings.Contains(err.Error(), "state does not match") {
		t.Errorf("forged state: %v", err)
	}
	if code := <-statuses; code != 400 {
		t.Errorf("callback status %d for a forged state", code)
	}
	if len(srv.Issued) != 0 {
		t.Errorf("tokens issued after a forged state: %v", srv.Issued)
	}

	srv.BadState, srv.Deny = false, true
	out = newURLWriter()
	statuses = browse(t, out)
	_, err = oauthlogin.Login(context.Background(), options(srv, out))
	if err == nil || !strings.Contains(err.Error(), "refused: access_denied User is not assigned") {
		t.Errorf("denied: %v", err)
	}
	if code := <-statuses; code != 400 {
		t.Errorf("callback status %d for a denial", code)
	}

	opts := options(srv, newURLWriter())
	opts.Timeout = 50 * time.Millisecond // nobody opens the URL
	if _, err := oauthlogin.Login(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "no redirect from the browser within 50ms") {
		t.Errorf("timeout: %v", err)
	}
}

// TestConcurrentRefresh: two token sources (two pgsnow processes) find the
// same expired token; the server rotates refresh tokens, so only one may
// refresh and the other must pick up its result from the cache.
func TestConcurrentRefresh(t *testing.T) {
	srv := oauthtest.New("pgsnow-cli")
	defer srv.Close()
	out := newURLWriter()
	browse(t, out)
	tok, err := oauthlogin.Login(context.Background(), options(srv, out))
	if err != nil {
		t.Fatal(err)
	}
	cache := oauthlogin.Cache{Dir: t.TempDir()}
	target := oauthlogin.Target{Account: "xy12345", User: "LOADER", Issuer: srv.URL, ClientID: srv.ClientID}
	tok.Expiry = time.Now().Add(-time.Minute)
	if err := cache.Save(target, tok); err != nil {
		t.Fatal(err)
	}
	cfg := options(srv, out).Config("")
	var wg sync.WaitGroup
	got := make([]string, 2)
	for i := range got {
		ts, err := cache.TokenSource(context.Background(), target, cfg)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			tok, err := ts.Token()
			if err != nil {
				t.Errorf("source %d: %v", i, err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	wg.Wait()
	if got[0] != got[1] || got[0] != srv.LastIssued() || srv.Refreshs != 1 {
		t.Errorf("tokens %q, last issued %q, refreshes %d", got, srv.LastIssued(), srv.Refreshs)
	}
}
