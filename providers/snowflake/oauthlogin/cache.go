package oauthlogin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"golang.org/x/oauth2"
)

// Cache is a directory of token files, one per target, 0700 with 0600 files.
type Cache struct{ Dir string }

// DefaultCache is $PGSNOW_CONFIG_DIR/tokens, else <user config dir>/pgsnow/tokens.
func DefaultCache() (Cache, error) {
	if d := os.Getenv("PGSNOW_CONFIG_DIR"); d != "" {
		return Cache{Dir: filepath.Join(d, "tokens")}, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return Cache{}, fmt.Errorf("token cache: %w (set PGSNOW_CONFIG_DIR)", err)
	}
	return Cache{Dir: filepath.Join(d, "pgsnow", "tokens")}, nil
}

// Key names a target's cache entry: the same account, user, authorization
// server and client share a token; anything else does not.
func Key(account, user, issuer, clientID string) string {
	h := sha256.Sum256([]byte(strings.Join([]string{strings.ToLower(account), strings.ToUpper(user), issuer, clientID}, "\x00")))
	return hex.EncodeToString(h[:16])
}

// entry is the file's content; the token fields are the secrets.
type entry struct {
	FormatVersion string    `json:"format_version"`
	Account       string    `json:"account,omitempty"`
	User          string    `json:"user,omitempty"`
	Issuer        string    `json:"issuer,omitempty"`
	ClientID      string    `json:"client_id"`
	AccessToken   string    `json:"access_token"`
	RefreshToken  string    `json:"refresh_token,omitempty"`
	TokenType     string    `json:"token_type,omitempty"`
	Expiry        time.Time `json:"expiry,omitzero"`
}

// Target identifies whose token an entry holds (not secret).
type Target struct{ Account, User, Issuer, ClientID string }

func (t Target) key() string { return Key(t.Account, t.User, t.Issuer, t.ClientID) }

// Path is the cache file of a target.
func (c Cache) Path(t Target) string { return filepath.Join(c.Dir, t.key()+".json") }

// ErrNotLoggedIn says there is no cached token for the target.
var ErrNotLoggedIn = errors.New("no cached OAuth token for this target; run 'pgsnow login'")

// Load reads a target's cached token.
func (c Cache) Load(t Target) (*oauth2.Token, error) {
	b, err := os.ReadFile(c.Path(t))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotLoggedIn
	}
	if err != nil {
		return nil, fmt.Errorf("token cache: %w", err)
	}
	// Like ssh with its keys: a token file others can read may already be
	// leaked, so it is not used (Windows has no such mode bits).
	if st, err := os.Stat(c.Path(t)); err == nil && runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("token cache: %s is readable by other users (mode %v); delete it ('pgsnow login -logout') and log in again", c.Path(t), st.Mode().Perm())
	}
	var e entry
	if err := json.Unmarshal(b, &e); err != nil || e.AccessToken == "" {
		// Never quote the file: it holds secrets.
		return nil, fmt.Errorf("token cache: %s is not a pgsnow token file; run 'pgsnow login' again", c.Path(t))
	}
	return &oauth2.Token{AccessToken: e.AccessToken, RefreshToken: e.RefreshToken, TokenType: e.TokenType, Expiry: e.Expiry}, nil
}

// Save writes a target's token atomically (temp file in the same
// directory, then rename), so a reader never sees half a file.
func (c Cache) Save(t Target, tok *oauth2.Token) error {
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	// MkdirAll leaves an existing directory's mode alone; tighten it.
	if err := os.Chmod(c.Dir, 0o700); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	b, err := json.MarshalIndent(entry{FormatVersion: "1", Account: t.Account, User: t.User, Issuer: t.Issuer, ClientID: t.ClientID,
		AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, TokenType: tok.TokenType, Expiry: tok.Expiry}, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(c.Dir, ".token-*") // created 0600
	if err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	defer os.Remove(f.Name()) // no-op after the rename
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("token cache: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("token cache: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	if err := os.Rename(f.Name(), c.Path(t)); err != nil {
		return fmt.Errorf("token cache: %w", err)
	}
	return nil
}

// Delete removes a target's token; it reports whether there was one.
func (c Cache) Delete(t Target) (bool, error) {
	err := os.Remove(c.Path(t))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// TokenSource returns the cached token, refreshing it through cfg's token
// endpoint when it has expired (or expires within RefreshMargin) and
// writing the new one back. Each call re-reads the file, so a long command
// picks up a token another pgsnow refreshed (or a new 'pgsnow login').
// ctx serves every refresh: give one that lives as long as the source.
func (c Cache) TokenSource(ctx context.Context, t Target, cfg *oauth2.Config) (oauth2.TokenSource, error) {
	tok, err := c.Load(t)
	if err != nil {
		return nil, err
	}
	return &cachingSource{ctx: ctx, cache: c, target: t, cfg: cfg, tok: tok}, nil
}

// RefreshMargin is how long before its expiry a cached token is refreshed:
// a login with it may take a while (retries), and Snowflake checks the
// token when the login arrives.
const RefreshMargin = time.Minute

func fresh(t *oauth2.Token) bool {
	return t.AccessToken != "" && (t.Expiry.IsZero() || time.Until(t.Expiry) > RefreshMargin)
}

type cachingSource struct {
	ctx    context.Context
	cache  Cache
	target Target
	cfg    *oauth2.Config
	mu     sync.Mutex
	tok    *oauth2.Token
}

func (s *cachingSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, err := s.cache.Load(s.target)
	if err != nil {
		return nil, err
	}
	s.tok = tok
	if fresh(s.tok) {
		return s.tok, nil
	}
	if s.tok.RefreshToken == "" {
		if s.tok.Valid() { // not refreshable, but still good for a while
			return s.tok, nil
		}
		return nil, errors.New("the cached OAuth token has expired and has no refresh token; run 'pgsnow login' again")
	}
	// Another pgsnow may be refreshing the same token at this moment; with
	// refresh token rotation only one of them can spend it. Take the
	// target's lock and re-read the cache: the other one may have done it.
	unlock, err := s.cache.lock(s.ctx, s.target)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if tok, err := s.cache.Load(s.target); err == nil && fresh(tok) {
		s.tok = tok
		return tok, nil
	} else if err == nil && tok.RefreshToken != "" {
		s.tok = tok
	}
	old := s.tok.RefreshToken
	tok, err = s.cfg.TokenSource(s.ctx, &oauth2.Token{RefreshToken: old}).Token()
	if err != nil {
		return nil, fmt.Errorf("refreshing the cached OAuth token at %s failed (run 'pgsnow login' again): %s",
			s.cfg.Endpoint.TokenURL, Redact(err.Error(), old, s.cfg.ClientSecret))
	}
	if tok.RefreshToken == "" { // servers without rotation keep the old one valid
		tok.RefreshToken = old
	}
	if err := s.cache.Save(s.target, tok); err != nil {
		return nil, err
	}
	s.tok = tok
	return tok, nil
}

// lock takes the target's refresh lock (a file next to the token).
func (c Cache) lock(ctx context.Context, t Target) (func(), error) {
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("token cache: %w", err)
	}
	fl := flock.New(strings.TrimSuffix(c.Path(t), ".json") + ".lock")
	lctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ok, err := fl.TryLockContext(lctx, 50*time.Millisecond)
	if err != nil || !ok {
		return nil, fmt.Errorf("token cache: waiting for another pgsnow refreshing the token: %v", err)
	}
	return func() { _ = fl.Unlock() }, nil
}
