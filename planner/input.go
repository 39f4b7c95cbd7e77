package planner

import (
	"strings"
	"time"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/inspect"
	"github.com/pgsnow/pgsnow/state"
)

// Input is everything a plan is computed from. The command layer gathers
// it; Plan reads it and changes nothing.
type Input struct {
	// Spec supplies the overrides, identifier_case, schema_map, the
	// settings (chunk sizes, format, compression) and the target database.
	Spec    *lang.Spec
	Sources []Source
	// Live is the target database as it is now; nil or Exists == false
	// when it does not exist yet.
	Live *inspect.Database
	// State is the prior state; nil when pgsnow never wrote one.
	State *state.State
	// StateBackend says where the state lives, for the plan (no secret).
	StateBackend string
	Target       plan.TargetRef
	// Targets are -target addresses ("source.schema.table").
	Targets      []string
	RefreshOnly  bool
	AllowDestroy bool
	// Now stamps the plan; Version is pgsnow's.
	Now     time.Time
	Version string
	// Script names pgsnow's own objects (defaults: schema PGSNOW, file
	// format PGSNOW_CSV, stage PGSNOW_STAGE); Compression comes from the spec.
	Script typemap.ScriptOptions
}

// Source is one PostgreSQL source as inspected and profiled.
type Source struct {
	Name string
	DB   *catalog.Database
	Ref  plan.SourceRef
	// Stats are the tables' pg_stat counters and relfilenodes (ReadStats).
	// A table without stats gets a fingerprint with zero counters.
	Stats map[catalog.QualifiedName]TableStats
}

// TableStats is what ReadStats reads for one table.
type TableStats struct {
	EstimatedRows int64 // pg_class.reltuples, -1 when never analyzed
	TupInserted   int64
	TupUpdated    int64
	TupDeleted    int64
	Relfilenode   uint32
}

// Result is a plan and the mapping it was made from (for the artifacts).
type Result struct {
	Plan *plan.Plan
	// Model is every source's mapping merged (one target database).
	Model *typemap.Model
	// Problems are the mapping's refusals; the plan is nil when there are any.
	Problems []typemap.Problem
}

// mapOptions turns the spec into the type mapping's options for source.
func mapOptions(spec *lang.Spec, source string) (typemap.Options, error) {
	mode, err := ident.ParseCaseMode(spec.Settings.IdentifierCase)
	if err != nil {
		return typemap.Options{}, err
	}
	o := typemap.Options{SourceName: source, IdentifierCase: mode}
	if s := spec.Source(source); s != nil {
		o.SchemaMap = s.SchemaMap
	}
	for _, t := range spec.Tables {
		if t.Address.Source != source {
			continue
		}
		to := typemap.TableOverride{Schema: t.Address.Schema, Table: t.Address.Table, TargetName: t.TargetName}
		for _, c := range t.Columns {
			to.Columns = append(to.Columns, typemap.ColumnOverride{Column: c.Name, Type: c.Type, AllowLossy: c.AllowLossy, TargetName: c.TargetName})
		}
		o.Tables = append(o.Tables, to)
	}
	for _, t := range spec.TypeOverrides {
		o.Types = append(o.Types, typemap.TypeOverride{PostgresType: t.PostgresType, Type: t.Type, AllowLossy: t.AllowLossy})
	}
	return o, nil
}

// scriptOptions fills in the compression and the stage encryption from
// the spec.
func scriptOptions(in Input) typemap.ScriptOptions {
	o := in.Script
	if o.Compression == "" && in.Spec != nil && in.Spec.Settings.Compression != "" {
		o.Compression = strings.ToUpper(in.Spec.Settings.Compression)
	}
	if o.StageEncryption == "" && in.Spec != nil && in.Spec.Settings.StageEncryption != "" {
		o.StageEncryption = strings.ToUpper(in.Spec.Settings.StageEncryption)
	}
	return o.WithDefaults()
}
