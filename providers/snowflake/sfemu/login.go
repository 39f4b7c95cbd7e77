package sfemu

import (
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

type loginRequest struct {
	Data struct {
		AccountName       string         `json:"ACCOUNT_NAME"`
		LoginName         string         `json:"LOGIN_NAME"`
		Password          string         `json:"PASSWORD"`
		Authenticator     string         `json:"AUTHENTICATOR"`
		Token             string         `json:"TOKEN"`
		SessionParameters map[string]any `json:"SESSION_PARAMETERS"`
	} `json:"data"`
}

func badCredentials() *sfError {
	return newErr("390100", "08004", "Incorrect username or password was specified.")
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeFailure(w, newErr("390101", "08004", "Malformed login request."), "")
		return
	}
	d := req.Data
	if !s.accountOK(d.AccountName) {
		// Snowflake answers an unknown account at the HTTP level.
		http.Error(w, "account not found", http.StatusForbidden)
		return
	}
	var user *User
	var e *sfError
	switch strings.ToUpper(d.Authenticator) {
	case "", "SNOWFLAKE":
		user, e = s.checkPassword(d.LoginName, d.Password)
	case "OAUTH":
		user, e = s.checkOAuth(d.LoginName, d.Token)
	case "SNOWFLAKE_JWT":
		user, e = s.checkJWT(d.AccountName, d.Token)
	default:
		e = newErr("390132", "08004", "Authenticator '%s' is not supported by the emulator.", d.Authenticator)
	}
	if e != nil {
		s.logf("sfemu: login refused (%s)", e.Code)
		writeFailure(w, e, "")
		return
	}
	q := r.URL.Query()
	se, err := s.newSession(r.Context(), user, d.AccountName, d.SessionParameters,
		q.Get("databaseName"), q.Get("schemaName"), q.Get("warehouse"), q.Get("roleName"))
	if err != nil {
		writeFailure(w, asSF(err), "")
		return
	}
	s.logf("sfemu: login %s session %d", user.Name, se.id)
	writeJSON(w, map[string]any{
		"data": map[string]any{
			"token":                   se.token,
			"validityInSeconds":       int(se.validity().Seconds()),
			"masterToken":             se.master,
			"masterValidityInSeconds": 4 * 3600,
			"sessionId":               se.id,
			"serverVersion":           "9.0.0 (sfemu)",
			"displayUserName":         user.Name,
			"firstLogin":              false,
			"healthCheckInterval":     45,
			"parameters":              se.paramList(),
			"sessionInfo":             se.info(),
		},
		"code": nil, "message": nil, "success": true,
	})
}

func asSF(err error) *sfError {
	if e, ok := fromPG(err).(*sfError); ok {
		return e
	}
	return newErr("000603", "XX000", "SQL execution internal error:\n%v", err)
}

func (s *Server) accountOK(name string) bool {
	if len(s.cfg.Accounts) == 0 {
		return true
	}
	for _, a := range s.cfg.Accounts {
		if strings.EqualFold(a, name) || strings.EqualFold(a, accountPart(name)) {
			return true
		}
	}
	return false
}

// accountPart strips region/cloud suffixes ("acct.us-east-1" → "acct"), as the
// driver does when it builds the JWT issuer.
func accountPart(a string) string {
	if i := strings.IndexByte(a, '.'); i >= 0 {
		a = a[:i]
	}
	return strings.ToUpper(a)
}

func (s *Server) findUser(name string) *User {
	for i := range s.cfg.Users {
		// Login names are case-insensitive in Snowflake.
		if strings.EqualFold(s.cfg.Users[i].Name, name) {
			return &s.cfg.Users[i]
		}
	}
	return nil
}

func (s *Server) checkPassword(login, password string) (*User, *sfError) {
	u := s.findUser(login)
	if u == nil || u.Password == "" || subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) != 1 {
		return nil, badCredentials()
	}
	return u, nil
}

func (s *Server) checkOAuth(login, token string) (*User, *sfError) {
	owner, e := s.oauthOwner(token)
	if e != nil {
		return nil, e
	}
	u := s.findUser(owner)
	if u == nil || (login != "" && !strings.EqualFold(login, owner)) {
		return nil, newErr("390309", "08004", "The user you were trying to authenticate as differs from the user tied to the access token.")
	}
	return u, nil
}

// checkJWT verifies a key-pair login token: RS256, issuer
// ACCOUNT.USER.SHA256:<base64 sha256 of the DER public key>, subject ACCOUNT.USER
// (https://docs.snowflake.com/en/user-guide/key-pair-auth).
func (s *Server) checkJWT(account, tokenString string) (*User, *sfError) {
	invalid := newErr("390144", "08004", "JWT token is invalid.")
	var claims jwt.MapClaims
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired())
	var user *User
	_, err := parser.ParseWithClaims(tokenString, &claims, func(t *jwt.Token) (any, error) {
		sub, _ := claims["sub"].(string)
		iss, _ := claims["iss"].(string)
		acct, name, ok := strings.Cut(sub, ".")
		if !ok || !strings.EqualFold(acct, accountPart(account)) {
			return nil, fmt.Errorf("bad subject")
		}
		user = s.findUser(name)
		if user == nil || user.PublicKey == nil {
			return nil, fmt.Errorf("no key")
		}
		fp, err := fingerprint(user.PublicKey)
		if err != nil {
			return nil, err
		}
		if iss != strings.ToUpper(sub)+"."+fp && iss != sub+"."+fp {
			return nil, fmt.Errorf("issuer does not name the registered key")
		}
		return user.PublicKey, nil
	})
	if err != nil || user == nil {
		return nil, invalid
	}
	return user, nil
}

// fingerprint is "SHA256:" + base64(sha256(DER SubjectPublicKeyInfo)).
func fingerprint(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	return "SHA256:" + base64.StdEncoding.EncodeToString(sum[:]), nil
}

// handleTokenRequest renews a session token with the master token.
func (s *Server) handleTokenRequest(w http.ResponseWriter, r *http.Request) {
	var body struct {
		OldSessionToken string `json:"oldSessionToken"`
		RequestType     string `json:"requestType"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	master := tokenFromHeader(r)
	s.mu.Lock()
	se := s.masters[master]
	s.mu.Unlock()
	if se == nil || master == "" {
		writeFailure(w, newErr("390114", "08001", "Authentication token has expired.  The user must authenticate again."), "")
		return
	}
	old, tok := se.renew()
	s.mu.Lock()
	delete(s.sessions, old)
	s.sessions[tok] = se
	s.mu.Unlock()
	s.faults.renewals.Add(1)
	writeJSON(w, map[string]any{
		"data": map[string]any{
			"sessionToken":        tok,
			"validityInSecondsST": int(se.validity().Seconds()),
			"masterToken":         se.master,
			"validityInSecondsMT": 4 * 3600,
			"sessionId":           se.id,
		},
		"code": nil, "message": nil, "success": true,
	})
}

// handleSession handles POST /session?delete=true (logout).
func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("delete") != "true" {
		writeFailure(w, newErr("390400", "08001", "Unsupported session request."), "")
		return
	}
	tok := tokenFromHeader(r)
	s.mu.Lock()
	se := s.sessions[tok]
	if se != nil {
		delete(s.sessions, tok)
		delete(s.masters, se.master)
	}
	s.mu.Unlock()
	if se == nil {
		writeFailure(w, newErr("390112", "08001", "Your session has expired. Please login again."), "")
		return
	}
	se.close()
	writeJSON(w, map[string]any{"data": nil, "code": nil, "message": nil, "success": true})
}

func (s *Server) handleHeartbeat(w http.ResponseWriter, r *http.Request) {
	if _, e := s.sessionFor(r); e != nil {
		writeFailure(w, e, "")
		return
	}
	writeJSON(w, map[string]any{"data": nil, "code": nil, "message": nil, "success": true})
}

func (s *Server) handleTelemetry(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]any{"data": "Log Received", "code": nil, "message": nil, "success": true})
}

// handleAbort answers abort-request. Statements run synchronously, so by the
// time the driver asks, the statement has finished or been cancelled with its
// HTTP request; Snowflake answers 000605 for a query that is not executing.
func (s *Server) handleAbort(w http.ResponseWriter, r *http.Request) {
	if _, e := s.sessionFor(r); e != nil {
		writeFailure(w, e, "")
		return
	}
	writeFailure(w, newErr("000605", "01000", "Identified SQL statement is not currently executing."), "")
}

func (s *Server) newSession(ctx context.Context, u *User, account string, params map[string]any, db, schema, wh, role string) (*session, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	se, err := openSession(ctx, s, u, account, params)
	if err != nil {
		return nil, err
	}
	se.warehouse = firstNonEmpty(foldName(wh), foldName(u.DefaultWarehouse))
	se.role = firstNonEmpty(foldName(role), foldName(u.DefaultRole), "PUBLIC")
	// An unknown database or schema at login leaves it unset, as Snowflake does.
	if d := firstNonEmpty(db, u.DefaultDatabase); d != "" {
		_ = se.use(ctx, "DATABASE", foldName(d))
		if sc := firstNonEmpty(schema, u.DefaultSchema); sc != "" && se.db != "" {
			_ = se.use(ctx, "SCHEMA", foldName(sc))
		}
	}
	s.mu.Lock()
	s.nextID++
	se.id = s.nextID
	s.sessions[se.token] = se
	s.masters[se.master] = se
	s.mu.Unlock()
	return se, nil
}

// foldName treats a name given outside SQL (connection parameters) like an
// identifier: "quoted" keeps its case, anything else folds to upper case.
func foldName(n string) string {
	if len(n) >= 2 && n[0] == '"' && n[len(n)-1] == '"' {
		return strings.ReplaceAll(n[1:len(n)-1], `""`, `"`)
	}
	return strings.ToUpper(n)
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}
