package lang

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// Secret holds a password, token, private key, client secret or DSN. Every
// way of printing it (fmt verbs, JSON, text marshalling, slog) yields
// "(sensitive)", so a secret cannot reach a log, plan or error by accident;
// Reveal is the one explicit way to read it.
type Secret string

const redacted = "(sensitive)"

// Reveal returns the secret value. Call it only where the value is handed
// to a driver.
func (s Secret) Reveal() string { return string(s) }

// IsSet reports whether the secret is non-empty.
func (s Secret) IsSet() bool { return s != "" }

func (s Secret) String() string   { return s.mask() }
func (s Secret) GoString() string { return `lang.Secret("` + redacted + `")` }

// Format makes every fmt verb, including %x and %q, print the mask.
func (s Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.mask())) }

func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.mask() + `"`), nil }
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.mask()), nil }
func (s Secret) LogValue() slog.Value         { return slog.StringValue(s.mask()) }

func (s Secret) mask() string {
	if s == "" {
		return ""
	}
	return redacted
}

// RedactedDSN returns the DSN without its password, for display.
func (s Secret) RedactedDSN() string { return RedactDSN(string(s)) }

// RedactDSN drops the password (and sslpassword) from a PostgreSQL
// connection string in URI or keyword/value form. A string it cannot parse
// is replaced entirely, since it might hide a password anywhere.
func RedactDSN(dsn string) string {
	if isURIDSN(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return "postgres://" + redacted
		}
		if u.User != nil {
			u.User = url.User(u.User.Username())
		}
		q := u.Query()
		if q.Has("password") || q.Has("sslpassword") {
			q.Del("password")
			q.Del("sslpassword")
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	kvs, err := parseKeywordDSN(dsn)
	if err != nil {
		return redacted
	}
	var b strings.Builder
	for _, kv := range kvs {
		if kv[0] == "password" || kv[0] == "sslpassword" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(kv[0] + "=" + quoteKeywordValue(kv[1]))
	}
	return b.String()
}

// dsnHasPassword reports whether a (valid) DSN carries a password.
func dsnHasPassword(dsn string) bool {
	if isURIDSN(dsn) {
		u, err := url.Parse(dsn)
		if err != nil {
			return false
		}
		_, has := u.User.Password()
		q := u.Query()
		return has || q.Has("password") || q.Has("sslpassword")
	}
	kvs, _ := parseKeywordDSN(dsn)
	for _, kv := range kvs {
		if kv[0] == "password" || kv[0] == "sslpassword" {
			return true
		}
	}
	return false
}

func isURIDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// checkDSN validates a DSN's shape without ever quoting it: the error text
// is safe to show.
func checkDSN(dsn string) error {
	if strings.TrimSpace(dsn) == "" {
		return fmt.Errorf("The DSN is empty")
	}
	if strings.TrimSpace(dsn) != dsn {
		return fmt.Errorf("The DSN has leading or trailing white space (a file() value ending in a newline? use trimspace())")
	}
	if isURIDSN(dsn) {
		if _, err := url.Parse(dsn); err != nil {
			// url errors quote the input, which may carry a password.
			return fmt.Errorf("The DSN is not a valid postgres:// URI")
		}
		return nil
	}
	if strings.Contains(dsn, "://") {
		return fmt.Errorf("The DSN URI scheme must be postgres:// or postgresql://")
	}
	_, err := parseKeywordDSN(dsn)
	return err
}

// parseKeywordDSN parses libpq's keyword=value form ("host=h user='a b'").
func parseKeywordDSN(s string) ([][2]string, error) {
	var out [][2]string
	i := 0
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
	}
	for {
		skip()
		if i >= len(s) {
			break
		}
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ' ' && s[i] != '\t' {
			i++
		}
		key := s[start:i]
		skip()
		if i >= len(s) || s[i] != '=' || key == "" {
			return nil, fmt.Errorf("The DSN is neither a postgres:// URI nor keyword=value pairs")
		}
		i++
		skip()
		var val strings.Builder
		if i < len(s) && s[i] == '\'' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					val.WriteByte(s[i+1])
					i += 2
					continue
				}
				i++
				if c == '\'' {
					closed = true
					break
				}
				val.WriteByte(c)
			}
			if !closed {
				return nil, fmt.Errorf("The DSN has an unterminated quoted value for %q", key)
			}
		} else {
			for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				val.WriteByte(s[i])
				i++
			}
		}
		out = append(out, [2]string{key, val.String()})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("The DSN is empty")
	}
	return out, nil
}

func quoteKeywordValue(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r'\\") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(v) + "'"
}
