package planner

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/snowflake/ddl"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// object is one Snowflake object the spec wants.
type object struct {
	addr string
	kind plan.Kind
	name []string // db, schema, object
	ddl  []string // the statements that create it
	deps []string
	// Tables only: the desired columns, the mapping and its source.
	cols   []plan.Column
	table  *typemap.Table
	source string // spec source name
}

// definition is the object's CREATE statement(s) as one text.
func (o *object) definition() string { return strings.Join(o.ddl, ";\n") }

func (o *object) attrs() *plan.Attributes {
	return &plan.Attributes{Definition: o.definition(), Columns: o.cols}
}

// desired lists the objects of the merged model in DDL order: the target
// database, then everything the type mapping's script creates. owner maps
// each mapped table to its source name.
func desired(db string, m *typemap.Model, owner map[*typemap.Table]string, so typemap.ScriptOptions) ([]*object, error) {
	dbAddr := plan.Address(plan.KindDatabase, db)
	objs := []*object{{addr: dbAddr, kind: plan.KindDatabase, name: []string{db},
		ddl: []string{"CREATE DATABASE IF NOT EXISTS " + ident.Quote(db)}}}
	byAddr := map[string]*object{dbAddr: objs[0]}
	tables := map[[2]string]*typemap.Table{}
	for _, s := range m.Schemas {
		for _, t := range s.Tables {
			tables[[2]string{t.Schema, t.Target}] = t
		}
	}
	schemaAddr := func(s string) string { return plan.Address(plan.KindSchema, db, s) }
	add := func(o *object) error {
		if prev, ok := byAddr[o.addr]; ok {
			if o.kind == plan.KindSchema { // two sources may share a target schema
				return nil
			}
			return fmt.Errorf("%s is wanted twice (from %s and %s): rename one with target_name or schema_map", o.addr, prev.source, o.source)
		}
		byAddr[o.addr] = o
		objs = append(objs, o)
		return nil
	}
	stmts := m.Script(so).Statements()
	qual := newQualifier(db, m, so)
	order := map[string]int{}           // table address → position, for FK dependencies
	seqByDefault := map[string]string{} // "S"."SEQ".NEXTVAL as the mapping writes defaults → sequence address
	for _, st := range stmts {
		var o *object
		switch st.Kind {
		case "SESSION":
			continue // every pgsnow session sets these (providers/snowflake.Open)
		case "SCHEMA":
			o = &object{kind: plan.KindSchema, name: []string{db, st.Name}, deps: []string{dbAddr}}
		case "FILE FORMAT":
			o = &object{kind: plan.KindFileFormat, name: []string{db, st.Schema, st.Name}, deps: []string{schemaAddr(st.Schema)}}
		case "STAGE":
			o = &object{kind: plan.KindStage, name: []string{db, st.Schema, st.Name}, deps: []string{schemaAddr(st.Schema)}}
			for _, f := range objs {
				if f.kind == plan.KindFileFormat && f.name[1] == st.Schema {
					o.deps = append(o.deps, f.addr)
				}
			}
		case "SEQUENCE":
			o = &object{kind: plan.KindSequence, name: []string{db, st.Schema, st.Name}, deps: []string{schemaAddr(st.Schema)}}
			seqByDefault[ident.Qualified(st.Schema, st.Name)+".NEXTVAL"] = plan.Address(plan.KindSequence, db, st.Schema, st.Name)
		case "TABLE":
			t := tables[[2]string{st.Schema, st.Name}]
			o = &object{kind: plan.KindTable, name: []string{db, st.Schema, st.Name}, deps: []string{schemaAddr(st.Schema)},
				table: t, source: owner[t], cols: columns(t)}
			for _, c := range t.Constraints {
				ref := plan.Address(plan.KindTable, db, c.RefSchema, c.RefTable)
				if c.Kind == ddl.ForeignKey && ref != plan.Address(plan.KindTable, db, st.Schema, st.Name) {
					if _, done := order[ref]; done {
						o.deps = append(o.deps, ref)
					}
				}
			}
			// A default naming a sequence needs the sequence first (DDL
			// runs in parallel, in dependency order only).
			for _, d := range t.Columns {
				if seq, ok := seqByDefault[d.Default]; ok && !slices.Contains(o.deps, seq) {
					o.deps = append(o.deps, seq)
				}
			}
			order[plan.Address(plan.KindTable, db, st.Schema, st.Name)] = len(order)
		case "CONSTRAINT":
			// A foreign key closing a cycle: ALTER TABLE after both tables
			// exist, run with the later of the two.
			st.SQL = qual.statement(db, st.Kind, st.Schema, st.SQL)
			if err := deferConstraint(db, st, m, byAddr, order); err != nil {
				return nil, err
			}
			continue
		case "VIEW":
			o = &object{kind: plan.KindView, name: []string{db, st.Schema, st.Name}, deps: []string{schemaAddr(st.Schema)}}
			for _, prev := range objs {
				if (prev.kind == plan.KindTable || prev.kind == plan.KindView) && strings.Contains(st.SQL, ident.Quote(prev.name[2])) {
					o.deps = append(o.deps, prev.addr)
				}
			}
		default:
			return nil, fmt.Errorf("planner: unexpected DDL statement kind %q", st.Kind)
		}
		o.addr = plan.Address(o.kind, o.name...)
		o.ddl = []string{qual.statement(db, st.Kind, st.Schema, st.SQL)}
		if err := add(o); err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// deferConstraint appends a deferred foreign key to the table created
// later, which then depends on the other one.
func deferConstraint(db string, st ddl.Statement, m *typemap.Model, by map[string]*object, order map[string]int) error {
	for _, t := range allTables(m) {
		for _, c := range t.Constraints {
			// Constraint names are unique per table, not per schema: the
			// ALTER names its table.
			if t.Schema != st.Schema || c.Name != st.Name || c.Kind != ddl.ForeignKey ||
				!strings.HasPrefix(st.SQL, "ALTER TABLE "+ident.Qualified(db, t.Schema, t.Target)+" ") {
				continue
			}
			own := plan.Address(plan.KindTable, db, t.Schema, t.Target)
			ref := plan.Address(plan.KindTable, db, c.RefSchema, c.RefTable)
			later, earlier := own, ref
			if order[ref] > order[own] {
				later, earlier = ref, own
			}
			o := by[later]
			if o == nil {
				return fmt.Errorf("planner: constraint %s of %s has no table", st.Name, own)
			}
			o.ddl = append(o.ddl, st.SQL)
			o.deps = append(o.deps, earlier)
			return nil
		}
	}
	return fmt.Errorf("planner: deferred constraint %s.%s not found in the mapping", st.Schema, st.Name)
}

// columns are a mapped table's Snowflake columns.
func columns(t *typemap.Table) []plan.Column {
	var cs []plan.Column
	for _, d := range t.Columns {
		cs = append(cs, plan.Column{Name: d.Target, Type: d.Type.String(), Nullable: !d.NotNull, Default: d.Default, Comment: d.Comment})
	}
	return cs
}

// tableSQL renders a CREATE TABLE for the given columns, to show a live
// or recorded table next to the desired one.
func tableSQL(db, schema, name string, cols []plan.Column) string {
	t := ddl.Table{Schema: schema, Name: name}
	for _, c := range cols {
		t.Columns = append(t.Columns, ddl.Column{Name: c.Name, Type: c.Type, NotNull: !c.Nullable, Default: c.Default, Comment: c.Comment})
	}
	sql := ddl.Script{Tables: []ddl.Table{t}}.Statements()[0].SQL
	return strings.Replace(sql, ident.Qualified(schema, name), ident.Qualified(db, schema, name), 1)
}

// mappings are the load's column mapping.
func mappings(t *typemap.Table) []plan.ColumnMapping {
	var ms []plan.ColumnMapping
	for _, d := range t.Columns {
		m := plan.ColumnMapping{Source: d.Column, SourceType: d.SourceType, Target: d.Target, TargetType: d.Type.String(), Rationale: d.Rationale}
		if d.Override != nil {
			m.Override = true
			m.Lossy = d.Override.AllowLossy && len(d.Override.Loss) > 0
		}
		ms = append(ms, m)
	}
	return ms
}

func allTables(m *typemap.Model) []*typemap.Table {
	var ts []*typemap.Table
	for _, s := range m.Schemas {
		ts = append(ts, s.Tables...)
	}
	return ts
}
