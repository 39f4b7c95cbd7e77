package planner

import (
	"context"
	"errors"
	"fmt"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/state"
)

// Plan computes the plan for in. When the mapping refuses columns (values
// Snowflake cannot hold, bad overrides, name collisions) or a table that
// pgsnow did not create stands in the way, it returns the Result with the
// Model and the Problems (for the artifacts) and an error listing them;
// Result.Plan is then nil. ctx is accepted for symmetry with the other
// stages; Plan does no I/O.
func Plan(ctx context.Context, in Input) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Spec == nil || in.Spec.Target == nil {
		return nil, errors.New("planner: the spec has no target")
	}
	res := &Result{Model: &typemap.Model{}}
	owner := map[*typemap.Table]string{}
	tables := map[*typemap.Table]*Source{}
	var notes []plan.Warning
	for i := range in.Sources {
		src := &in.Sources[i]
		opts, err := mapOptions(in.Spec, src.Name)
		if err != nil {
			return nil, err
		}
		m, err := typemap.Map(src.DB, opts)
		var te *typemap.Error
		if errors.As(err, &te) {
			res.Problems = append(res.Problems, te.Problems...)
		} else if err != nil {
			return nil, fmt.Errorf("source %q: %w", src.Name, err)
		}
		res.Model.IdentifierCase = m.IdentifierCase
		res.Model.Schemas = append(res.Model.Schemas, m.Schemas...)
		res.Model.Notes = append(res.Model.Notes, m.Notes...)
		for _, n := range m.Notes {
			notes = append(notes, plan.Warning{Code: warnNote, Address: noteAddress(src, n.Object), Message: src.Name + "." + n.Object + ": " + n.Text})
		}
		for _, s := range m.Schemas {
			for _, t := range s.Tables {
				owner[t], tables[t] = src.Name, src
			}
		}
	}
	if len(res.Problems) > 0 {
		return res, &typemap.Error{Problems: res.Problems}
	}
	objs, err := desired(in.Spec.Target.Database, res.Model, owner, scriptOptions(in))
	if err != nil {
		return res, err
	}
	b := &builder{in: in, p: &plan.Plan{
		FormatVersion: plan.FormatVersion, Kind: plan.FileKind, PgsnowVersion: in.Version,
		CreatedAt: in.Now.UTC(), Mode: plan.ModeNormal, AllowDestroy: in.AllowDestroy,
		State:  plan.StateRef{Lineage: state.SnapshotOf(in.State).Lineage, Serial: state.SnapshotOf(in.State).Serial, Backend: in.StateBackend},
		Target: in.Target,
	}, wanted: map[string]bool{}}
	for _, s := range in.Sources {
		b.p.Sources = append(b.p.Sources, s.Ref)
	}
	b.p.Warnings = notes
	for _, o := range objs {
		b.wanted[o.addr] = true
		if o.kind == plan.KindFileFormat {
			b.loadDeps = append(b.loadDeps, o.addr)
		}
		if o.kind == plan.KindStage {
			b.loadDeps = append(b.loadDeps, o.addr)
		}
	}
	for _, o := range objs {
		if o.kind == plan.KindTable {
			b.table(o, tables[o.table])
		} else {
			b.object(o)
		}
	}
	b.deletes()
	if len(b.problems) > 0 {
		res.Problems = b.problems
		return res, &typemap.Error{Problems: b.problems}
	}
	if err := b.target(in.Targets); err != nil {
		return res, err
	}
	if in.RefreshOnly {
		b.refreshOnly()
	}
	b.p.Sort()
	b.p.Summary = plan.Summarize(b.p)
	if err := b.p.Validate(); err != nil {
		return res, fmt.Errorf("planner: the computed plan is invalid (a bug in pgsnow): %w", err)
	}
	res.Plan = b.p
	return res, nil
}

// builder accumulates the plan.
type builder struct {
	in       Input
	p        *plan.Plan
	wanted   map[string]bool // addresses of desired objects
	loadDeps []string        // file format and stage: every load needs them
	problems []typemap.Problem
}

func (b *builder) record(addr string) *state.Object {
	if b.in.State == nil {
		return nil
	}
	return b.in.State.Objects[addr]
}

func (b *builder) loadRecord(addr string) *state.Load {
	if b.in.State == nil {
		return nil
	}
	return b.in.State.Loads[addr]
}

func (b *builder) add(c plan.Change) { b.p.Changes = append(b.p.Changes, c) }

func (b *builder) warn(code, addr, format string, args ...any) {
	b.p.Warnings = append(b.p.Warnings, plan.Warning{Code: code, Address: addr, Message: fmt.Sprintf(format, args...)})
}

// noteAddress is the load address of the table a mapping note is about
// ("schema.table" or "schema.table.column"), or "" when it names no
// migrated table (sequences, views, the spec).
func noteAddress(src *Source, obj string) string {
	for i := 0; i < len(obj); i++ {
		if obj[i] != '.' {
			continue
		}
		schema, rest := obj[:i], obj[i+1:]
		for j := len(rest); j > 0; j-- {
			if j < len(rest) && rest[j] != '.' {
				continue
			}
			if t := src.DB.Table(schema, rest[:j]); t != nil && !t.IsPartition() {
				return plan.Address(plan.KindLoad, src.Name, schema, rest[:j])
			}
		}
	}
	return ""
}
