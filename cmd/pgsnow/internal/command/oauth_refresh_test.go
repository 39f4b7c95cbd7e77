package command

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/internal/sfproxy"
	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin"
	"github.com/pgsnow/pgsnow/providers/snowflake/oauthlogin/oauthtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// TestApplyOAuthTokenExpiresEverySession runs plan and apply with a
// `pgsnow login` token while every access token expires as soon as a
// session has logged in with it (in Snowflake and in the cache, as an hour
// passing would). Each new session of the commands must present a new
// token, refreshed through the cache, and the migration must complete.
func TestApplyOAuthTokenExpiresEverySession(t *testing.T) {
	ch := newChinook(t, sfemu.Faults{}, "")
	t.Setenv("PGSNOW_CONFIG_DIR", t.TempDir())
	idp := oauthtest.New("pgsnow-cli")
	defer idp.Close()
	var mu sync.Mutex
	var issued []string
	idp.OnIssue = func(access string, expires time.Time) {
		ch.srv.GrantOAuthToken(access, "LOADER", expires)
		mu.Lock()
		issued = append(issued, access)
		mu.Unlock()
	}

	var cache oauthlogin.Cache
	var target oauthlogin.Target
	logins := 0
	expireAll := func(r sfproxy.Request) bool {
		if r.Endpoint != "login" || r.Status != 200 || r.Code != "" {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		logins++
		for _, tok := range issued {
			ch.srv.ExpireOAuthToken(tok)
		}
		tok, err := cache.Load(target)
		if err != nil {
			t.Errorf("cache: %v", err)
			return false
		}
		tok.Expiry = time.Now().Add(-time.Minute)
		if err := cache.Save(target, tok); err != nil {
			t.Errorf("cache: %v", err)
		}
		return false
	}
	px := sfproxy.Start(t, ch.srv.Addr(), sfproxy.Hooks{After: expireAll})
	host, port := px.HostPort()
	if err := os.WriteFile("main.pgsnow.hcl", fmt.Appendf(nil, loginSpecHCL, host, port, idp.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	spec, _, diags := lang.LoadDir(".")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	_, tgt, err := loginTarget(spec)
	if err != nil {
		t.Fatal(err)
	}
	c, err := oauthlogin.DefaultCache()
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	cache, target = c, tgt
	mu.Unlock()
	if err := cache.Save(target, idp.LoggedIn()); err != nil { // as 'pgsnow login' leaves it
		t.Fatal(err)
	}

	if code, out, errs := pgsnow("plan", "-out", "chinook.plan"); code != 0 {
		t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs := pgsnow("apply", "-parallelism", "2", "chinook.plan")
	if code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, errs)
	}
	ch.compare(t, readPlan(t, "chinook.plan"))

	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d logins, %d refreshes, %d tokens issued", logins, idp.Refreshs, len(issued))
	// Sessions opened together may share one refreshed token.
	if logins < 2 || idp.Refreshs < 1 || idp.Refreshs > logins-1 {
		t.Errorf("%d logins with %d refreshes; want at least 2 logins and a refresh for the logins after the first (concurrent ones may share it)", logins, idp.Refreshs)
	}
	// No token reaches the output, the run directory, the plan or the state.
	for _, tok := range append([]string{}, issued...) {
		if strings.Contains(out+errs, tok) {
			t.Errorf("an access token is in the output")
		}
		filepath.Walk(".", func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && !strings.HasSuffix(path, ".hcl") {
				if b, _ := os.ReadFile(path); strings.Contains(string(b), tok) {
					t.Errorf("an access token is in %s", path)
				}
			}
			return nil
		})
	}
}
