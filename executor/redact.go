package executor

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Text is free text that went through a Redactor. Events hold free text
// only as Text, so a message from a driver cannot reach a sink unredacted:
// outside this package a Text is made only by Redactor.
type Text struct{ s string }

// String returns the redacted text.
func (t Text) String() string { return t.s }

// fixed is text this package wrote itself (no outside input).
func fixed(s string) Text { return Text{s} }

// Redactor removes secrets from text: every known secret value (and its
// URL-escaped forms), and anything shaped like a credential: the password
// of a URL, key=value pairs named like secrets, bearer tokens, JWTs and
// PEM private keys.
type Redactor struct {
	secrets []string
}

// Mask replaces what a Redactor removes.
const Mask = "***"

// NewRedactor redacts the given secret values (empty ones are ignored).
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		r.secrets = append(r.secrets, s, url.QueryEscape(s), url.PathEscape(s))
	}
	// Longest first, so a secret containing another is removed whole.
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	r.secrets = slices.Compact(r.secrets)
	return r
}

var credentialPatterns = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)`), Mask},
	{regexp.MustCompile(`([a-zA-Z][a-zA-Z0-9+.-]*://[^:/?#@\s]*):[^@/\s]*@`), "${1}:" + Mask + "@"},
	{regexp.MustCompile(`(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+`), "${1} " + Mask},
	{regexp.MustCompile(`\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`), Mask},
	{regexp.MustCompile(`(?i)\b([a-z_]*(?:password|passwd|pwd|token|secret|passphrase|private_key|privatekey)[a-z_]*)(\s*[=:]\s*)('[^']*'|"[^"]*"|[^\s&;,)]+)`), "${1}${2}" + Mask},
}

// Text redacts s.
func (r *Redactor) Text(s string) Text {
	if r != nil {
		for _, sec := range r.secrets {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	for _, p := range credentialPatterns {
		s = p.re.ReplaceAllString(s, p.repl)
	}
	return Text{s}
}

// Err redacts an error's message; a nil error gives empty Text.
func (r *Redactor) Err(err error) Text {
	if err == nil {
		return Text{}
	}
	return r.Text(err.Error())
}
