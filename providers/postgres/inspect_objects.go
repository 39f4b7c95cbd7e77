package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

var fkActions = map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
var fkMatch = map[string]string{"s": "simple", "f": "full", "p": "partial"}
var constraintKinds = map[string]catalog.ConstraintKind{
	"p": catalog.ConstraintPrimaryKey, "u": catalog.ConstraintUnique, "f": catalog.ConstraintForeignKey,
	"c": catalog.ConstraintCheck, "x": catalog.ConstraintExclusion,
}

func (in *inspector) readConstraints(ctx context.Context) error {
	return in.step(ctx, "constraints", qConstraints, func(r pgx.Rows) error {
		var rel uint32
		var c catalog.Constraint
		var kind, refSchema, refTable, upd, del, match string
		var validated bool
		if err := r.Scan(&rel, &c.Name, &kind, &c.Definition, &c.Columns, &refSchema, &refTable,
			&c.ReferencedColumns, &upd, &del, &match, &c.Deferrable, &c.InitiallyDeferred, &validated, &c.Inherited); err != nil {
			return err
		}
		c.Kind = constraintKinds[kind]
		c.NotValid = !validated
		if c.Kind == catalog.ConstraintForeignKey {
			c.References = &catalog.QualifiedName{Schema: refSchema, Name: refTable}
			c.OnUpdate, c.OnDelete, c.MatchType = fkActions[upd], fkActions[del], fkMatch[match]
		} else {
			c.ReferencedColumns = nil
		}
		if len(c.Columns) == 0 {
			c.Columns = nil
		}
		t := in.tables[rel]
		if t == nil {
			return nil
		}
		if c.Kind == catalog.ConstraintPrimaryKey {
			pk := c
			t.PrimaryKey = &pk
			return nil
		}
		t.Constraints = append(t.Constraints, c)
		return nil
	}, in.tableOids)
}

func (in *inspector) readIndexes(ctx context.Context) error {
	return in.step(ctx, "indexes", qIndexes, func(r pgx.Rows) error {
		var rel uint32
		var ix catalog.Index
		if err := r.Scan(&rel, &ix.Name, &ix.Method, &ix.Unique, &ix.Primary, &ix.Valid, &ix.Columns,
			&ix.Predicate, &ix.Definition, &ix.Constraint); err != nil {
			return err
		}
		if t := in.tables[rel]; t != nil {
			t.Indexes = append(t.Indexes, ix)
		}
		return nil
	}, in.tableOids)
}

func (in *inspector) readTriggers(ctx context.Context) error {
	return in.step(ctx, "triggers", qTriggers, func(r pgx.Rows) error {
		var rel uint32
		var tg catalog.Trigger
		if err := r.Scan(&rel, &tg.Name, &tg.Definition, &tg.Enabled); err != nil {
			return err
		}
		if t := in.tables[rel]; t != nil {
			t.Triggers = append(t.Triggers, tg)
		} else if v := in.views[rel]; v != nil {
			v.Triggers = append(v.Triggers, tg)
		}
		return nil
	}, in.relOids)
}

func (in *inspector) readRules(ctx context.Context) error {
	return in.step(ctx, "rules", qRules, func(r pgx.Rows) error {
		var rel uint32
		var ru catalog.Rule
		if err := r.Scan(&rel, &ru.Name, &ru.Definition); err != nil {
			return err
		}
		if t := in.tables[rel]; t != nil {
			t.Rules = append(t.Rules, ru)
		} else if v := in.views[rel]; v != nil {
			v.Rules = append(v.Rules, ru)
		}
		return nil
	}, in.relOids)
}

// readSequences keeps a sequence owned by a column when its table is
// selected, and a free-standing one when the filter matches its name.
func (in *inspector) readSequences(ctx context.Context) error {
	selected := map[catalog.QualifiedName]*catalog.Table{}
	for _, t := range in.tables {
		selected[t.QualifiedName()] = t
	}
	return in.step(ctx, "sequences", qSequences, func(r pgx.Rows) error {
		var oid uint32
		s := &catalog.Sequence{}
		var ownSchema, ownTable, ownColumn, deptype string
		if err := r.Scan(&oid, &s.Schema, &s.Name, &s.DataType, &s.Start, &s.Increment, &s.Min, &s.Max,
			&s.Cache, &s.Cycle, &s.LastValue, &ownSchema, &ownTable, &ownColumn, &deptype, &s.Comment); err != nil {
			return err
		}
		if ownTable != "" {
			t := selected[catalog.QualifiedName{Schema: ownSchema, Name: ownTable}]
			if t == nil {
				return nil // owned by a table that is not migrated
			}
			s.OwnedBy = &catalog.ColumnRef{Schema: ownSchema, Table: ownTable, Column: ownColumn}
			s.Identity = deptype == "i"
			if c := t.Column(ownColumn); c != nil {
				c.Sequence = &catalog.QualifiedName{Schema: s.Schema, Name: s.Name}
			}
		} else if !in.opts.Filter.Match(s.Schema, s.Name) {
			return nil
		}
		if sc := in.schemaByName(s.Schema); sc != nil {
			sc.Sequences = append(sc.Sequences, s)
		}
		return nil
	}, in.seqOids)
}

var routineKinds = map[string]catalog.RoutineKind{
	"f": catalog.RoutineFunction, "p": catalog.RoutineProcedure, "a": catalog.RoutineAggregate, "w": catalog.RoutineWindow,
}

func (in *inspector) readRoutines(ctx context.Context) error {
	return in.step(ctx, "routines", qRoutines, func(r pgx.Rows) error {
		var schema, kind string
		var rt catalog.Routine
		if err := r.Scan(&schema, &rt.Name, &kind, &rt.Arguments, &rt.Language, &rt.Returns); err != nil {
			return err
		}
		rt.Kind = routineKinds[kind]
		if s := in.schemaByName(schema); s != nil {
			s.Routines = append(s.Routines, rt)
		}
		return nil
	}, in.schemaOids)
}

func (in *inspector) readExtensions(ctx context.Context) error {
	return in.step(ctx, "extensions", qExtensions, func(r pgx.Rows) error {
		var e catalog.Extension
		if err := r.Scan(&e.Name, &e.Version, &e.Schema); err != nil {
			return err
		}
		in.db.Extensions = append(in.db.Extensions, e)
		return nil
	})
}
