package lang

import (
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

var sourceSchema = &hcl.BodySchema{Attributes: attrSchema(
	"dsn", "host", "port", "database", "user", "password", "sslmode",
	"schemas", "include_tables", "exclude_tables", "schema_map")}

var connParts = []string{"host", "port", "database", "user", "password", "sslmode"}

var sslModes = []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}

// maxIdentLen is Snowflake's identifier length limit.
const maxIdentLen = 255

func (d *decoder) source(b *hcl.Block) *Source {
	s := &Source{Decl: decl(b), Type: b.Labels[0], Name: b.Labels[1], NameRange: labelRange(b, 1)}
	if s.Type != "postgres" {
		d.errAt(labelRange(b, 0), "Unsupported source type", "Source type %q is not supported; the only source type is \"postgres\".", s.Type)
	}
	d.checkName("source", s.Name, s.NameRange)
	c := d.content(b, sourceSchema)
	r := d.reader(c.Attributes, &s.Decl)

	if r.has("dsn") {
		s.DSN, _ = r.dsn()
		r.only("together with dsn (put the setting into the DSN)", connParts...)
	} else {
		if !r.has("host") {
			d.missing(&s.Decl, "source", "dsn", " or host, database and user")
		}
		s.Host, _ = r.nonEmpty("host")
		for _, req := range []string{"database", "user"} {
			if r.has("host") && !r.has(req) {
				d.missing(&s.Decl, "source", req, " when host is used")
			}
		}
		s.Database, _ = r.nonEmpty("database")
		s.User, _ = r.nonEmpty("user")
		s.Port = 5432
		if p, ok := r.integer("port", 1, 65535); ok {
			s.Port = int(p)
		}
		s.Password, _ = r.secret("password")
		s.SSLMode = "prefer"
		if m, ok := r.enum("sslmode", sslModes...); ok {
			s.SSLMode = m
		}
	}

	s.Schemas = []string{"public"}
	if list, ok := r.strList("schemas"); ok {
		d.checkSchemas(r, list)
		s.Schemas = list
	}
	s.IncludeTables = []string{"*"}
	if list, ok := r.strList("include_tables"); ok {
		d.checkGlobs(r, "include_tables", list)
		s.IncludeTables = list
	}
	s.ExcludeTables = []string{}
	if list, ok := r.strList("exclude_tables"); ok {
		d.checkGlobs(r, "exclude_tables", list)
		s.ExcludeTables = list
	}
	d.checkGlobSchemas(r, "include_tables", s.IncludeTables, s.Schemas)
	d.checkGlobSchemas(r, "exclude_tables", s.ExcludeTables, s.Schemas)
	if m, ok := r.strMap("schema_map"); ok {
		for _, k := range sortedKeys(m) {
			if !contains(s.Schemas, k) {
				r.errorf("schema_map", "Invalid schema_map", "schema_map renames schema %s, which is not in this source's schemas.", r.q("schema_map", k))
			}
			if v := m[k]; strings.TrimSpace(v) == "" || len(v) > maxIdentLen {
				r.errorf("schema_map", "Invalid schema_map", "The target name for schema %s must be 1 to %d characters.", r.q("schema_map", k), maxIdentLen)
			}
		}
		s.SchemaMap = m
	}
	return s
}

func (d *decoder) checkSchemas(r *attrReader, list []string) {
	if len(list) == 0 {
		r.errorf("schemas", "Invalid schemas", "A source needs at least one schema.")
	}
	seen := map[string]bool{}
	for _, s := range list {
		switch {
		case s == "":
			r.errorf("schemas", "Invalid schemas", "Schema names must not be empty.")
		case seen[s]:
			r.errorf("schemas", "Invalid schemas", "Schema %s is listed twice.", r.q("schemas", s))
		}
		seen[s] = true
	}
}

// checkGlobs validates path.Match patterns on "schema.table" names.
func (d *decoder) checkGlobs(r *attrReader, attr string, list []string) {
	for _, g := range list {
		if _, err := path.Match(g, ""); err != nil || g == "" {
			r.errorf(attr, "Invalid glob pattern", "Pattern %s in %s is not a valid glob (path.Match syntax: *, ?, [a-z], \\ escapes).", r.q(attr, g), attr)
			continue
		}
		if !strings.ContainsAny(g, ".*?[") {
			rng := r.rng(attr)
			r.d.diags = append(r.d.diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Pattern never matches",
				Detail:   fmt.Sprintf("Pattern %s in %s has no \".\" and no wildcard, so it cannot match a \"schema.table\" name.", r.q(attr, g), attr),
				Subject:  &rng,
			})
		}
	}
}

// checkGlobSchemas warns about patterns whose literal schema part names a
// schema the source does not read: most likely a typo.
func (d *decoder) checkGlobSchemas(r *attrReader, attr string, list, schemas []string) {
	for _, g := range list {
		schema, _, found := strings.Cut(g, ".")
		if !found || strings.ContainsAny(schema, `*?[\`) || contains(schemas, schema) {
			continue
		}
		rng := r.rng(attr)
		r.d.diags = append(r.d.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Pattern never matches",
			Detail:   fmt.Sprintf("Pattern %s in %s names schema %s, which is not in this source's schemas.", r.q(attr, g), attr, r.q(attr, schema)),
			Subject:  &rng,
		})
	}
}

// Selects reports whether the source migrates schema.table: the schema is
// listed, some include pattern matches and no exclude pattern does.
func (s *Source) Selects(schema, table string) bool {
	if !contains(s.Schemas, schema) {
		return false
	}
	name := schema + "." + table
	return matchAny(s.IncludeTables, name) && !matchAny(s.ExcludeTables, name)
}

func matchAny(globs []string, name string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	return false
}

// ConnString returns the source's connection string: the DSN as written,
// or a postgres:// URI built from the separate parameters.
func (s *Source) ConnString() Secret {
	if s.DSN != "" {
		return s.DSN
	}
	return Secret(buildURI(s.Host, s.Port, s.Database, s.User, s.Password.Reveal(), s.SSLMode))
}

// RedactedDSN is ConnString without the password, for display.
func (s *Source) RedactedDSN() string { return s.ConnString().RedactedDSN() }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
