package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// Severity ranks a finding.
type Severity string

const (
	// SeverityError: the plan will refuse until the spec says what to do
	// (an override, an exclusion or a rename).
	SeverityError Severity = "error"
	// SeverityWarning: pgsnow proceeds, but something does not move or
	// behaves differently; read it.
	SeverityWarning Severity = "warning"
	// SeverityInfo: how pgsnow will handle a feature.
	SeverityInfo Severity = "info"
)

func (s Severity) rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	}
	return 2
}

// Finding is one compatibility observation.
type Finding struct {
	Code     string   `json:"code"`
	Severity Severity `json:"severity"`
	Source   string   `json:"source"`
	// Object is the PostgreSQL object, schema[.table[.column]], unquoted.
	Object     string `json:"object"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion,omitempty"`
}

// Thresholds and limits (bytes). Snowflake's documented limits:
// VARCHAR and VARIANT 16 MB by default, 128 MB at most since the 2025_03
// bundle; BINARY 8 MB by default, 64 MB at most.
const (
	WideTableColumns    = 500
	varcharDefaultBytes = 16 << 20
	varcharMaxBytes     = 128 << 20
	binaryDefaultBytes  = 8 << 20
	binaryMaxBytes      = 64 << 20
)

// Options tune Assess.
type Options struct {
	// CaseMode is the identifier rule (default ident.Upper).
	CaseMode ident.CaseMode
}

type assessor struct {
	source string
	db     *catalog.Database
	opts   Options
	out    []Finding
}

func (a *assessor) add(sev Severity, code, object, suggestion, format string, args ...any) {
	a.out = append(a.out, Finding{Code: code, Severity: sev, Source: a.source, Object: object,
		Message: fmt.Sprintf(format, args...), Suggestion: suggestion})
}

// Assess returns the findings for one source database, sorted by
// severity, object and code.
func Assess(source string, db *catalog.Database, opts Options) []Finding {
	if opts.CaseMode == "" {
		opts.CaseMode = ident.Upper
	}
	a := &assessor{source: source, db: db, opts: opts}
	a.identifiers()
	for _, s := range db.Schemas {
		for _, t := range s.Tables {
			a.table(t)
		}
		for _, v := range s.Views {
			a.view(v)
		}
		for _, r := range s.Routines {
			a.add(SeverityWarning, "routine_not_moved", s.Name+"."+r.Name+"("+r.Arguments+")",
				"Rewrite it in Snowflake SQL, JavaScript or Python if it is still needed.",
				"%s in %s will not move: pgsnow migrates tables and data, not code", r.Kind, r.Language)
		}
	}
	for _, e := range db.Extensions {
		if e.Name == "plpgsql" {
			continue
		}
		a.add(SeverityInfo, "extension", e.Name, "",
			"extension %s %s is installed: its types are mapped where pgsnow knows them, its functions do not move", e.Name, e.Version)
	}
	SortFindings(a.out)
	return a.out
}

// SortFindings orders findings by severity, source, object, code and message.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity.rank() < b.Severity.rank()
		}
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Object != b.Object {
			return a.Object < b.Object
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}

// identifiers checks reserved words and collisions in every scope:
// schemas of the database, tables and views of a schema (one namespace
// in Snowflake), columns of a table.
func (a *assessor) identifiers() {
	var schemas []string
	for _, s := range a.db.Schemas {
		schemas = append(schemas, s.Name)
		a.reserved(s.Name, s.Name, "schema")
		var rels []string
		for _, t := range s.Tables {
			rels = append(rels, t.Name)
			a.reserved(s.Name+"."+t.Name, t.Name, "table")
			var cols []string
			for _, c := range t.Columns {
				cols = append(cols, c.Name)
				a.reserved(s.Name+"."+t.Name+"."+c.Name, c.Name, "column")
			}
			a.collisions(s.Name+"."+t.Name, "columns", cols)
		}
		for _, v := range s.Views {
			rels = append(rels, v.Name)
		}
		a.collisions(s.Name, "tables and views", rels)
	}
	a.collisions(a.db.Name, "schemas", schemas)
}

// reserved flags names that become a reserved keyword exactly: a name
// that keeps lower or mixed case must be quoted anyway and cannot be
// mistaken for the keyword.
func (a *assessor) reserved(object, name, what string) {
	mapped := ident.Map(name, a.opts.CaseMode)
	if !ident.IsReserved(mapped) || mapped != strings.ToUpper(mapped) {
		return
	}
	a.add(SeverityWarning, "reserved_identifier", object,
		"Keep it (pgsnow quotes every identifier) or rename it in the spec.",
		"%s name %q becomes %s, a Snowflake reserved keyword (%s): every hand-written query must quote it",
		what, name, ident.Quote(mapped), ident.ReservedReason(name))
}

func (a *assessor) collisions(scope, what string, names []string) {
	for _, c := range ident.Collisions(names, a.opts.CaseMode) {
		var objs []string
		for _, s := range c.Sources {
			objs = append(objs, ident.Quote(s))
		}
		a.add(SeverityError, "identifier_collision", scope,
			"Rename one of them in the spec, exclude one, or use identifier case \"preserve\".",
			"%s %s all become %s in Snowflake (identifier case %q)", what, strings.Join(objs, ", "),
			ident.Quote(c.Target), a.opts.CaseMode)
	}
}

func (a *assessor) view(v *catalog.View) {
	obj := v.Schema + "." + v.Name
	kind := "view"
	if v.Kind == catalog.ViewMaterialized {
		kind = "materialized view"
	}
	a.add(SeverityWarning, "view_needs_translation", obj,
		"Recreate it in Snowflake from the reported definition, or migrate its rows as a table.",
		"%s definition is PostgreSQL SQL and needs translation; pgsnow does not create it", kind)
	for _, tg := range v.Triggers {
		a.add(SeverityWarning, "trigger_not_moved", obj+"."+tg.Name, "", "trigger on a view will not move (Snowflake has no triggers)")
	}
	for _, r := range v.Rules {
		a.add(SeverityWarning, "rule_not_moved", obj+"."+r.Name, "", "rewrite rule will not move (Snowflake has no rules)")
	}
}
