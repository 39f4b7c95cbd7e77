package ident

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// CaseMode is how PostgreSQL names become Snowflake names.
type CaseMode string

const (
	// Upper: a name PostgreSQL would have folded (^[a-z_][a-z0-9_$]*$)
	// becomes UPPER case, so that users can query it unquoted in
	// Snowflake; any other name keeps its exact case.
	Upper CaseMode = "upper"
	// Preserve keeps every name exactly as in PostgreSQL.
	Preserve CaseMode = "preserve"
)

var folded = regexp.MustCompile(`^[a-z_][a-z0-9_$]*$`)

// ParseCaseMode accepts "upper" (also the empty string) and "preserve".
func ParseCaseMode(s string) (CaseMode, error) {
	switch s {
	case "", string(Upper):
		return Upper, nil
	case string(Preserve):
		return Preserve, nil
	}
	return "", fmt.Errorf("unknown identifier case mode %q (want \"upper\" or \"preserve\")", s)
}

// Map returns the Snowflake name for a PostgreSQL name under mode.
func Map(name string, mode CaseMode) string {
	if mode == Preserve {
		return name
	}
	if folded.MatchString(name) {
		return strings.ToUpper(name)
	}
	return name
}

// Quote returns name as a Snowflake quoted identifier: always quoted, so
// that case is kept and reserved words are safe; embedded double quotes
// are doubled.
func Quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Qualified quotes and joins name parts with dots: "DB"."SCHEMA"."T".
func Qualified(parts ...string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = Quote(p)
	}
	return strings.Join(q, ".")
}

// Collision is a set of distinct source names that map to the same
// Snowflake name.
type Collision struct {
	Target  string   `json:"target"`
	Sources []string `json:"sources"` // sorted
}

// Collisions maps every name with mode and returns the groups of two or
// more distinct source names that end up equal, sorted by target. For
// example "order" and "ORDER" collide under Upper ("ORDER" is not
// folded, so it stays "ORDER"; "order" becomes "ORDER").
func Collisions(names []string, mode CaseMode) []Collision {
	groups := map[string]map[string]bool{}
	for _, n := range names {
		t := Map(n, mode)
		if groups[t] == nil {
			groups[t] = map[string]bool{}
		}
		groups[t][n] = true
	}
	var out []Collision
	for t, set := range groups {
		if len(set) < 2 {
			continue
		}
		c := Collision{Target: t}
		for s := range set {
			c.Sources = append(c.Sources, s)
		}
		sortStrings(c.Sources)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Target < out[j].Target })
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
