// Package oauthtest is a fake OAuth 2.0 authorization server (Okta-shaped
// paths) for tests of the authorization code flow with PKCE: it checks
// what a real server checks and issues access and refresh tokens.
package oauthtest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Server is an authorization server at URL (the issuer): URL/v1/authorize
// and URL/v1/token.
type Server struct {
	*httptest.Server
	ClientID string
	// ExpiresIn is the lifetime of issued access tokens in seconds (0: 3600).
	ExpiresIn int
	// BadState makes the authorize endpoint redirect with another state.
	BadState bool
	// Deny makes the authorize endpoint redirect with error=access_denied.
	Deny bool
	// ClientSecret, when set, enables the client credentials grant for
	// ClientID with this secret (a confidential client).
	ClientSecret string
	// OnIssue, when set, is told each access token issued and its expiry
	// (a test hands it to the emulator, which trusts this server).
	OnIssue func(access string, expires time.Time)

	mu       sync.Mutex
	n        int
	codes    map[string]grant
	refresh  map[string]bool
	Issued   []string // access tokens, in order
	Refreshs int      // refresh grants served
}

type grant struct{ challenge, redirect string }

// New starts a server that accepts clientID (a public client).
func New(clientID string) *Server {
	s := &Server{ClientID: clientID, codes: map[string]grant{}, refresh: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/authorize", s.authorize)
	mux.HandleFunc("/v1/token", s.token)
	s.Server = httptest.NewServer(mux)
	return s
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ru, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("response_type") != "code":
		http.Error(w, "response_type must be code", http.StatusBadRequest)
	case q.Get("client_id") != s.ClientID:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		http.Error(w, "PKCE with S256 required", http.StatusBadRequest)
	case q.Get("state") == "":
		http.Error(w, "state required", http.StatusBadRequest)
	case err != nil || ru.Scheme != "http" || ru.Hostname() != "127.0.0.1" || ru.Path != "/callback":
		http.Error(w, "redirect_uri must be http://127.0.0.1:PORT/callback", http.StatusBadRequest)
	default:
		s.mu.Lock()
		s.n++
		code := fmt.Sprintf("code-%d", s.n)
		s.codes[code] = grant{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		s.mu.Unlock()
		state := q.Get("state")
		if s.Deny {
			http.Redirect(w, r, ru.String()+"?"+url.Values{"error": {"access_denied"}, "error_description": {"User is not assigned to the client application."}, "state": {state}}.Encode(), http.StatusFound)
			return
		}
		if s.BadState {
			state = "forged"
		}
		http.Redirect(w, r, ru.String()+"?"+url.Values{"code": {code}, "state": {state}}.Encode(), http.StatusFound)
	}
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		oauthError(w, "invalid_request")
		return
	}
	f := r.PostForm
	id := f.Get("client_id")
	if u, _, ok := r.BasicAuth(); ok {
		id = u
	}
	if id != s.ClientID {
		oauthError(w, "invalid_client")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch f.Get("grant_type") {
	case "authorization_code":
		g, ok := s.codes[f.Get("code")]
		delete(s.codes, f.Get("code")) // one use only
		sum := sha256.Sum256([]byte(f.Get("code_verifier")))
		if !ok || g.redirect != f.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			oauthError(w, "invalid_grant")
			return
		}
	case "client_credentials":
		sec := f.Get("client_secret")
		if _, p, ok := r.BasicAuth(); ok {
			sec = p
		}
		if s.ClientSecret == "" || sec != s.ClientSecret {
			oauthError(w, "invalid_client")
			return
		}
		// RFC 6749 §4.4.3: no refresh token for this grant.
		tok := s.issueLocked(false)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"access_token": tok.AccessToken, "token_type": "Bearer", "expires_in": s.expiresIn()})
		return
	case "refresh_token":
		if !s.refresh[f.Get("refresh_token")] {
			oauthError(w, "invalid_grant")
			return
		}
		delete(s.refresh, f.Get("refresh_token")) // rotation
		s.Refreshs++
	default:
		oauthError(w, "unsupported_grant_type")
		return
	}
	tok := s.issueLocked(true)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": tok.AccessToken, "refresh_token": tok.RefreshToken, "token_type": "Bearer", "expires_in": s.expiresIn()})
}

func (s *Server) expiresIn() int {
	if s.ExpiresIn == 0 {
		return 3600
	}
	return s.ExpiresIn
}

// issueLocked mints an access token (and a refresh token when asked).
func (s *Server) issueLocked(withRefresh bool) *oauth2.Token {
	s.n++
	tok := &oauth2.Token{AccessToken: fmt.Sprintf("access-%d", s.n), TokenType: "Bearer",
		Expiry: time.Now().Add(time.Duration(s.expiresIn()) * time.Second)}
	if withRefresh {
		tok.RefreshToken = fmt.Sprintf("refresh-%d", s.n)
		s.refresh[tok.RefreshToken] = true
	}
	s.Issued = append(s.Issued, tok.AccessToken)
	if s.OnIssue != nil {
		s.OnIssue(tok.AccessToken, tok.Expiry)
	}
	return tok
}

// LoggedIn issues tokens as a completed authorization code flow would,
// without the browser: for tests of what happens after 'pgsnow login'.
func (s *Server) LoggedIn() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked(true)
}

func oauthError(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"error": code})
}

// LastIssued is the most recent access token.
func (s *Server) LastIssued() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.Issued) == 0 {
		return ""
	}
	return s.Issued[len(s.Issued)-1]
}

// Follow does what a browser does with the login URL: GET it and follow
// the redirect to the loopback callback. It returns the callback's status.
func Follow(loginURL string) (int, error) {
	resp, err := http.Get(loginURL)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// URLFrom finds the login URL in output printed by the flow.
func URLFrom(out string) string {
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://") {
			return f
		}
	}
	return ""
}
