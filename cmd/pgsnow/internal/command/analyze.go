package command

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/internal/units"
	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/analysis"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// analyzeProgressBytes: tables at least this large (estimated) announce
// their profiling scan; every scan still running after analyzeTick is
// reported, whatever its size.
const (
	analyzeProgressBytes = 64 << 20
	analyzeTick          = 5 * time.Second
)

func analyzeCommand() *cli.Command {
	return &cli.Command{
		Name:  "analyze",
		Usage: "introspect and profile the source databases; write analysis_report.json",
		Description: "Connects to every source of the spec, reads its catalog (schemas, tables, types,\n" +
			"constraints, sizes), profiles the values Snowflake cannot hold (one scan per table,\n" +
			"limited by profile = false or profile_sample_percent), and writes\n" +
			"DIR/analysis_report.json (format in docs/analysis-report.md). Prints a summary: the\n" +
			"largest tables, total size, special types and every finding with its severity.\n" +
			"Exit code 0 when the analysis ran (findings of severity error are reported, not\n" +
			"fatal), 1 when it could not run.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write the report into `DIR` (default pgsnow-runs/<UTC time>-analyze)"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as JSON instead of the summary"},
		},
		Action: runAnalyze,
	}
}

func runAnalyze(c *cli.Context) error {
	spec, err := loadSpec(c)
	if err != nil {
		return err
	}
	mode, err := ident.ParseCaseMode(spec.Settings.IdentifierCase)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	dir := c.String("out")
	if dir == "" {
		dir = filepath.Join("pgsnow-runs", now.Format("20060102T150405Z")+"-analyze")
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	var inputs []analysis.Input
	for _, s := range spec.Sources {
		in, err := analyzeSource(ctx, spec, s, c.App.ErrWriter)
		if err != nil {
			return err
		}
		inputs = append(inputs, in)
	}
	report := analysis.Build(inputs, analysis.Options{CaseMode: mode}, now, Version)
	path, err := report.WriteFile(dir)
	if err != nil {
		return fmt.Errorf("write the analysis report: %w", err)
	}
	if c.Bool("json") {
		b, err := report.JSON()
		if err != nil {
			return err
		}
		_, err = c.App.Writer.Write(b)
		return err
	}
	if err := report.WriteSummary(c.App.Writer); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "\nReport written to %s\n", path)
	return nil
}

// analyzeSource inspects and profiles one source with the spec's filters
// and per-table profile settings.
func analyzeSource(ctx context.Context, spec *lang.Spec, s *lang.Source, progress io.Writer) (analysis.Input, error) {
	src, err := postgres.NewSource(s.Name, s.ConnString().Reveal())
	if err != nil {
		return analysis.Input{}, err
	}
	fmt.Fprintf(progress, "Inspecting source %q...\n", s.Name)
	db, err := src.Inspect(ctx, postgres.Options{Filter: postgres.Filter{
		Schemas: s.Schemas, Include: s.IncludeTables, Exclude: s.ExcludeTables,
	}})
	if err != nil {
		return analysis.Input{}, err
	}
	if err := src.CheckPrivileges(db); err != nil {
		return analysis.Input{}, err
	}
	opts := postgres.ProfileOptions{
		Tables:           map[string]postgres.TableProfileOptions{},
		Concurrency:      spec.Settings.Parallelism,
		Progress:         analyzeProgress(progress),
		ProgressInterval: analyzeTick,
	}
	for _, t := range db.AllTables() {
		ts := spec.EffectiveTableSettings(s.Name, t.Schema, t.Name)
		opts.Tables[t.QualifiedName().String()] = postgres.TableProfileOptions{Skip: !ts.Profile, SamplePercent: ts.ProfileSamplePercent}
	}
	fmt.Fprintf(progress, "Profiling %d table(s) of source %q...\n", len(db.AllTables()), s.Name)
	if err := src.Profile(ctx, db, opts); err != nil {
		return analysis.Input{}, err
	}
	return analysis.Input{Name: s.Name, DB: db}, nil
}

// analyzeProgress prints profiling progress for large or slow tables.
func analyzeProgress(w io.Writer) func(postgres.ProgressEvent) {
	var mu sync.Mutex
	return func(ev postgres.ProgressEvent) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.Kind {
		case postgres.ProgressStart:
			if ev.EstimatedBytes >= analyzeProgressBytes {
				fmt.Fprintf(w, "  [%d/%d] profiling %s (~%d rows, %s)...\n", ev.Index, ev.Total, ev.Table, ev.EstimatedRows, units.Bytes(ev.EstimatedBytes))
			}
		case postgres.ProgressRunning:
			fmt.Fprintf(w, "  [%d/%d] still profiling %s (%s elapsed)\n", ev.Index, ev.Total, ev.Table, ev.Elapsed.Round(time.Second))
		case postgres.ProgressDone:
			if ev.EstimatedBytes >= analyzeProgressBytes || ev.Elapsed >= analyzeTick {
				fmt.Fprintf(w, "  [%d/%d] profiled %s: %d rows in %s\n", ev.Index, ev.Total, ev.Table, ev.Profile.RowsScanned, ev.Elapsed.Round(100*time.Millisecond))
			}
		}
	}
}
