package snowflake

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	sf "github.com/snowflakedb/gosnowflake"
	"golang.org/x/oauth2"
)

func init() {
	// The driver's own logger writes to stderr; pgsnow reports through its
	// run log and errors instead, so only fatal driver messages remain.
	_ = sf.GetLogger().SetLogLevel("fatal")
}

// Config says where and how to connect. Secret fields are never formatted
// into errors by this package.
type Config struct {
	Account, User                     string
	Database, Schema, Warehouse, Role string
	// Host, Port and Protocol override the endpoint derived from Account
	// (private link, or the local emulator over http).
	Host     string
	Port     int
	Protocol string
	Auth     Auth
	// LoginTimeout bounds the whole login, retries included (default 60s).
	LoginTimeout time.Duration
}

// Auth is one of: password; oauth with a TokenSource, a fixed Token, a
// TokenFile, or a client-credentials grant (TokenURL, ClientID,
// ClientSecret, Scopes); keypair with a PEM private key.
//
// An OAuth access token is obtained for every new session, since a
// command's pool opens sessions long after Open: from TokenSource, from
// the file (re-read), or from a new grant once the last one expires. A
// fixed Token cannot be renewed.
type Auth struct {
	Method    string // password | oauth | keypair
	Password  string
	Token     string
	TokenFile string
	// TokenSource, when set, is asked for the token of each new session
	// (pgsnow login's cache) and wins over Token; safe for concurrent use.
	TokenSource  oauth2.TokenSource
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	PrivateKey   []byte // PEM: PKCS#8 or PKCS#1, unencrypted
}

// Open connects and checks the login with a round trip. The *sql.DB keeps
// pgsnow's session parameters on every connection it opens.
func Open(ctx context.Context, cfg Config) (*sql.DB, error) {
	dc, err := driverConfig(cfg)
	if err != nil {
		return nil, err
	}
	c, err := newConnector(ctx, cfg, dc)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, connectError(cfg, err)
	}
	return db, nil
}

func driverConfig(cfg Config) (*sf.Config, error) {
	ignoreCase, tz := "false", "'UTC'"
	dc := &sf.Config{
		Account: cfg.Account, User: cfg.User,
		Database: cfg.Database, Schema: cfg.Schema, Warehouse: cfg.Warehouse, Role: cfg.Role,
		Host: cfg.Host, Port: cfg.Port, Protocol: cfg.Protocol,
		LoginTimeout:     cfg.LoginTimeout,
		Application:      "pgsnow",
		DisableTelemetry: true,
		Params: map[string]*string{
			"QUOTED_IDENTIFIERS_IGNORE_CASE": &ignoreCase,
			"TIMEZONE":                       &tz,
		},
	}
	if dc.LoginTimeout == 0 {
		dc.LoginTimeout = 60 * time.Second
	}
	switch cfg.Auth.Method {
	case "", "password":
		if cfg.Auth.Password == "" {
			return nil, errors.New("snowflake: password authentication needs a password")
		}
		dc.Authenticator, dc.Password = sf.AuthTypeSnowflake, cfg.Auth.Password
	case "oauth":
		// newConnector supplies the token, session by session.
		dc.Authenticator = sf.AuthTypeOAuth
	case "keypair":
		key, err := ParsePrivateKey(cfg.Auth.PrivateKey)
		if err != nil {
			return nil, err
		}
		dc.Authenticator, dc.PrivateKey = sf.AuthTypeJwt, key
	default:
		return nil, fmt.Errorf("snowflake: unknown auth method %q (password, oauth or keypair)", cfg.Auth.Method)
	}
	return dc, nil
}

// ParsePrivateKey reads an RSA private key in PEM (PKCS#8 or PKCS#1).
func ParsePrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("snowflake: the private key is not PEM")
	}
	if strings.Contains(block.Type, "ENCRYPTED") {
		return nil, errors.New("snowflake: the private key is encrypted; decrypt it first (openssl pkcs8 -topk8 -nocrypt) — encrypted keys are not supported yet")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("snowflake: the private key is not an RSA key (Snowflake key-pair auth uses RSA)")
		}
		return rk, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	return nil, errors.New("snowflake: cannot parse the private key (expected PKCS#8 or PKCS#1 RSA)")
}

// connectError names what failed without echoing any credential.
func connectError(cfg Config, err error) error {
	msg := redact(err.Error(), cfg.Auth.Password, cfg.Auth.Token, cfg.Auth.ClientSecret)
	var sess *sessionError
	var se *sf.SnowflakeError
	if errors.As(err, &sess) {
		msg = sess.detail // redacted, with the token it presented
	} else if errors.As(err, &se) {
		msg = redact(se.Error(), cfg.Auth.Password, cfg.Auth.Token, cfg.Auth.ClientSecret)
	}
	return fmt.Errorf("snowflake: cannot log in to account %q as %q at %s: %s", cfg.Account, cfg.User, endpoint(cfg), msg)
}

func endpoint(cfg Config) string {
	if cfg.Host == "" {
		return cfg.Account + ".snowflakecomputing.com"
	}
	proto := cfg.Protocol
	if proto == "" {
		proto = "https"
	}
	if cfg.Port == 0 {
		return proto + "://" + cfg.Host
	}
	return fmt.Sprintf("%s://%s:%d", proto, cfg.Host, cfg.Port)
}

func redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "(sensitive)")
		}
	}
	return s
}
