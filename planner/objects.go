package planner

import (
	"fmt"
	"slices"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/state"
)

// Reason and warning codes this package adds to plan's (readers accept
// unknown codes; see docs/plan-json.md).
const (
	reasonDefinition   = "definition_changed" // the object's CREATE statement changed (spec or settings)
	warnDestroySkipped = "destroy_skipped"    // pgsnow created it, the spec no longer wants it, no -allow-destroy
	warnNote           = "mapping_note"       // the type mapping's notes: what is not migrated or changes meaning
)

var newReason = plan.Reason{Code: plan.ReasonNew, Message: "not in Snowflake and not in the state"}

func droppedDrift(what string) []plan.Reason {
	return []plan.Reason{{Code: plan.ReasonDriftDropped, Message: "drift: " + what + " dropped in Snowflake outside pgsnow"}}
}

func droppedReason(what string) plan.Reason {
	return plan.Reason{Code: plan.ReasonDriftDropped, Message: "drift: " + what + " dropped in Snowflake outside pgsnow; it is created again"}
}

// object plans a database, schema, file format, stage, sequence or view.
func (b *builder) object(o *object) {
	rec := b.record(o.addr)
	c := plan.Change{Address: o.addr, Kind: o.kind, Name: o.name, Action: plan.NoOp, DependsOn: o.deps, After: &plan.Attributes{Definition: o.definition()}}
	switch {
	case !liveExists(b.in.Live, o.kind, o.name):
		c.Action, c.DDL, c.Reasons = plan.Create, o.ddl, []plan.Reason{newReason}
		if rec != nil {
			c.Reasons = []plan.Reason{droppedReason(kindWord(o.kind))}
			b.p.Drift = append(b.p.Drift, plan.Drift{Address: o.addr, Reasons: droppedDrift(kindWord(o.kind)), Before: &plan.Attributes{Definition: rec.DDL}})
		}
	case rec != nil && (o.kind == plan.KindFileFormat || o.kind == plan.KindView) && rec.DDLSHA256 != state.HashDDL(o.definition()):
		// Sequences are not compared: their start follows the source's
		// current value, which moves without any change to the spec.
		c.Action = plan.Replace
		c.Reasons = []plan.Reason{{Code: reasonDefinition, Message: "the definition differs from the one pgsnow ran; " + kindWord(o.kind) + "s are dropped and created again"}}
		c.Before = &plan.Attributes{Definition: rec.DDL}
		c.DDL = append([]string{"DROP " + sqlKind(o.kind) + " IF EXISTS " + ident.Qualified(o.name...)}, o.ddl...)
	}
	b.add(c)
}

// table plans a table and its load.
func (b *builder) table(o *object, src *Source) {
	rec := b.record(o.addr)
	lt := liveTable(b.in.Live, o.name)
	c := plan.Change{Address: o.addr, Kind: plan.KindTable, Name: o.name, Action: plan.NoOp, DependsOn: o.deps, After: o.attrs()}
	switch {
	case lt == nil:
		c.Action, c.DDL, c.Reasons = plan.Create, o.ddl, []plan.Reason{newReason}
		if rec != nil {
			c.Reasons = []plan.Reason{droppedReason("table")}
			b.p.Drift = append(b.p.Drift, plan.Drift{Address: o.addr, Reasons: droppedDrift("table"),
				Before: &plan.Attributes{Definition: rec.DDL, Columns: stateColumns(rec)}})
		} else if b.in.State != nil && len(b.in.State.Objects) > 0 {
			c.Reasons = []plan.Reason{{Code: plan.ReasonNew, Message: "new table in source: " + loadLabel(o)}}
		}
	case rec == nil && (lt.RowCount == nil || *lt.RowCount != 0):
		b.problems = append(b.problems, typemap.Problem{Object: o.addr,
			Message: fmt.Sprintf("the table exists in Snowflake and is not empty (or reports no row count), but pgsnow did not create it (it is not in the state), so pgsnow will neither load into it nor drop it; source %s", loadLabel(o)),
			Fix:     fmt.Sprintf("DROP TABLE %s; -- in Snowflake, if it may go\n# or map the source table elsewhere in the spec:\ntable %q {\n  target_name = \"...\"\n}", ident.Qualified(o.name...), loadLabel(o))})
		return
	default:
		live := liveColumns(lt)
		var recorded []plan.Column
		before := tableSQL(o.name[0], o.name[1], o.name[2], live)
		if rec != nil {
			recorded = stateColumns(rec)
			rs := columnDrift(recorded, live)
			if len(rs) == 0 {
				before = rec.DDL // as pgsnow made it, constraints included
			} else {
				b.p.Drift = append(b.p.Drift, plan.Drift{Address: o.addr, Reasons: rs,
					Before: &plan.Attributes{Definition: rec.DDL, Columns: recorded},
					After:  &plan.Attributes{Definition: tableSQL(o.name[0], o.name[1], o.name[2], live), Columns: live}})
			}
		}
		d := diffTable(o, live, recorded, lt.RowCount)
		c.Action, c.Reasons, c.DDL = d.action, d.reasons, d.ddl
		if d.action != plan.NoOp {
			c.Before = &plan.Attributes{Definition: before, Columns: live}
		}
	}
	b.add(c)
	b.load(o, src, c)
}

// load plans the data movement into table o.
func (b *builder) load(o *object, src *Source, table plan.Change) {
	t := o.table.Source
	ref := plan.TableRef{Source: o.source, Schema: t.Schema, Table: t.Name}
	addr := plan.Address(plan.KindLoad, ref.Source, ref.Schema, ref.Table)
	st := src.Stats[t.QualifiedName()]
	b.p.Fingerprints = append(b.p.Fingerprints, fingerprint(ref, t, st))
	action, why := loadDecision(table.Action, table.Reasons, b.loadRecord(addr), StateFingerprint(t, st))
	ts := b.in.Spec.EffectiveTableSettings(ref.Source, ref.Schema, ref.Table)
	vol := volume(src.DB, t)
	ld := &plan.LoadDetail{Source: ref, Target: o.addr, Format: b.in.Spec.Settings.Format, Compression: b.in.Spec.Settings.Compression,
		EstimatedRows: max(rowsEstimate(vol), 0), EstimatedBytes: vol.Stats.HeapBytes + vol.Stats.ToastBytes,
		Columns: mappings(o.table), Chunks: chunks(vol, ts)}
	c := plan.Change{Address: addr, Kind: plan.KindLoad, Name: []string{ref.Source, ref.Schema, ref.Table}, Action: action, Reasons: why,
		DependsOn: append([]string{o.addr}, b.loadDeps...), Load: ld}
	if action == plan.Reload {
		c.DDL = []string{truncateSQL(o)}
	}
	b.add(c)
	for _, d := range o.table.Columns {
		switch {
		case d.Override != nil && d.Override.AllowLossy && len(d.Override.Loss) > 0:
			b.warn(plan.WarnLossyOverride, addr, "%s.%s %s → %s by override with allow_lossy: %s", ref, d.Column, d.SourceType, d.Type.String(), joinLoss(d.Override.Loss))
		case d.Risk == typemap.RiskHigh:
			b.warn(plan.WarnRisk, addr, "%s.%s %s → %s: %s", ref, d.Column, d.SourceType, d.Type.String(), d.Rationale)
		}
	}
	switch {
	case t.Profile == nil || t.Profile.Method == catalog.ProfileSkipped:
		why := "not profiled"
		if t.Profile != nil && t.Profile.Reason != "" {
			why += " (" + t.Profile.Reason + ")"
		}
		b.warn(plan.WarnRisk, addr, "%s %s: values Snowflake cannot hold (NaN, infinite or out-of-range dates, oversized text) are unchecked and would fail the load", ref, why)
	case t.Profile.Method == catalog.ProfileSample:
		b.warn(plan.WarnRisk, addr, "%s profiled on a %g%% sample: values Snowflake cannot hold may exist outside it and would fail the load", ref, t.Profile.SamplePercent)
	}
	if vol.Stats.ExactRows == nil && vol.Stats.EstimatedRows < 0 {
		b.warn(plan.WarnStaleStats, addr, "%s was never analyzed and not counted: rows and chunks are guesses (run ANALYZE on it)", ref)
	}
}

// deletes plans the drop of objects pgsnow created that the spec no
// longer wants: tables, views and sequences only (schemas and the
// database may hold objects pgsnow does not manage).
func (b *builder) deletes() {
	if b.in.State == nil {
		return
	}
	for _, addr := range b.in.State.Addresses() {
		rec := b.in.State.Objects[addr]
		if rec == nil || b.wanted[addr] || !slices.Contains([]plan.Kind{plan.KindTable, plan.KindView, plan.KindSequence}, plan.Kind(rec.Kind)) {
			continue
		}
		k := plan.Kind(rec.Kind)
		if !liveExists(b.in.Live, k, rec.Name) {
			continue // already gone: nothing to drop
		}
		if !b.in.AllowDestroy {
			b.warn(warnDestroySkipped, addr, "created by pgsnow and no longer in the spec; it stays (plan with -allow-destroy to drop it)")
			continue
		}
		c := plan.Change{Address: addr, Kind: k, Name: rec.Name, Action: plan.Delete,
			Reasons: []plan.Reason{{Code: plan.ReasonRemovedFromSpec, Message: "created by pgsnow; no longer in the spec"}},
			Before:  &plan.Attributes{Definition: rec.DDL, Columns: stateColumns(rec)},
			DDL:     []string{"DROP " + sqlKind(k) + " IF EXISTS " + ident.Qualified(rec.Name...)}}
		b.add(c)
	}
}

func sqlKind(k plan.Kind) string {
	return map[plan.Kind]string{plan.KindTable: "TABLE", plan.KindView: "VIEW", plan.KindSequence: "SEQUENCE",
		plan.KindStage: "STAGE", plan.KindFileFormat: "FILE FORMAT", plan.KindSchema: "SCHEMA", plan.KindDatabase: "DATABASE"}[k]
}

func kindWord(k plan.Kind) string {
	return map[plan.Kind]string{plan.KindTable: "table", plan.KindView: "view", plan.KindSequence: "sequence",
		plan.KindStage: "stage", plan.KindFileFormat: "file format", plan.KindSchema: "schema", plan.KindDatabase: "database"}[k]
}

func joinLoss(ls []string) string {
	s := ""
	for i, l := range ls {
		if i > 0 {
			s += "; "
		}
		s += l
	}
	return s
}
