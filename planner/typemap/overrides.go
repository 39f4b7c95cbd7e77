package typemap

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/lang/sftype"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

type typeRule struct {
	TypeOverride
	key    string
	target sftype.Type
}

// sqlNames are the SQL spellings of built-in types' internal names.
var sqlNames = map[string][]string{
	"int2": {"smallint"}, "int4": {"integer", "int"}, "int8": {"bigint"},
	"float4": {"real"}, "float8": {"double precision", "float"}, "bool": {"boolean"},
	"varchar": {"character varying"}, "bpchar": {"character", "char"}, "numeric": {"decimal"},
	"timestamp": {"timestamp without time zone"}, "timestamptz": {"timestamp with time zone"},
	"time": {"time without time zone"}, "timetz": {"time with time zone"}, "varbit": {"bit varying"},
}

func normType(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

// typeKeys are the labels a type_override may use for t, most specific first.
func typeKeys(t *catalog.Type) []string {
	if t == nil {
		return nil
	}
	keys := []string{normType(t.Declared)}
	names := []string{t.Name}
	if t.Kind == catalog.KindArray && t.Element != nil {
		for _, k := range typeKeys(t.Element)[1:] {
			names = append(names, k+"[]")
		}
	} else if t.IsBuiltin() {
		names = append(names, sqlNames[t.Name]...)
	}
	for _, n := range names {
		if !t.IsBuiltin() && t.Schema != "" {
			keys = append(keys, normType(t.Schema+"."+n))
		}
		keys = append(keys, normType(n))
	}
	return keys
}

func parseTypeRules(types []TypeOverride) ([]typeRule, []Problem) {
	var rules []typeRule
	var probs []Problem
	for _, o := range types {
		obj := fmt.Sprintf("type_override %q", o.PostgresType)
		tt, err := sftype.Parse(o.Type)
		if err != nil {
			probs = append(probs, Problem{Object: obj, Message: "type: " + err.Error()})
			continue
		}
		rules = append(rules, typeRule{TypeOverride: o, key: normType(o.PostgresType), target: tt})
	}
	return rules, probs
}

// matchType finds the type override for a column type: a domain's own
// name wins over its base type's; the declared spelling over the name.
func matchType(rules []typeRule, t *catalog.Type) *typeRule {
	for cur := t; cur != nil; {
		for _, k := range typeKeys(cur) {
			for i := range rules {
				if rules[i].key == k {
					return &rules[i]
				}
			}
		}
		if cur.Kind == catalog.KindDomain && cur.Domain != nil {
			cur = cur.Domain.Base
		} else {
			cur = nil
		}
	}
	return nil
}
