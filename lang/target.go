package lang

import (
	"encoding/pem"
	"net/url"
	"os"
	"regexp"

	"github.com/hashicorp/hcl/v2"
)

var targetSchema = &hcl.BodySchema{
	Attributes: attrSchema("account", "database", "warehouse", "role", "user", "host", "port", "protocol"),
	Blocks:     []hcl.BlockHeaderSchema{{Type: "auth"}},
}

var authSchema = &hcl.BodySchema{Attributes: attrSchema(
	"method", "password",
	"token", "token_file", "issuer", "token_url", "authorization_url", "client_id", "client_secret", "scopes",
	"private_key_path", "private_key", "passphrase")}

// Attributes each auth method accepts (besides method).
var authAttrs = map[string][]string{
	"password": {"password"},
	"oauth":    {"token", "token_file", "issuer", "token_url", "authorization_url", "client_id", "client_secret", "scopes"},
	"keypair":  {"private_key_path", "private_key", "passphrase"},
}

// accountRe accepts locator ("xy12345", "xy12345.us-east-1.aws") and
// organization ("myorg-myaccount") account identifiers.
var accountRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func (d *decoder) target(b *hcl.Block) *Target {
	t := &Target{Decl: decl(b), Type: b.Labels[0], Name: b.Labels[1]}
	if t.Type != "snowflake" {
		d.errAt(labelRange(b, 0), "Unsupported target type", "Target type %q is not supported; the only target type is \"snowflake\".", t.Type)
	}
	d.checkName("target", t.Name, labelRange(b, 1))
	c := d.content(b, targetSchema)
	r := d.reader(c.Attributes, &t.Decl)
	for _, req := range []string{"account", "database"} {
		if !r.has(req) {
			d.missing(&t.Decl, "target", req, "")
		}
	}
	if a, ok := r.nonEmpty("account"); ok {
		if !accountRe.MatchString(a) {
			r.errorf("account", "Invalid account", "Account identifier %s may contain only letters, digits, \".\", \"_\" and \"-\" (e.g. \"xy12345\" or \"myorg-myaccount\").", r.q("account", a))
		}
		t.Account = a
	}
	t.Database, _ = d.ident(r, "database")
	t.Warehouse, _ = d.ident(r, "warehouse")
	t.Role, _ = d.ident(r, "role")
	t.User, _ = r.nonEmpty("user")
	t.Host, _ = r.nonEmpty("host")
	t.Protocol = "https"
	if p, ok := r.enum("protocol", "https", "http"); ok {
		t.Protocol = p
	}
	t.Port = 443
	if t.Protocol == "http" {
		t.Port = 80
	}
	if p, ok := r.integer("port", 1, 65535); ok {
		t.Port = int(p)
	}

	switch len(c.Blocks) {
	case 0:
		d.missing(&t.Decl, "target", "auth", " block (method = \"password\", \"oauth\" or \"keypair\")")
	default:
		t.Auth = d.auth(c.Blocks[0])
		d.dupBlocks(c.Blocks, "auth", "a target has one auth block")
	}
	if t.Auth.Method != "oauth" && t.Auth.Method != "" && !r.has("user") {
		d.missing(&t.Decl, "target", "user", " for "+t.Auth.Method+" authentication")
	}
	return t
}

// ident reads a Snowflake object name (database, warehouse, role).
func (d *decoder) ident(r *attrReader, name string) (string, bool) {
	s, ok := r.nonEmpty(name)
	if ok && len(s) > maxIdentLen {
		r.errorf(name, "Invalid "+name, "%q is longer than Snowflake's %d-character identifier limit.", name, maxIdentLen)
		return "", false
	}
	return s, ok
}

func (d *decoder) auth(b *hcl.Block) Auth {
	a := Auth{Decl: decl(b)}
	c := d.content(b, authSchema)
	r := d.reader(c.Attributes, &a.Decl)
	if !r.has("method") {
		d.missing(&a.Decl, "auth", "method", " (\"password\", \"oauth\" or \"keypair\")")
		return a
	}
	m, ok := r.enum("method", "password", "oauth", "keypair")
	if !ok {
		return a
	}
	a.Method = m
	for _, other := range []string{"keypair", "oauth", "password"} {
		if other != m {
			r.only("with method = \""+m+"\"", authAttrs[other]...)
		}
	}
	switch m {
	case "password":
		if !r.has("password") {
			d.missing(&a.Decl, "auth", "password", " for method \"password\"")
		}
		a.Password, _ = r.secret("password")
	case "oauth":
		d.oauth(r, &a)
	case "keypair":
		d.keypair(r, &a)
	}
	return a
}

// oauth accepts exactly one token source: token, token_file, a client
// credentials grant (client_id + client_secret + issuer or token_url), or
// a public client (client_id without client_secret) whose token
// `pgsnow login` obtains in a browser and caches.
func (d *decoder) oauth(r *attrReader, a *Auth) {
	n := 0
	for _, k := range []string{"token", "token_file", "client_id"} {
		if r.has(k) {
			n++
		}
	}
	if n != 1 {
		r.errorf("method", "Invalid oauth settings", "method \"oauth\" needs exactly one of token, token_file, or client_id with issuer or token_url (client_secret for the client credentials grant; without it, `pgsnow login` obtains the token).")
	}
	a.Token, _ = r.secret("token")
	a.TokenFile, _ = r.nonEmpty("token_file")
	if !r.has("client_id") {
		r.only("without client_id", "client_secret", "issuer", "token_url", "authorization_url", "scopes")
		return
	}
	a.ClientID, _ = r.nonEmpty("client_id")
	a.ClientSecret, _ = r.secret("client_secret")
	if r.has("issuer") == r.has("token_url") {
		r.errorf("client_id", "Invalid oauth settings", "client_id needs exactly one of issuer (an Okta authorization server, token endpoint <issuer>/v1/token) or token_url.")
	}
	if !r.has("client_secret") && r.has("token_url") && !r.has("authorization_url") {
		d.missing(&a.Decl, "auth", "authorization_url", " with token_url and no client_secret (pgsnow login opens it in a browser)")
	}
	if r.has("client_secret") {
		r.only("with client_secret (client credentials grant)", "authorization_url")
	}
	for _, k := range []string{"issuer", "token_url", "authorization_url"} {
		if s, ok := r.nonEmpty(k); ok {
			if u, err := url.Parse(s); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				r.errorf(k, "Invalid "+k, "%q must be an http(s) URL.", k)
			} else {
				switch k {
				case "issuer":
					a.Issuer = s
				case "token_url":
					a.TokenURL = s
				default:
					a.AuthorizationURL = s
				}
			}
		}
	}
	a.Scopes, _ = r.strList("scopes")
}

func (d *decoder) keypair(r *attrReader, a *Auth) {
	if r.has("private_key_path") == r.has("private_key") {
		r.errorf("method", "Invalid keypair settings", "method \"keypair\" needs exactly one of private_key_path or private_key.")
	}
	if p, ok := r.nonEmpty("private_key_path"); ok {
		a.PrivateKeyPath = p
		if st, err := os.Stat(resolvePath(d.dir, p)); err != nil || !st.Mode().IsRegular() {
			r.errorf("private_key_path", "Private key file not found", "private_key_path %s is not a readable file (relative paths are relative to the spec directory).", r.q("private_key_path", p))
		}
	}
	if k, ok := r.secret("private_key"); ok {
		a.PrivateKey = k
		if !isPrivateKeyPEM(k.Reveal()) {
			r.errorf("private_key", "Invalid private_key", "private_key must be a PEM-encoded private key (-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----).")
		}
	}
	a.Passphrase, _ = r.secret("passphrase")
}

func isPrivateKeyPEM(s string) bool {
	blk, _ := pem.Decode([]byte(s))
	if blk == nil {
		return false
	}
	switch blk.Type {
	case "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY":
		return true
	}
	return false
}
