package plantest

import (
	"fmt"
	"strings"
	"time"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// Builder assembles a plan. Methods append and return the builder.
type Builder struct {
	p plan.Plan
}

// Created is the fixed creation time of built plans (goldens must not move).
var Created = time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC)

// New starts a plan against state lineage/serial with the test connections.
func New(lineage string, serial int64) *Builder {
	b := &Builder{p: plan.Plan{
		FormatVersion: plan.FormatVersion,
		Kind:          plan.FileKind,
		PgsnowVersion: "0.1.0-test",
		CreatedAt:     Created,
		Mode:          plan.ModeNormal,
		State:         plan.StateRef{Lineage: lineage, Serial: serial, Backend: "local: pgsnow.state.json"},
		Target: plan.TargetRef{Name: "snowflake", Account: "xy12345", User: "PGSNOW", Role: "PGSNOW_LOADER",
			Warehouse: "LOAD_WH", Database: "ANALYTICS", AuthMethod: "keypair"},
		Sources: []plan.SourceRef{{Name: "app", Host: "db.internal", Port: 5432, Database: "shop", User: "pgsnow_ro",
			SystemIdentifier: "7312345678901234567", ServerVersion: "15.8"}},
	}}
	return b
}

// AllowDestroy sets allow-destroy.
func (b *Builder) AllowDestroy() *Builder { b.p.AllowDestroy = true; return b }

// Object adds a change to a non-table object with the given DDL.
func (b *Builder) Object(k plan.Kind, name []string, a plan.Action, ddl string, deps []string, reasons ...plan.Reason) *Builder {
	c := plan.Change{Address: plan.Address(k, name...), Kind: k, Name: name, Action: a, Reasons: reasons, DependsOn: deps}
	if a != plan.NoOp && ddl != "" {
		c.DDL = []string{ddl}
	}
	def := ddl
	if a == plan.Delete || a == plan.NoOp {
		def = ""
	}
	if def != "" && a != plan.Delete {
		c.After = &plan.Attributes{Definition: def}
	}
	b.p.Changes = append(b.p.Changes, c)
	return b
}

// Table describes a Snowflake table for the builder.
type Table struct {
	DB, Schema, Name string
	Columns          []plan.Column
}

// Addr is the table's address.
func (t Table) Addr() string { return plan.Address(plan.KindTable, t.DB, t.Schema, t.Name) }

// CreateSQL is the CREATE TABLE statement for t.
func (t Table) CreateSQL() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", q(t.DB, t.Schema, t.Name))
	for i, c := range t.Columns {
		fmt.Fprintf(&b, "  %s %s", q(c.Name), c.Type)
		if !c.Nullable {
			b.WriteString(" NOT NULL")
		}
		if i < len(t.Columns)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(");")
	return b.String()
}

func q(parts ...string) string {
	for i, p := range parts {
		parts[i] = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
	}
	return strings.Join(parts, ".")
}

// TableChange adds a change to a table. before and after may be nil; ddl
// are the statements to run (CreateSQL of after when nil and creating).
func (b *Builder) TableChange(a plan.Action, before, after *Table, ddl []string, reasons ...plan.Reason) *Builder {
	t := after
	if t == nil {
		t = before
	}
	c := plan.Change{Address: t.Addr(), Kind: plan.KindTable, Name: []string{t.DB, t.Schema, t.Name}, Action: a, Reasons: reasons,
		DependsOn: []string{plan.Address(plan.KindSchema, t.DB, t.Schema)}}
	if before != nil && a != plan.Create {
		c.Before = &plan.Attributes{Definition: before.CreateSQL(), Columns: before.Columns}
	}
	if after != nil && a != plan.Delete {
		c.After = &plan.Attributes{Definition: after.CreateSQL(), Columns: after.Columns}
	}
	if a == plan.NoOp {
		c.Before = nil
	}
	switch {
	case ddl != nil:
		c.DDL = ddl
	case a == plan.Create:
		c.DDL = []string{after.CreateSQL()}
	case a == plan.Replace:
		c.DDL = []string{"DROP TABLE " + q(t.DB, t.Schema, t.Name) + ";", after.CreateSQL()}
	case a == plan.Delete:
		c.DDL = []string{"DROP TABLE " + q(t.DB, t.Schema, t.Name) + ";"}
	}
	b.p.Changes = append(b.p.Changes, c)
	return b
}

// LoadChange adds the load of src into table t: rows and bytes split over
// n ctid chunks of equal size; deps are added to the table's address.
func (b *Builder) LoadChange(a plan.Action, src plan.TableRef, t Table, cols []plan.ColumnMapping, rows, bytes int64, n int, deps []string, reasons ...plan.Reason) *Builder {
	l := &plan.LoadDetail{Source: src, Target: t.Addr(), Format: "csv", Compression: "zstd",
		EstimatedRows: rows, EstimatedBytes: bytes, Columns: cols}
	const blocks = 1024
	for i := range n {
		ch := plan.Chunk{Index: i, By: "ctid", EstimatedRows: rows / int64(n), EstimatedBytes: bytes / int64(n)}
		if i > 0 {
			ch.From = fmt.Sprint(i * blocks)
		}
		if i < n-1 {
			ch.To = fmt.Sprint((i + 1) * blocks)
		}
		l.Chunks = append(l.Chunks, ch)
	}
	c := plan.Change{Address: plan.Address(plan.KindLoad, src.Source, src.Schema, src.Table), Kind: plan.KindLoad,
		Name: []string{src.Source, src.Schema, src.Table}, Action: a, Reasons: reasons,
		DependsOn: append([]string{t.Addr()}, deps...), Load: l}
	if a == plan.Reload {
		c.DDL = []string{"TRUNCATE TABLE " + q(t.DB, t.Schema, t.Name) + ";"}
	}
	b.p.Changes = append(b.p.Changes, c)
	return b
}

// Fingerprint adds a source fingerprint.
func (b *Builder) Fingerprint(f plan.Fingerprint) *Builder {
	b.p.Fingerprints = append(b.p.Fingerprints, f)
	return b
}

// Drift records an object changed outside pgsnow.
func (b *Builder) Drift(d plan.Drift) *Builder { b.p.Drift = append(b.p.Drift, d); return b }

// Warn adds a warning.
func (b *Builder) Warn(code, addr, msg string) *Builder {
	b.p.Warnings = append(b.p.Warnings, plan.Warning{Code: code, Address: addr, Message: msg})
	return b
}

// Plan returns the plan in canonical order with its summary.
func (b *Builder) Plan() *plan.Plan {
	p := b.p
	p.Sort()
	p.Summary = plan.Summarize(&p)
	return &p
}

// R is a reason.
func R(code, msg string) plan.Reason { return plan.Reason{Code: code, Message: msg} }
