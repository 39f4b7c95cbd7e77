package command

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/planner/verify"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/state"
)

// ResultsFile is verify's result inside the run directory.
const ResultsFile = "validation_results.json"

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "compare loaded Snowflake tables with the source (row counts and fingerprints)",
		ArgsUsage: " ",
		Description: "For every table the spec maps, compares the Snowflake table with its PostgreSQL\n" +
			"source: row count, a fingerprint of every row's canonical text, and aggregates\n" +
			"for floats and semi-structured columns. Each source is read in one REPEATABLE READ\n" +
			"snapshot. Exits 1 when any table differs, cannot be compared or is not loaded.\n" +
			"Writes validation_results.json to the run directory pgsnow-runs/<UTC time>-verify.\n" +
			"See docs/verify.md.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "target", Usage: "verify only `SOURCE.SCHEMA.TABLE` (repeatable)"},
			&cli.BoolFlag{Name: "json", Usage: "print the result as JSON (format_version 1) on stdout"},
		},
		Action: runVerify,
	}
}

// verifyItem is one table to report on.
type verifyItem struct {
	row  verify.Table
	ref  lang.TableAddress
	mt   *typemap.Table
	load *state.Load
	// obj is the state's record of the target table (nil when none).
	obj *state.Object
}

func runVerify(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("'pgsnow verify' takes no arguments (got %q); see 'pgsnow verify --help'", c.Args().First())
	}
	spec, err := loadSpec(c)
	if err != nil {
		return err
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	m, err := openState(spec)
	if err != nil {
		return err
	}
	defer m.Close()
	// verify only reads: it takes no lock, so it can run beside a plan.
	st, err := m.Read(ctx)
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("no state yet in %s: nothing was applied, so there is nothing to verify (run 'pgsnow apply' first)", m)
	}
	now := time.Now().UTC()
	in := planner.Input{Spec: spec, State: st, StateBackend: m.String(), Target: targetRef(spec), Now: now, Version: Version}
	ew := c.App.ErrWriter
	targets := c.StringSlice("target")
	for _, s := range spec.Sources {
		s, ok := verifyScope(s, targets)
		if !ok {
			continue
		}
		src, err := planSource(ctx, spec, s, ew)
		if err != nil {
			return err
		}
		in.Sources = append(in.Sources, src)
	}
	// The live target is not inspected: verify needs the mapping (the
	// model) and which loads the plan still wants, nothing else.
	res, err := planner.Plan(ctx, in)
	if err != nil {
		return fmt.Errorf("mapping the source for verification: %w (see 'pgsnow plan')", err)
	}
	items, err := verifyItems(spec, st, res, targets)
	if err != nil {
		return err
	}
	db := spec.Target.Database
	fmt.Fprintf(ew, "Verifying %d table(s) against Snowflake database %q...\n", len(items), db)
	if err := compareTables(ctx, spec, items); err != nil {
		return err
	}
	out := verify.Result{FormatVersion: verify.FormatVersion, PgsnowVersion: Version, Database: db}
	for _, it := range items {
		out.Tables = append(out.Tables, it.row)
	}
	out.Finish()
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	dir, err := runDir("verify", now)
	if err != nil {
		return fmt.Errorf("creating the run directory: %w", err)
	}
	path := filepath.Join(dir, ResultsFile)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	if c.Bool("json") {
		if _, err := c.App.Writer.Write(data); err != nil {
			return err
		}
	} else {
		printVerify(c.App.Writer, &out)
	}
	fmt.Fprintf(ew, "Results: %s\n", path)
	if !out.OK() {
		return exitError{ExitError}
	}
	return nil
}

// verifyScope narrows source s to the tables -target names, so that only
// they are inspected, profiled (a scan per table) and mapped, and another
// table's refused mapping cannot stop a targeted verify. It keeps the
// spec's own schemas and include/exclude patterns: a table they leave out
// stays out. ok is false when no target names a table of s. A target that
// is not SOURCE.SCHEMA.TABLE (an unquoted name with a dot) keeps its source
// whole, and verifyItems matches it as it always did.
func verifyScope(s *lang.Source, targets []string) (_ *lang.Source, ok bool) {
	if len(targets) == 0 {
		return s, true
	}
	f := postgres.Filter{Schemas: s.Schemas, Include: s.IncludeTables, Exclude: s.ExcludeTables}
	var include []string
	for _, t := range targets {
		a, err := lang.ParseTableAddress(t)
		if err != nil {
			if name, _, _ := strings.Cut(t, "."); name == s.Name {
				return s, true
			}
			continue
		}
		if a.Source == s.Name && f.Match(a.Schema, a.Table) {
			include = append(include, globLiteral(a.Schema+"."+a.Table))
		}
	}
	if len(include) == 0 {
		return nil, false
	}
	narrow := *s
	narrow.IncludeTables = include
	return &narrow, true
}

// globLiteral is a path.Match pattern matching exactly name.
func globLiteral(name string) string {
	var b strings.Builder
	for _, r := range name {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// verifyItems lists the tables to report on: every load the state
// records, and every load the plan still proposes (never loaded), limited
// to -target.
func verifyItems(spec *lang.Spec, st *state.State, res *planner.Result, targets []string) ([]*verifyItem, error) {
	byTarget := map[string]*typemap.Table{}
	for _, s := range res.Model.Schemas {
		for _, t := range s.Tables {
			byTarget[state.ObjectAddress(state.KindTable, spec.Target.Database, t.Schema, t.Target)] = t
		}
	}
	var items []*verifyItem
	seen := map[string]bool{}
	for _, addr := range slices.Sorted(maps.Keys(st.Loads)) {
		l := st.Loads[addr]
		it := &verifyItem{ref: lang.TableAddress{Source: l.Source, Schema: l.Schema, Table: l.Table}, load: l,
			row: verify.Table{Source: strings.TrimPrefix(addr, string(state.KindLoad)+"."), Target: strings.TrimPrefix(l.Target, string(state.KindTable)+"."), LoadStatus: string(l.Status)}}
		if t := byTarget[l.Target]; t != nil && t.SourceName.Schema == l.Schema && t.SourceName.Name == l.Table {
			it.mt = t
		}
		it.obj = st.Objects[l.Target]
		seen[addr] = true
		items = append(items, it)
	}
	if res.Plan != nil {
		for _, ch := range res.Plan.Changes {
			if ch.Load == nil || seen[ch.Address] {
				continue
			}
			ld := ch.Load
			seen[ch.Address] = true
			items = append(items, &verifyItem{ref: lang.TableAddress{Source: ld.Source.Source, Schema: ld.Source.Schema, Table: ld.Source.Table},
				mt: byTarget[ld.Target], row: verify.Table{Source: ld.Source.String(), Target: strings.TrimPrefix(ld.Target, string(state.KindTable)+".")}})
		}
	}
	if len(targets) == 0 {
		return items, nil
	}
	var kept []*verifyItem
	matched := map[string]bool{}
	for _, it := range items {
		plain := it.ref.Source + "." + it.ref.Schema + "." + it.ref.Table
		for _, t := range targets {
			if t == it.row.Source || t == plain {
				kept, matched[t] = append(kept, it), true
				break
			}
		}
	}
	for _, t := range targets {
		if !matched[t] {
			return nil, fmt.Errorf("-target %s: no such table is loaded or planned to load (the form is SOURCE.SCHEMA.TABLE, e.g. %s)", t, exampleTarget(items))
		}
	}
	return kept, nil
}

func exampleTarget(items []*verifyItem) string {
	if len(items) == 0 {
		return "app.public.orders"
	}
	return items[0].row.Source
}

// printVerify writes the human-readable result.
func printVerify(w io.Writer, r *verify.Result) {
	for _, t := range r.Tables {
		switch t.Status {
		case verify.StatusMatch:
			fmt.Fprintf(w, "  ok        %s: %d rows, fingerprint %s\n", t.Source, t.Postgres.Rows, t.Postgres.Fingerprint)
		case verify.StatusMismatch:
			fmt.Fprintf(w, "  MISMATCH  %s → %s\n", t.Source, t.Target)
			for _, m := range t.Mismatches {
				what := m.Check
				if m.Column != "" {
					what = "column " + m.Column + " " + m.Check
				}
				fmt.Fprintf(w, "              %s: PostgreSQL %s, Snowflake %s", what, m.Postgres, m.Snowflake)
				if m.Detail != "" {
					fmt.Fprintf(w, " (%s)", m.Detail)
				}
				fmt.Fprintln(w)
			}
			if t.Error != "" {
				fmt.Fprintf(w, "              (%s)\n", t.Error)
			}
		case verify.StatusNotLoaded:
			why := "never loaded"
			if t.LoadStatus != "" {
				why = "load " + t.LoadStatus
			}
			fmt.Fprintf(w, "  NOT LOADED %s (%s): run 'pgsnow apply'\n", t.Source, why)
		default:
			fmt.Fprintf(w, "  ERROR     %s: %s\n", t.Source, t.Error)
		}
	}
	s := r.Summary
	fmt.Fprintf(w, "\nVerify: %d table(s): %d matched, %d mismatched, %d not loaded, %d could not be compared.\n",
		s.Tables, s.Matched, s.Mismatched, s.NotLoaded, s.Errors)
}
