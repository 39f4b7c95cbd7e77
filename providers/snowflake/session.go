package snowflake

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	sf "github.com/snowflakedb/gosnowflake"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Snowflake's login errors for an OAuth access token: invalid, expired.
const (
	codeInvalidOAuthToken = 390303
	codeExpiredOAuthToken = 390318
)

// connector opens every session of a *sql.DB. database/sql calls Connect
// whenever its pool grows or replaces a dropped connection, possibly hours
// into a command: the OAuth access token is asked for then, not at Open,
// so a command outlives any one token.
type connector struct {
	drv    sf.SnowflakeDriver
	cfg    sf.Config
	tokens oauth2.TokenSource // nil: cfg already says how to log in
	// fixed: the token is the spec's literal value, which nothing can renew.
	fixed   bool
	secrets []string
	tokErr  func(error) error
}

func (c *connector) Driver() driver.Driver { return c.drv }

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	cfg := c.cfg
	if c.tokens != nil {
		tok, err := c.tokens.Token()
		if err != nil {
			return nil, c.tokErr(err)
		}
		cfg.Token = tok.AccessToken
	}
	conn, err := sf.NewConnector(c.drv, cfg).Connect(ctx)
	if err != nil {
		return nil, &sessionError{detail: c.detail(err, cfg.Token), err: err}
	}
	return conn, nil
}

// detail is err's message without any credential, with a hint when a
// fixed token is refused.
func (c *connector) detail(err error, token string) string {
	msg := err.Error()
	var se *sf.SnowflakeError
	if errors.As(err, &se) {
		msg = se.Error()
		if c.fixed && (se.Number == codeExpiredOAuthToken || se.Number == codeInvalidOAuthToken) {
			msg += " (the target's token is a fixed value that pgsnow cannot refresh; for commands that outlive it give token_file, client credentials, or log in with 'pgsnow login')"
		}
	}
	return redact(msg, append(slices.Clip(c.secrets), token)...) // concurrent Connects
}

// tokenFile reads an access token from a file, without the surrounding
// white space: `echo "$TOKEN" > file` leaves a newline that the driver
// (which does not trim) would send as part of the token. Errors name the
// file, never its content.
func tokenFile(path string) oauth2.TokenSource {
	return grant(func() (*oauth2.Token, error) {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, err // *PathError: the operation and the path
		}
		tok := strings.TrimSpace(string(raw))
		if tok == "" {
			return nil, fmt.Errorf("%s is empty", path)
		}
		if strings.ContainsAny(tok, " \t\r\n") {
			return nil, fmt.Errorf("%s holds more than one line or word; it must hold the access token alone", path)
		}
		return &oauth2.Token{AccessToken: tok}, nil
	})
}

// grant adapts a token request to oauth2.TokenSource.
type grant func() (*oauth2.Token, error)

func (g grant) Token() (*oauth2.Token, error) { return g() }

// sessionError is a failed login of a new session. Unwrap keeps the
// driver's error for errors.Is/As (driver.ErrBadConn, *SnowflakeError);
// only the redacted detail is ever printed.
type sessionError struct {
	detail string
	err    error
}

func (e *sessionError) Error() string { return "snowflake: cannot open a session: " + e.detail }
func (e *sessionError) Unwrap() error { return e.err }

// newConnector builds the connector for cfg and, for OAuth, checks that a
// token can be had now (a clear error before any login).
func newConnector(ctx context.Context, cfg Config, dc *sf.Config) (*connector, error) {
	a := cfg.Auth
	c := &connector{cfg: *dc, secrets: []string{a.Password, a.Token, a.ClientSecret}}
	if a.Method != "oauth" {
		return c, nil
	}
	c.cfg.Authenticator = sf.AuthTypeOAuth
	c.tokErr = func(err error) error {
		return fmt.Errorf("snowflake: OAuth token: %s", redact(err.Error(), c.secrets...))
	}
	switch {
	case a.TokenSource != nil:
		c.tokens = a.TokenSource
	case a.Token != "":
		c.cfg.Token, c.fixed = a.Token, true
		return c, nil
	case a.TokenFile != "":
		// Read at every login, so an agent that rewrites the file keeps new
		// sessions supplied.
		c.tokens = tokenFile(a.TokenFile)
		c.tokErr = func(err error) error { return fmt.Errorf("snowflake: OAuth token_file: %w", err) }
	case a.TokenURL != "":
		cc := clientcredentials.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, TokenURL: a.TokenURL, Scopes: a.Scopes}
		// The source outlives Open's ctx (it serves later sessions), and
		// a hung token endpoint must not hang a login forever.
		tctx := context.WithoutCancel(ctx)
		if tctx.Value(oauth2.HTTPClient) == nil {
			tctx = context.WithValue(tctx, oauth2.HTTPClient, &http.Client{Timeout: time.Minute})
		}
		// Reused until a minute before it expires (a login may take that
		// long with retries), then a new grant.
		c.tokens = oauth2.ReuseTokenSourceWithExpiry(nil, grant(func() (*oauth2.Token, error) { return cc.Token(tctx) }), time.Minute)
		c.tokErr = func(err error) error {
			// oauth2 errors may quote the server's response, never our secret.
			return fmt.Errorf("snowflake: OAuth token request to %s failed: %v", a.TokenURL, redact(err.Error(), c.secrets...))
		}
	default:
		return nil, errors.New("snowflake: oauth authentication needs a token, a token_file, or token_url with client_id and client_secret")
	}
	if _, err := c.tokens.Token(); err != nil {
		return nil, c.tokErr(err)
	}
	return c, nil
}
