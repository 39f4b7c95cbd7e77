package command

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin/oauthtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

const loginSpecHCL = `source "postgres" "app" {
  dsn = env("PGSNOW_TEST_SOURCE_DSN")
}

target "snowflake" "emu" {
  account  = "TESTACCT"
  database = "ANALYTICS"
  user     = "LOADER"
  host     = "%s"
  port     = %d
  protocol = "http"
  auth {
    method    = "oauth"
    issuer    = "%s"
    client_id = "pgsnow-cli"
    scopes    = ["session:role:LOADER", "offline_access"]
  }
}
`

// lockedBuffer is stdout shared between the running login and the test
// that reads the URL from it, as a user would.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestLoginCommand runs `pgsnow login` against a fake authorization server
// and the emulator: refused without a terminal, then the browser flow with
// -no-browser, the 0600 cache, test-connections with the cached token, a
// refresh once it expires, -logout, and a timeout. No token is printed.
func TestLoginCommand(t *testing.T) {
	auth := oauthtest.New("pgsnow-cli")
	defer auth.Close()
	// The fake server numbers what it issues: code-1 then access-2 at
	// login, access-3 at the refresh.
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: pgtest.NewDatabase(t), StageDir: t.TempDir(),
		Users:       []sfemu.User{{Name: "LOADER", Password: testSFPassword}},
		OAuthTokens: map[string]string{"access-2": "LOADER", "access-3": "LOADER"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host, portText, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(portText)
	t.Chdir(t.TempDir())
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", pgtest.NewDatabase(t))
	t.Setenv("PGSNOW_CONFIG_DIR", t.TempDir())
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, loginSpecHCL, host, port, auth.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder // every output, checked for tokens at the end
	run := func(args ...string) (int, string, string) {
		code, out, errs := pgsnow(args...)
		all.WriteString(out + errs)
		return code, out, errs
	}

	code, out, errs := run("login")
	if code != ExitError || !strings.Contains(errs, "stdin is not a terminal") || !strings.Contains(errs, "token_file") {
		t.Fatalf("login without a terminal: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = run("test-connections")
	if code != ExitError || !strings.Contains(out+errs, "run 'pgsnow login'") {
		t.Fatalf("test-connections before login: exit %d\n%s\n%s", code, out, errs)
	}

	// The browser: wait for the URL, follow it to the loopback callback.
	var stdout, stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main([]string{"pgsnow", "login", "-no-browser", "-port", "0", "-timeout", "1m"}, strings.NewReader(""), &stdout, &stderr)
	}()
	var loginURL string
	for loginURL == "" {
		select {
		case code := <-done:
			t.Fatalf("login ended before printing a URL: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
		case <-time.After(10 * time.Millisecond):
			loginURL = oauthtest.URLFrom(stdout.String())
		}
	}
	if status, err := oauthtest.Follow(loginURL); err != nil || status != 200 {
		t.Fatalf("following %s: status %d, %v", loginURL, status, err)
	}
	if code := <-done; code != ExitOK || !strings.Contains(stdout.String(), "Logged in") {
		t.Fatalf("login: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	all.WriteString(stdout.String() + stderr.String())

	spec, _, diags := lang.LoadDir(".")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, target, err := loginTarget(spec)
	if err != nil {
		t.Fatal(err)
	}
	cache := oauthlogin.Cache{Dir: filepath.Join(os.Getenv("PGSNOW_CONFIG_DIR"), "tokens")}
	if st, err := os.Stat(cache.Path(target)); err != nil || st.Mode() != 0o600 {
		t.Fatalf("cache file: %v, %v", st, err)
	}
	if st, err := os.Stat(cache.Dir); err != nil || st.Mode() != 0o700|fs.ModeDir {
		t.Fatalf("cache directory: %v, %v", st, err)
	}
	if !strings.Contains(stdout.String(), cache.Path(target)) {
		t.Errorf("login does not say where the token is cached:\n%s", stdout.String())
	}

	code, out, errs = run("test-connections")
	if code != ExitOK || !strings.Contains(out, "logged in as LOADER") {
		t.Fatalf("test-connections with the cached token: exit %d\n%s\n%s", code, out, errs)
	}

	// Expired: the next command refreshes it and rewrites the cache.
	tok, err := cache.Load(target)
	if err != nil {
		t.Fatal(err)
	}
	tok.Expiry = time.Now().Add(-time.Hour)
	if err := cache.Save(target, tok); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run("test-connections")
	if code != ExitOK || auth.Refreshs != 1 {
		t.Fatalf("test-connections with an expired token: exit %d, refreshes %d\n%s\n%s", code, auth.Refreshs, out, errs)
	}
	if tok, err := cache.Load(target); err != nil || tok.AccessToken != "access-3" || !tok.Valid() {
		t.Fatalf("cache after the refresh: %v (token changed: %v)", err, tok != nil && tok.AccessToken == "access-3")
	}

	code, out, errs = run("login", "-logout")
	if code != ExitOK || !strings.Contains(out, "Logged out") {
		t.Fatalf("login -logout: exit %d\n%s\n%s", code, out, errs)
	}
	if _, err := os.Stat(cache.Path(target)); !os.IsNotExist(err) {
		t.Errorf("the cache file is still there after -logout: %v", err)
	}
	code, out, errs = run("test-connections")
	if code != ExitError || !strings.Contains(out+errs, "run 'pgsnow login'") {
		t.Fatalf("test-connections after logout: exit %d\n%s\n%s", code, out, errs)
	}

	code, out, errs = run("login", "-no-browser", "-port", "0", "-timeout", "50ms")
	if code != ExitError || !strings.Contains(errs, "no redirect from the browser within 50ms") {
		t.Fatalf("login timeout: exit %d\n%s\n%s", code, out, errs)
	}

	for _, secret := range []string{"access-2", "access-3", "refresh-"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("a token (%s) was printed:\n%s", secret, all.String())
		}
	}
}

// TestSnowflakeConfigOAuth: which token source each oauth spec gets —
// client credentials through the issuer's token endpoint, a public client
// through the login cache (and a clear error before any login).
func TestSnowflakeConfigOAuth(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("PGSNOW_CONFIG_DIR", t.TempDir())
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", "postgres://app@127.0.0.1:1/app")
	t.Setenv("PGSNOW_TEST_SECRET", testSFPassword)
	load := func(auth string) *lang.Spec {
		t.Helper()
		src := strings.Replace(loginSpecHCL, `    issuer    = "%s"
    client_id = "pgsnow-cli"
`, auth, 1)
		if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, src, "127.0.0.1", 1), 0o644); err != nil {
			t.Fatal(err)
		}
		spec, _, diags := lang.LoadDir(".")
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		return spec
	}

	cfg, err := snowflakeConfig(load(`    issuer        = "https://example.okta.com/oauth2/default/"
    client_id     = "svc"
    client_secret = env("PGSNOW_TEST_SECRET")
`))
	if err != nil || cfg.Auth.TokenURL != "https://example.okta.com/oauth2/default/v1/token" || cfg.Auth.Token != "" {
		t.Errorf("client credentials with issuer: token URL %q, token set %v, err %v", cfg.Auth.TokenURL, cfg.Auth.Token != "", err)
	}

	spec := load(`    issuer    = "https://example.okta.com/oauth2/default"
    client_id = "pgsnow-cli"
`)
	if _, err := snowflakeConfig(spec); err == nil || !strings.Contains(err.Error(), "run 'pgsnow login'") {
		t.Errorf("public client before login: %v", err)
	}
	_, target, err := loginTarget(spec)
	if err != nil {
		t.Fatal(err)
	}
	cache, _ := oauthlogin.DefaultCache()
	if err := cache.Save(target, &oauth2.Token{AccessToken: "cached-token", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if cfg, err := snowflakeConfig(spec); err != nil || cfg.Auth.Token != "cached-token" {
		t.Errorf("public client after login: token from cache %v, err %v", cfg.Auth.Token == "cached-token", err)
	}
	// Another user of the same account does not get that token.
	spec.Target.User = "OTHER"
	if _, err := snowflakeConfig(spec); err == nil || !strings.Contains(err.Error(), "run 'pgsnow login'") {
		t.Errorf("another user: %v", err)
	}
}
