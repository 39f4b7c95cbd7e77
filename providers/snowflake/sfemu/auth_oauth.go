package sfemu

import (
	"sync"
	"time"
)

// oauthGrants are OAuth access tokens accepted besides Config.OAuthTokens,
// each with its expiry, as an External OAuth integration accepts a token
// its authorization server signed with an exp claim.
type oauthGrants struct {
	mu     sync.Mutex
	tokens map[string]oauthGrant
}

type oauthGrant struct {
	user    string
	expires time.Time // zero: never
}

// GrantOAuthToken makes token log in as user until expires (zero: no
// expiry). A test's authorization server calls it for each token it issues.
// Only logins check the expiry: a session opened with the token lives on
// by its own session and master tokens, as in Snowflake.
func (s *Server) GrantOAuthToken(token, user string, expires time.Time) {
	g := &s.oauth
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.tokens == nil {
		g.tokens = map[string]oauthGrant{}
	}
	g.tokens[token] = oauthGrant{user: user, expires: expires}
}

// ExpireOAuthToken makes a granted token expired now, standing for the
// time passing in tests (no sleeping). It reports whether the token was granted.
func (s *Server) ExpireOAuthToken(token string) bool {
	g := &s.oauth
	g.mu.Lock()
	defer g.mu.Unlock()
	gr, ok := g.tokens[token]
	if ok {
		gr.expires = time.Now().Add(-time.Second)
		g.tokens[token] = gr
	}
	return ok
}

// oauthOwner resolves an access token to its user: 390303 for a token
// never issued, 390318 for an expired one (the code Snowflake documents
// for an expired access token, and gosnowflake's expiredOAuthAccessTokenCode).
func (s *Server) oauthOwner(token string) (string, *sfError) {
	if owner, ok := s.cfg.OAuthTokens[token]; ok && token != "" {
		return owner, nil
	}
	g := &s.oauth
	g.mu.Lock()
	gr, ok := g.tokens[token]
	g.mu.Unlock()
	switch {
	case !ok || token == "":
		return "", newErr("390303", "08004", "Invalid OAuth access token. ")
	case !gr.expires.IsZero() && !time.Now().Before(gr.expires):
		return "", newErr("390318", "08004", "OAuth access token expired.")
	}
	return gr.user, nil
}
