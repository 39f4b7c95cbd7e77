package typemap

import (
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/ddl"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// ScriptOptions name pgsnow's own objects in the target.
type ScriptOptions struct {
	// InternalSchema holds the file format and stage (default "PGSNOW").
	InternalSchema string
	FileFormat     string // default "PGSNOW_CSV"
	Stage          string // default "PGSNOW_STAGE", "PGSNOW_STAGE_SSE" for SNOWFLAKE_SSE
	Compression    string // ZSTD (default), GZIP or NONE
	// StageEncryption is the stage's ENCRYPTION TYPE: SNOWFLAKE_FULL
	// (default) or SNOWFLAKE_SSE. Snowflake cannot change it on an existing
	// stage and does not show it, so each type has its own default stage
	// name: switching creates the other stage instead of reusing one that
	// encrypts differently.
	StageEncryption string
}

// WithDefaults fills in the default of every empty option.
func (o ScriptOptions) WithDefaults() ScriptOptions {
	if o.InternalSchema == "" {
		o.InternalSchema = "PGSNOW"
	}
	if o.FileFormat == "" {
		o.FileFormat = "PGSNOW_CSV"
	}
	if o.StageEncryption == "" {
		o.StageEncryption = "SNOWFLAKE_FULL"
	}
	if o.Stage == "" {
		o.Stage = "PGSNOW_STAGE"
		if o.StageEncryption == "SNOWFLAKE_SSE" {
			o.Stage = "PGSNOW_STAGE_SSE"
		}
	}
	// SNAPPY is a Parquet page codec (format = "parquet"): the CSV file
	// format, which Parquet loads do not use, keeps its default.
	if o.Compression == "" || o.Compression == "SNAPPY" {
		o.Compression = "ZSTD"
	}
	return o
}

// Script turns the model into the DDL that creates it: the same decisions
// that drive extraction and validation.
func (m *Model) Script(opts ScriptOptions) ddl.Script {
	opts = opts.WithDefaults()
	var s ddl.Script
	s.Session = append(s.Session, ddl.Option{Name: "QUOTED_IDENTIFIERS_IGNORE_CASE", Value: "FALSE"})
	s.Schemas = append(s.Schemas, ddl.Schema{Name: opts.InternalSchema, Comment: "pgsnow: file format and stage used for loading"})
	var fo []ddl.Option
	for _, o := range FileFormatOptions(opts.Compression) {
		fo = append(fo, ddl.Option{Name: o.Name, Value: o.Value})
	}
	s.FileFormats = append(s.FileFormats, ddl.FileFormat{Schema: opts.InternalSchema, Name: opts.FileFormat, Options: fo,
		Comment: "pgsnow: CSV as written by PostgreSQL COPY (FORMAT csv)"})
	s.Stages = append(s.Stages, ddl.Stage{Schema: opts.InternalSchema, Name: opts.Stage, FormatSchema: opts.InternalSchema, FormatName: opts.FileFormat,
		Encryption: opts.StageEncryption, Comment: "pgsnow: extracted files"})
	var views []ddl.View
	for _, sc := range m.Schemas {
		if sc.Target != opts.InternalSchema {
			s.Schemas = append(s.Schemas, ddl.Schema{Name: sc.Target, Comment: sc.Comment})
		}
		for _, q := range sc.Sequences {
			s.Sequences = append(s.Sequences, ddl.Sequence{Schema: q.Schema, Name: q.Target, Start: q.Start, Increment: q.Increment, Comment: q.Comment})
		}
		for _, t := range sc.Tables {
			dt := ddl.Table{Schema: t.Schema, Name: t.Target, Comment: t.Comment}
			for _, d := range t.Columns {
				dt.Columns = append(dt.Columns, ddl.Column{Name: d.Target, Type: d.Type.String(), NotNull: d.NotNull, Default: d.Default, Comment: d.Comment})
			}
			for _, c := range t.Constraints {
				dt.Constraints = append(dt.Constraints, ddl.Constraint{Name: c.Name, Kind: c.Kind, Columns: c.Columns,
					RefSchema: c.RefSchema, RefTable: c.RefTable, RefColumns: c.RefColumns})
			}
			s.Tables = append(s.Tables, dt)
		}
		for _, v := range sc.Views {
			views = append(views, ddl.View{Schema: v.Schema, Name: v.Target, Query: v.Query, Comment: v.Comment})
		}
	}
	s.Views = orderViews(views)
	return s
}

// orderViews puts a view after the views its query names (by quoted
// target name), keeping the given order otherwise; a cycle keeps order.
func orderViews(vs []ddl.View) []ddl.View {
	refs := func(a, b ddl.View) bool { return strings.Contains(a.Query, ident.Quote(b.Name)) }
	var out []ddl.View
	done := make([]bool, len(vs))
	for len(out) < len(vs) {
		picked := -1
		for i := range vs {
			if done[i] {
				continue
			}
			ok := true
			for j := range vs {
				if j != i && !done[j] && refs(vs[i], vs[j]) {
					ok = false
					break
				}
			}
			if ok {
				picked = i
				break
			}
		}
		if picked < 0 {
			for i := range vs {
				if !done[i] {
					picked = i
					break
				}
			}
		}
		done[picked] = true
		out = append(out, vs[picked])
	}
	return out
}
