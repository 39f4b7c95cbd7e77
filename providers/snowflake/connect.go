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
	"golang.org/x/oauth2/clientcredentials"
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

// Auth is one of: password; oauth with a ready Token, a TokenFile, or a
// client-credentials grant (TokenURL, ClientID, ClientSecret, Scopes);
// keypair with a PEM private key.
type Auth struct {
	Method       string // password | oauth | keypair
	Password     string
	Token        string
	TokenFile    string
	TokenURL     string
	ClientID     string
	ClientSecret string
	Scopes       []string
	PrivateKey   []byte // PEM: PKCS#8 or PKCS#1, unencrypted
}

// Open connects and checks the login with a round trip. The *sql.DB keeps
// pgsnow's session parameters on every connection it opens.
func Open(ctx context.Context, cfg Config) (*sql.DB, error) {
	dc, err := driverConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(sf.NewConnector(sf.SnowflakeDriver{}, *dc))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, connectError(cfg, err)
	}
	return db, nil
}

func driverConfig(ctx context.Context, cfg Config) (*sf.Config, error) {
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
		tok, err := oauthToken(ctx, cfg.Auth)
		if err != nil {
			return nil, err
		}
		dc.Authenticator = sf.AuthTypeOAuth
		if tok != "" {
			dc.Token = tok
		} else {
			dc.TokenFilePath = cfg.Auth.TokenFile
		}
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

// oauthToken returns the access token to present, or "" when the driver
// should read TokenFile itself (so a refreshed file is picked up).
func oauthToken(ctx context.Context, a Auth) (string, error) {
	switch {
	case a.Token != "":
		return a.Token, nil
	case a.TokenFile != "":
		return "", nil
	case a.TokenURL != "":
		cc := clientcredentials.Config{ClientID: a.ClientID, ClientSecret: a.ClientSecret, TokenURL: a.TokenURL, Scopes: a.Scopes}
		tok, err := cc.Token(ctx)
		if err != nil {
			// oauth2 errors may quote the server's response, never our secret.
			return "", fmt.Errorf("snowflake: OAuth token request to %s failed: %v", a.TokenURL, redact(err.Error(), a.ClientSecret))
		}
		return tok.AccessToken, nil
	}
	return "", errors.New("snowflake: oauth authentication needs a token, a token_file, or token_url with client_id and client_secret")
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
	var se *sf.SnowflakeError
	if errors.As(err, &se) {
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
