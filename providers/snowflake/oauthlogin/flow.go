package oauthlogin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Options configure one login.
type Options struct {
	ClientID     string
	ClientSecret string // optional: Okta native apps are public clients
	AuthURL      string
	TokenURL     string
	Scopes       []string
	// Port is the loopback port of the redirect URI
	// http://127.0.0.1:<Port>/callback; 0 picks a free one (only for servers
	// that accept any loopback port, RFC 8252 §7.3).
	Port    int
	Timeout time.Duration // default 5m
	// Out receives the URL to open; never a token.
	Out io.Writer
	// Open, when set, is tried with the URL (a browser); its failure is not
	// fatal since the URL is printed anyway.
	Open func(url string) error
	// HTTPClient is used for the token endpoint (tests); default http.DefaultClient.
	HTTPClient *http.Client
}

// Endpoints derives an Okta authorization server's endpoints from its issuer.
func Endpoints(issuer string) (authURL, tokenURL string) {
	issuer = strings.TrimRight(issuer, "/")
	return issuer + "/v1/authorize", issuer + "/v1/token"
}

// Config is the oauth2 configuration for a redirect URL.
func (o Options) Config(redirectURL string) *oauth2.Config {
	ep := oauth2.Endpoint{AuthURL: o.AuthURL, TokenURL: o.TokenURL}
	if o.ClientSecret == "" {
		// A public client identifies itself in the form (RFC 6749 §2.3).
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	return &oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, RedirectURL: redirectURL, Scopes: o.Scopes, Endpoint: ep}
}

type callback struct {
	code string
	err  error
}

// Login runs the authorization code flow with PKCE and returns the token.
func Login(ctx context.Context, o Options) (*oauth2.Token, error) {
	if o.ClientID == "" || o.AuthURL == "" || o.TokenURL == "" {
		return nil, errors.New("oauth login needs client_id and the authorization and token endpoints (issuer)")
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Minute
	}
	// Loopback only: the code must never be reachable from another host.
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port)))
	if err != nil {
		return nil, fmt.Errorf("oauth login: cannot listen on 127.0.0.1:%d for the redirect: %w", o.Port, err)
	}
	defer ln.Close()
	redirect := fmt.Sprintf("http://%s/callback", ln.Addr().String())
	cfg := o.Config(redirect)
	verifier := oauth2.GenerateVerifier()
	state, err := randomState()
	if err != nil {
		return nil, err
	}

	done := make(chan callback, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/callback" {
			http.NotFound(w, r)
			return
		}
		q := r.URL.Query()
		var cb callback
		switch {
		case q.Get("state") != state:
			// A request without our state is not the browser we sent: refuse
			// it (CSRF) and keep waiting would let an attacker race us, so end.
			cb.err = errors.New("oauth login: the redirect's state does not match this login (refused; start again)")
		case q.Get("error") != "":
			cb.err = fmt.Errorf("oauth login: the authorization server refused: %s %s", clip(q.Get("error")), clip(q.Get("error_description")))
		case q.Get("code") == "":
			cb.err = errors.New("oauth login: the redirect carries no authorization code")
		default:
			cb.code = q.Get("code")
		}
		if cb.err != nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, "<html><body><p>pgsnow login failed: %s</p></body></html>", html.EscapeString(cb.err.Error()))
		} else {
			fmt.Fprint(w, "<html><body><p>pgsnow login succeeded. You can close this window.</p></body></html>")
		}
		select {
		case done <- cb:
		default: // a second redirect after the first is ignored
		}
	})}
	go srv.Serve(ln)
	defer func() {
		// Shutdown, not Close: the browser must still get its page after
		// the handler has handed the code over.
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	fmt.Fprintf(o.Out, "Open this URL in a browser to log in (waiting up to %s):\n\n  %s\n\n", o.Timeout, authURL)
	if o.Open != nil {
		if err := o.Open(authURL); err != nil {
			fmt.Fprintf(o.Out, "(could not open a browser: %v)\n", err)
		}
	}

	timer := time.NewTimer(o.Timeout)
	defer timer.Stop()
	var cb callback
	select {
	case cb = <-done:
	case <-timer.C:
		return nil, fmt.Errorf("oauth login: no redirect from the browser within %s (-timeout); nothing was cached", o.Timeout)
	case <-ctx.Done():
		return nil, fmt.Errorf("oauth login: %w", ctx.Err())
	}
	if cb.err != nil {
		return nil, cb.err
	}
	if o.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, o.HTTPClient)
	}
	tok, err := cfg.Exchange(ctx, cb.code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("oauth login: token request to %s failed: %s", o.TokenURL, Redact(err.Error(), cb.code, verifier, o.ClientSecret))
	}
	return tok, nil
}

func randomState() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// clip bounds what the server's redirect can make us print.
func clip(s string) string {
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// Redact removes every secret from s (token endpoint errors may echo the
// response body).
func Redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}
