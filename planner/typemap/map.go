package typemap

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// Map decides the Snowflake side of every schema, table, column, sequence
// and view of db. It always returns the model (refused columns included,
// so the artifacts can show them); the error, an *Error, lists every
// problem that must fail the plan.
func Map(db *catalog.Database, opts Options) (*Model, error) {
	m := &mapper{opts: opts, mode: opts.caseMode(), model: &Model{IdentifierCase: string(opts.caseMode())}}
	m.rules, m.probs = parseTypeRules(opts.Types)
	m.seqs = map[catalog.QualifiedName]*Sequence{}
	m.tables = map[catalog.QualifiedName]*Table{}

	var schemaNames []string
	for _, s := range db.Schemas {
		schemaNames = append(schemaNames, m.schemaTarget(s.Name))
	}
	m.collide("schemas", schemaNames, db.Schemas)
	for _, s := range db.Schemas {
		ms := &Schema{Source: s.Name, Target: m.schemaTarget(s.Name), Comment: s.Comment}
		m.model.Schemas = append(m.model.Schemas, ms)
		for _, seq := range s.Sequences {
			m.sequence(ms, seq)
		}
	}
	for i, s := range db.Schemas {
		ms := m.model.Schemas[i]
		for _, t := range s.Tables {
			if t.IsPartition() {
				continue
			}
			m.table(ms, t, s.Tables)
		}
	}
	for i, s := range db.Schemas {
		ms := m.model.Schemas[i]
		used := map[string]bool{}
		for _, t := range ms.Tables {
			m.constraints(t, used)
		}
		for _, v := range s.Views {
			m.view(ms, v, db)
		}
		var names, sources []string
		for _, t := range ms.Tables {
			names, sources = append(names, t.Target), append(sources, t.SourceName.Name)
		}
		for _, v := range ms.Views {
			names, sources = append(names, v.Target), append(sources, v.SourceName.Name)
		}
		m.collideNames(ms.Source, "tables/views", names, sources)
	}
	m.checkForeignKeys()
	m.unusedOverrides(db)
	sortProblems(m.probs)
	sortNotes(m.model.Notes)
	if len(m.probs) > 0 {
		return m.model, &Error{Problems: m.probs}
	}
	return m.model, nil
}

type mapper struct {
	opts   Options
	mode   ident.CaseMode
	rules  []typeRule
	model  *Model
	probs  []Problem
	seqs   map[catalog.QualifiedName]*Sequence
	tables map[catalog.QualifiedName]*Table
}

func (m *mapper) note(obj, format string, args ...any) {
	m.model.Notes = append(m.model.Notes, Note{Object: obj, Text: fmt.Sprintf(format, args...)})
}

func sortNotes(ns []Note) {
	sort.SliceStable(ns, func(i, j int) bool {
		if ns[i].Object != ns[j].Object {
			return ns[i].Object < ns[j].Object
		}
		return ns[i].Text < ns[j].Text
	})
}

func (m *mapper) schemaTarget(name string) string {
	if to, ok := m.opts.SchemaMap[name]; ok && to != "" {
		return ident.Map(to, m.mode)
	}
	return ident.Map(name, m.mode)
}

// collide reports schemas that end up with the same target name.
func (m *mapper) collide(what string, targets []string, schemas []*catalog.Schema) {
	seen := map[string][]string{}
	for i, t := range targets {
		seen[t] = append(seen[t], schemas[i].Name)
	}
	for _, t := range sortedKeys(seen) {
		if src := seen[t]; len(src) > 1 {
			m.probs = append(m.probs, Problem{Object: fmt.Sprintf("%s %v", what, src),
				Message: fmt.Sprintf("map to the same Snowflake schema %s; rename one with schema_map", ident.Quote(t))})
		}
	}
}

// collideNames reports targets used twice inside one namespace;
// sources[i] is the PostgreSQL name behind targets[i].
func (m *mapper) collideNames(scope, what string, targets, sources []string) {
	by := map[string][]string{}
	for i, t := range targets {
		by[t] = append(by[t], strconv.Quote(sources[i]))
	}
	for _, t := range sortedKeys(by) {
		if src := by[t]; len(src) > 1 {
			sort.Strings(src)
			m.probs = append(m.probs, Problem{Object: scope,
				Message: fmt.Sprintf("%s %s map to the same Snowflake name %s; give one a target_name", what, strings.Join(src, " and "), ident.Quote(t))})
		}
	}
}

func sortedKeys[V any](mp map[string]V) []string {
	keys := make([]string, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (m *mapper) sequence(ms *Schema, s *catalog.Sequence) {
	start := s.Start
	if s.LastValue != nil {
		start = *s.LastValue + s.Increment
	}
	seq := &Sequence{SourceName: catalog.QualifiedName{Schema: s.Schema, Name: s.Name}, Schema: ms.Target,
		Target: ident.Map(s.Name, m.mode), Start: start, Increment: s.Increment, Comment: s.Comment}
	if s.Cycle {
		m.note(seq.SourceName.String(), "sequence cycles in PostgreSQL; Snowflake sequences do not cycle")
	}
	ms.Sequences = append(ms.Sequences, seq)
	m.seqs[seq.SourceName] = seq
}

func (m *mapper) table(ms *Schema, t *catalog.Table, siblings []*catalog.Table) {
	to := m.opts.table(t.Schema, t.Name)
	name := t.Name
	if to != nil && to.TargetName != "" {
		name = to.TargetName
	}
	mt := &Table{Source: t, SourceName: t.QualifiedName(), Schema: ms.Target, Target: ident.Map(name, m.mode),
		Only: t.Kind != catalog.TablePartitioned, Comment: t.Comment}
	if t.Profile != nil {
		mt.ProfileMethod = t.Profile.Method
	}
	for _, p := range siblings {
		if p.PartitionOf != nil && *p.PartitionOf == mt.SourceName {
			mt.Partitions = append(mt.Partitions, p.QualifiedName())
		}
	}
	if len(mt.Partitions) > 0 {
		m.note(mt.SourceName.String(), "partitioned: one Snowflake table; partitions %v are read through the parent and not created", mt.Partitions)
	}
	m.objectNotes(t)
	if len(t.Inherits) > 0 {
		m.note(mt.SourceName.String(), "inherits from %v: created as its own table with all its columns; parents are read with ONLY", t.Inherits)
	}
	var names, sources []string
	for _, c := range t.Columns {
		co := to.column(c.Name)
		cname := c.Name
		if co != nil && co.TargetName != "" {
			cname = co.TargetName
		}
		in := columnInput{table: t, col: c, facts: facts{p: c.Profile, method: mt.ProfileMethod}, co: co,
			rules: m.rules, source: m.opts.sourceName(), target: ident.Map(cname, m.mode)}
		d, probs := decide(in)
		m.probs = append(m.probs, probs...)
		d.Comment = columnComment(c)
		m.defaultFor(mt, c, d)
		mt.Columns = append(mt.Columns, d)
		names, sources = append(names, d.Target), append(sources, c.Name)
	}
	m.collideNames(mt.SourceName.String(), "columns", names, sources)
	ms.Tables = append(ms.Tables, mt)
	m.tables[mt.SourceName] = mt
}

// objectNotes reports table features Snowflake does not get.
func (m *mapper) objectNotes(t *catalog.Table) {
	obj := t.QualifiedName().String()
	for _, tr := range t.Triggers {
		m.note(obj, "trigger %s not migrated (Snowflake has no triggers): %s", tr.Name, tr.Definition)
	}
	for _, r := range t.Rules {
		m.note(obj, "rule %s not migrated: %s", r.Name, r.Definition)
	}
	if t.RowSecurity {
		m.note(obj, "row-level security is enabled in PostgreSQL; its policies are not migrated (use Snowflake row access policies)")
	}
	if t.Kind == catalog.TableForeign {
		m.note(obj, "foreign table: its rows are read through the foreign data wrapper and stored in a regular Snowflake table")
	}
	if t.Unlogged {
		m.note(obj, "unlogged in PostgreSQL; a regular (durable) table in Snowflake")
	}
}

func columnComment(c *catalog.Column) string {
	if c.Generated == catalog.GeneratedNone {
		return c.Comment
	}
	g := fmt.Sprintf("generated in PostgreSQL: GENERATED ALWAYS AS (%s) STORED; stored values loaded", c.GenerationExpression)
	if c.Comment != "" {
		return c.Comment + " | " + g
	}
	return g
}

func (m *mapper) defaultFor(t *Table, c *catalog.Column, d *Decision) {
	seq := func(text string) (string, bool) {
		if s := m.seqs[sequenceName(text, t.SourceName.Schema)]; s != nil {
			return ident.Qualified(s.Schema, s.Target), true
		}
		return "", false
	}
	obj := t.qualified(c.Name)
	if c.Identity != catalog.IdentityNone && c.Sequence != nil {
		if s := m.seqs[*c.Sequence]; s != nil && d.Type.Name == "NUMBER" {
			d.Default = ident.Qualified(s.Schema, s.Target) + ".NEXTVAL"
			m.note(obj, "identity (%s) becomes DEFAULT %s", c.Identity, d.Default)
			return
		}
	}
	if c.Generated != catalog.GeneratedNone || c.Default == "" {
		return
	}
	if v, ok := translateDefault(c.Default, d.Type, seq); ok {
		d.Default = v
		return
	}
	m.note(obj, "default %s dropped: no safe Snowflake translation for %s", c.Default, d.Type)
}

// constraints maps PK/UNIQUE/FK; used holds the constraint names taken in
// the schema (PostgreSQL scopes foreign-key names per table, so two tables
// may share one; the later gets its table's name as a prefix).
func (m *mapper) constraints(t *Table, used map[string]bool) {
	src := t.Source
	cols := func(names []string, tbl *Table) ([]string, bool) {
		out := make([]string, len(names))
		for i, n := range names {
			found := false
			for _, d := range tbl.Columns {
				if d.Column == n {
					out[i], found = d.Target, true
				}
			}
			if !found {
				return nil, false
			}
		}
		return out, true
	}
	var all []catalog.Constraint
	if src.PrimaryKey != nil {
		all = append(all, *src.PrimaryKey)
	}
	all = append(all, src.Constraints...)
	for _, c := range all {
		obj := t.SourceName.String() + "." + c.Name
		kind := map[catalog.ConstraintKind]string{catalog.ConstraintPrimaryKey: "PRIMARY KEY", catalog.ConstraintUnique: "UNIQUE", catalog.ConstraintForeignKey: "FOREIGN KEY"}[c.Kind]
		if kind == "" {
			m.note(obj, "%s constraint not created (Snowflake has no %s): %s", c.Kind, c.Kind, c.Definition)
			continue
		}
		tc, ok := cols(c.Columns, t)
		if !ok {
			m.note(obj, "constraint on expressions not created: %s", c.Definition)
			continue
		}
		name := ident.Map(c.Name, m.mode)
		if used[name] {
			name = ident.Map(t.SourceName.Name+"_"+c.Name, m.mode)
			m.note(obj, "constraint renamed %s: its name is already used in schema %s", ident.Quote(name), ident.Quote(t.Schema))
		}
		mc := Constraint{Name: name, Kind: kind, Columns: tc}
		if c.Kind == catalog.ConstraintForeignKey {
			ref := m.tables[*c.References]
			if ref == nil {
				m.note(obj, "foreign key to %s not created: that table is not migrated", c.References)
				continue
			}
			rc, ok := cols(c.ReferencedColumns, ref)
			if !ok {
				continue
			}
			mc.RefSchema, mc.RefTable, mc.RefColumns = ref.Schema, ref.Target, rc
		}
		used[name] = true
		t.Constraints = append(t.Constraints, mc)
	}
}

// checkForeignKeys drops foreign keys whose referenced columns carry no
// PRIMARY KEY or UNIQUE constraint in the target (PostgreSQL accepts a
// unique index; Snowflake needs the constraint).
func (m *mapper) checkForeignKeys() {
	keyed := map[string]bool{}
	key := func(schema, table string, cols []string) string {
		c := append([]string(nil), cols...)
		sort.Strings(c)
		return schema + "\x00" + table + "\x00" + strings.Join(c, "\x00")
	}
	for _, s := range m.model.Schemas {
		for _, t := range s.Tables {
			for _, c := range t.Constraints {
				if c.Kind != "FOREIGN KEY" {
					keyed[key(t.Schema, t.Target, c.Columns)] = true
				}
			}
		}
	}
	for _, s := range m.model.Schemas {
		for _, t := range s.Tables {
			kept := t.Constraints[:0]
			for _, c := range t.Constraints {
				if c.Kind == "FOREIGN KEY" && !keyed[key(c.RefSchema, c.RefTable, c.RefColumns)] {
					m.note(t.SourceName.String(), "foreign key %s not created: the referenced columns %s.%s %v have no primary key or unique constraint (a unique index is not enough in Snowflake)",
						c.Name, c.RefSchema, c.RefTable, c.RefColumns)
					continue
				}
				kept = append(kept, c)
			}
			t.Constraints = kept
		}
	}
}

// unusedOverrides reports overrides that name nothing in the catalog.
func (m *mapper) unusedOverrides(db *catalog.Database) {
	for _, from := range sortedKeys(m.opts.SchemaMap) {
		if db.Schema(from) == nil {
			m.note(from, "schema_map renames a schema that is not in the migrated set")
		}
	}
	for _, to := range m.opts.Tables {
		t := db.Table(to.Schema, to.Table)
		if t == nil {
			m.note(to.Schema+"."+to.Table, "table block names a table that is not in the migrated set")
			continue
		}
		for _, co := range to.Columns {
			if t.Column(co.Column) == nil {
				m.probs = append(m.probs, Problem{Object: to.Schema + "." + to.Table + "." + co.Column, Message: "column block names a column the table does not have"})
			}
		}
	}
}
