package adapters

import (
	"fmt"
	"strings"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/extract"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// Table is what the adapters need to move one table.
type Table struct {
	Extract  extract.Table
	Chunking extract.PlanOptions
	Output   extract.Options
	// Live is the Snowflake table; a reload loads into Live.Staging().
	Live load.Table
	// Compression is the staged files' (ZSTD, GZIP, NONE); FileFormat
	// the inside of COPY INTO's FILE_FORMAT = ( … ).
	Compression string
	FileFormat  string
	// Transform loads a Parquet file with a COPY transformation (nil for CSV).
	Transform *load.Transform
}

// Tables describes every load of p, keyed by the load's address, from the
// type mapping the plan was made with and the spec's table settings. It
// refuses a mapping whose columns differ from the plan's (the spec or the
// source changed since the plan was made).
func Tables(p *plan.Plan, m *typemap.Model, spec *lang.Spec) (map[string]*Table, error) {
	byTarget := map[[2]string]*typemap.Table{}
	for _, s := range m.Schemas {
		for _, t := range s.Tables {
			byTarget[[2]string{t.Schema, t.Target}] = t
		}
	}
	out := map[string]*Table{}
	for _, c := range p.Changes {
		if c.Load == nil || (c.Action != plan.Load && c.Action != plan.Reload) {
			continue
		}
		ld := c.Load
		tc := p.Change(ld.Target)
		if tc == nil || len(tc.Name) != 3 {
			return nil, fmt.Errorf("%s: its target %s is not in the plan", c.Address, ld.Target)
		}
		mt := byTarget[[2]string{tc.Name[1], tc.Name[2]}]
		if mt == nil {
			return nil, fmt.Errorf("%s: the type mapping has no table %s.%s: make a new plan", c.Address, tc.Name[1], tc.Name[2])
		}
		if len(mt.Columns) != len(ld.Columns) {
			return nil, fmt.Errorf("%s: the plan loads %d columns, the mapping now has %d: make a new plan", c.Address, len(ld.Columns), len(mt.Columns))
		}
		t := &Table{
			Extract: extract.Table{Schema: ld.Source.Schema, Name: ld.Source.Table},
			Output:  extract.Options{Format: extract.Format(ld.Format), Compression: extract.Compression(ld.Compression)},
			Live:    load.Table{Database: tc.Name[0], Schema: tc.Name[1], Name: tc.Name[2]},
		}
		for i, d := range mt.Columns {
			if pc := ld.Columns[i]; pc.Source != d.Column || pc.Target != d.Target || pc.TargetType != d.Type.String() {
				return nil, fmt.Errorf("%s: column %d is %s → %s %s in the plan but %s → %s %s now: make a new plan",
					c.Address, i+1, pc.Source, pc.Target, pc.TargetType, d.Column, d.Target, d.Type.String())
			}
			t.Extract.Columns = append(t.Extract.Columns, extract.Column{Name: d.Target, Expr: d.Extract})
		}
		if ld.Format == "parquet" {
			parquetTable(t, mt)
		}
		if spec != nil {
			ts := spec.EffectiveTableSettings(ld.Source.Source, ld.Source.Schema, ld.Source.Table)
			t.Extract.Where = ts.Where
			t.Chunking = extract.PlanOptions{Strategy: extract.Strategy(ts.ChunkBy), ChunkRows: ts.ChunkRows, ChunkBytes: ts.ChunkSize}
		}
		if err := t.Output.Validate(); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Address, err)
		}
		if ld.Format == "csv" {
			t.Compression = strings.ToUpper(ld.Compression)
			t.FileFormat = fileFormat(mt.FileFormatOptions(t.Compression))
		}
		out[c.Address] = t
	}
	return out, nil
}

// fileFormat renders the type mapping's CSV options for the table (a
// one-column table's records carry a padding field, see
// typemap.Table.PadsRecords, which extract writes too).
func fileFormat(opts []typemap.Setting) string {
	var parts []string
	for _, s := range opts {
		parts = append(parts, s.Name+" = "+s.Value)
	}
	return strings.Join(parts, " ")
}
