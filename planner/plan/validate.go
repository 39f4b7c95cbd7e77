package plan

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// keywordDSN matches libpq keyword/value connection strings ("host=… user=…").
var keywordDSN = regexp.MustCompile(`\b(host|hostaddr|user|dbname|port|sslmode|passfile)\s*=`)

// Validate checks the plan's internal consistency: known kinds and
// actions, addresses that match names, unique addresses, dependencies
// that exist and form no cycle, reasons where an action needs one,
// deletes only with allow-destroy, load details only on loads, and
// connection references that carry no secret. It reports every problem.
func (p *Plan) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if p.Kind != FileKind {
		bad("kind is %q, want %q", p.Kind, FileKind)
	}
	if p.Mode != ModeNormal && p.Mode != ModeRefreshOnly {
		bad("mode %q is neither %q nor %q", p.Mode, ModeNormal, ModeRefreshOnly)
	}
	seen := make(map[string]bool, len(p.Changes))
	for _, c := range p.Changes {
		if seen[c.Address] {
			bad("%s: listed twice", c.Address)
		}
		seen[c.Address] = true
	}
	for _, c := range p.Changes {
		errs = append(errs, c.validate(p, seen)...)
	}
	if err := cycle(p); err != nil {
		errs = append(errs, err)
	}
	for _, s := range p.Sources {
		errs = append(errs, noSecret("source "+s.Name, s.Host, s.Database, s.User)...)
	}
	errs = append(errs, noSecret("target "+p.Target.Name, p.Target.Account, p.Target.Host, p.Target.Database, p.Target.User)...)
	errs = append(errs, noSecret("state backend", p.State.Backend)...)
	return errors.Join(errs...)
}

func (c *Change) validate(p *Plan, exists map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{c.Address}, args...)...))
	}
	if !c.Kind.Valid() {
		bad("unknown kind %q", c.Kind)
		return errs
	}
	if err := checkAddress(c.Address, c.Kind, c.Name); err != nil {
		errs = append(errs, err)
	}
	if !c.Action.Valid() {
		bad("unknown action %q", c.Action)
	} else if !c.Action.AllowedFor(c.Kind) {
		bad("action %s does not apply to a %s", c.Action, c.Kind)
	}
	switch c.Action {
	case Update, Replace, Delete, Reload:
		if len(c.Reasons) == 0 {
			bad("%s needs a reason", c.Action)
		}
	}
	if c.Action == Delete && !p.AllowDestroy {
		bad("delete planned without allow-destroy")
	}
	if p.Mode == ModeRefreshOnly && c.Action != NoOp {
		bad("refresh-only plan holds a %s", c.Action)
	}
	switch c.Action {
	case Create, Load:
		if c.Before != nil {
			bad("%s has a before state", c.Action)
		}
	case Update, Replace:
		if c.Before == nil || c.After == nil {
			bad("%s needs both before and after", c.Action)
		}
	case Delete:
		if c.After != nil {
			bad("delete has an after state")
		}
	}
	if (c.Kind == KindLoad) != (c.Load != nil) {
		bad("load detail must be present exactly on a load")
	}
	if c.Load != nil {
		if !exists[c.Load.Target] {
			bad("loads into %s, which the plan does not list", c.Load.Target)
		}
		if len(c.Name) == 3 && (TableRef{c.Name[0], c.Name[1], c.Name[2]}) != c.Load.Source {
			bad("name %q does not match the load source %s", c.Name, c.Load.Source)
		}
		for i, ch := range c.Load.Chunks {
			if ch.Index != i {
				bad("chunk %d has index %d (want 0…n-1 in order)", i, ch.Index)
			}
		}
	}
	for _, d := range c.DependsOn {
		if d == c.Address {
			bad("depends on itself")
		} else if !exists[d] {
			bad("depends on %s, which the plan does not list", d)
		}
	}
	return errs
}

func cycle(p *Plan) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	p.Order()
	return nil
}

// noSecret refuses connection fields that hold a URL with credentials or
// a keyword DSN: the plan keeps identities, and a DSN may carry a password.
func noSecret(what string, fields ...string) []error {
	var errs []error
	for _, f := range fields {
		l := strings.ToLower(f)
		if strings.Contains(l, "://") || strings.Contains(l, "password") || keywordDSN.MatchString(l) {
			// The value itself may be the secret: never echo it.
			errs = append(errs, fmt.Errorf("%s: a connection field holds a URL or DSN; the plan stores host, database and user separately and never a secret", what))
		}
	}
	return errs
}
