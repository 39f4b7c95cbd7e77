package analysis

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// FormatVersion is the analysis_report.json format version. It changes
// only when a field changes meaning or disappears; new fields may be
// added within a version.
const FormatVersion = "1"

// FileName is the report's name inside the run directory.
const FileName = "analysis_report.json"

// Report is analysis_report.json.
type Report struct {
	FormatVersion  string         `json:"format_version"`
	GeneratedAt    time.Time      `json:"generated_at"`
	PgsnowVersion  string         `json:"pgsnow_version,omitempty"`
	IdentifierCase ident.CaseMode `json:"identifier_case"`
	Summary        Summary        `json:"summary"`
	Sources        []SourceReport `json:"sources"`
}

// Summary counts over all sources.
type Summary struct {
	Sources    int   `json:"sources"`
	Tables     int   `json:"tables"`
	TotalBytes int64 `json:"total_bytes"`
	Errors     int   `json:"errors"`
	Warnings   int   `json:"warnings"`
	Infos      int   `json:"infos"`
}

// SourceReport describes one source database.
type SourceReport struct {
	Name             string              `json:"name"`
	Database         string              `json:"database"`
	ServerVersion    string              `json:"server_version"`
	ServerVersionNum int                 `json:"server_version_num"`
	Schemas          []string            `json:"schemas"`
	Totals           Totals              `json:"totals"`
	Extensions       []catalog.Extension `json:"extensions"`
	SpecialTypes     []TypeUse           `json:"special_types"`
	Tables           []TableReport       `json:"tables"`
	Findings         []Finding           `json:"findings"`
}

// Totals are counts and sizes of one source.
type Totals struct {
	Tables            int   `json:"tables"` // partitions included
	Partitions        int   `json:"partitions"`
	Views             int   `json:"views"`
	MaterializedViews int   `json:"materialized_views"`
	Sequences         int   `json:"sequences"`
	Routines          int   `json:"routines"`
	Columns           int   `json:"columns"`
	EstimatedRows     int64 `json:"estimated_rows"`
	HeapBytes         int64 `json:"heap_bytes"`
	ToastBytes        int64 `json:"toast_bytes"`
	IndexBytes        int64 `json:"index_bytes"`
	TotalBytes        int64 `json:"total_bytes"`
}

// TypeUse lists the columns of a type that needs attention (anything
// but plain numbers, strings, booleans, dates and times).
type TypeUse struct {
	Type    string   `json:"type"` // declared type, e.g. "interval", "mood[]"
	Columns []string `json:"columns"`
}

// TableReport summarises one table and its profiled columns.
type TableReport struct {
	Schema        string                `json:"schema"`
	Name          string                `json:"name"`
	Kind          catalog.TableKind     `json:"kind"`
	PartitionOf   string                `json:"partition_of,omitempty"`
	Columns       int                   `json:"columns"`
	PrimaryKey    []string              `json:"primary_key"`
	EstimatedRows int64                 `json:"estimated_rows"`
	ExactRows     *int64                `json:"exact_rows,omitempty"`
	TotalBytes    int64                 `json:"total_bytes"`
	Profile       *catalog.TableProfile `json:"profile,omitempty"`
	// ProfiledColumns are the columns with value facts beyond NULL counts.
	ProfiledColumns []ColumnReport `json:"profiled_columns,omitempty"`
}

// ColumnReport is a column's declared type and measured facts.
type ColumnReport struct {
	Name    string                 `json:"name"`
	Type    string                 `json:"type"`
	Profile *catalog.ColumnProfile `json:"profile"`
}

// Input is one inspected (and usually profiled) source.
type Input struct {
	Name string
	DB   *catalog.Database
}

// Build assesses every source and assembles the report.
func Build(inputs []Input, opts Options, now time.Time, version string) *Report {
	if opts.CaseMode == "" {
		opts.CaseMode = ident.Upper
	}
	r := &Report{FormatVersion: FormatVersion, GeneratedAt: now.UTC().Truncate(time.Second), PgsnowVersion: version,
		IdentifierCase: opts.CaseMode, Sources: []SourceReport{}}
	for _, in := range inputs {
		sr := sourceReport(in, opts)
		r.Summary.Sources++
		r.Summary.Tables += sr.Totals.Tables
		r.Summary.TotalBytes += sr.Totals.TotalBytes
		for _, f := range sr.Findings {
			switch f.Severity {
			case SeverityError:
				r.Summary.Errors++
			case SeverityWarning:
				r.Summary.Warnings++
			default:
				r.Summary.Infos++
			}
		}
		r.Sources = append(r.Sources, sr)
	}
	return r
}

func sourceReport(in Input, opts Options) SourceReport {
	db := in.DB
	sr := SourceReport{Name: in.Name, Database: db.Name, ServerVersion: db.ServerVersion, ServerVersionNum: db.ServerVersionNum,
		Schemas: []string{}, Extensions: []catalog.Extension{}, SpecialTypes: []TypeUse{}, Tables: []TableReport{}}
	sr.Extensions = append(sr.Extensions, db.Extensions...)
	types := map[string][]string{}
	for _, s := range db.Schemas {
		sr.Schemas = append(sr.Schemas, s.Name)
		sr.Totals.Sequences += len(s.Sequences)
		sr.Totals.Routines += len(s.Routines)
		for _, v := range s.Views {
			if v.Kind == catalog.ViewMaterialized {
				sr.Totals.MaterializedViews++
				addStats(&sr.Totals, v.Stats)
			} else {
				sr.Totals.Views++
			}
		}
		for _, t := range s.Tables {
			sr.Totals.Tables++
			if t.PartitionOf != nil {
				sr.Totals.Partitions++
			}
			sr.Totals.Columns += len(t.Columns)
			addStats(&sr.Totals, t.Stats)
			sr.Tables = append(sr.Tables, tableReport(t))
			if t.PartitionOf != nil {
				continue // a partition repeats its parent's columns
			}
			for _, c := range t.Columns {
				if special(c.Type) {
					types[c.Type.Declared] = append(types[c.Type.Declared], t.Schema+"."+t.Name+"."+c.Name)
				}
			}
		}
	}
	for ty, cols := range types {
		sort.Strings(cols)
		sr.SpecialTypes = append(sr.SpecialTypes, TypeUse{Type: ty, Columns: cols})
	}
	sort.Slice(sr.SpecialTypes, func(i, j int) bool { return sr.SpecialTypes[i].Type < sr.SpecialTypes[j].Type })
	sr.Findings = Assess(in.Name, db, opts)
	if sr.Findings == nil {
		sr.Findings = []Finding{}
	}
	return sr
}

func addStats(t *Totals, v catalog.Volumetrics) {
	if v.EstimatedRows > 0 {
		t.EstimatedRows += v.EstimatedRows
	}
	t.HeapBytes += v.HeapBytes
	t.ToastBytes += v.ToastBytes
	t.IndexBytes += v.IndexBytes
	t.TotalBytes += v.TotalBytes()
}

func tableReport(t *catalog.Table) TableReport {
	tr := TableReport{Schema: t.Schema, Name: t.Name, Kind: t.Kind, Columns: len(t.Columns), PrimaryKey: []string{},
		EstimatedRows: t.Stats.EstimatedRows, ExactRows: t.Stats.ExactRows, TotalBytes: t.Stats.TotalBytes(), Profile: t.Profile}
	if t.PartitionOf != nil {
		tr.PartitionOf = t.PartitionOf.String()
	}
	if t.PrimaryKey != nil {
		tr.PrimaryKey = append(tr.PrimaryKey, t.PrimaryKey.Columns...)
	}
	for _, c := range t.Columns {
		p := c.Profile
		if p == nil || (p.Size == nil && p.Numeric == nil && p.Float == nil && p.Temporal == nil && p.Time == nil && p.Array == nil && p.JSON == nil) {
			continue
		}
		tr.ProfiledColumns = append(tr.ProfiledColumns, ColumnReport{Name: c.Name, Type: c.Type.Declared, Profile: p})
	}
	return tr
}

// special reports whether a column type belongs in the special-types list.
func special(t *catalog.Type) bool {
	r := t.Resolved()
	if t.Kind != catalog.KindBase || r.Kind != catalog.KindBase || !r.IsBuiltin() {
		return true
	}
	return !knownBuiltins[r.Name] || r.Is("money") || r.Is("oid") || r.Is("name") || r.Is("char") ||
		(r.Is("numeric") && (r.Precision == nil || *r.Precision > 38))
}

// JSON returns the report as indented JSON with a trailing newline.
func (r *Report) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile writes dir/analysis_report.json (creating dir) atomically.
func (r *Report) WriteFile(dir string) (string, error) {
	b, err := r.JSON()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, FileName)
	tmp, err := os.CreateTemp(dir, ".analysis_report-*.json")
	if err != nil {
		return "", err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return path, nil
}
