package command

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/pgsnow/pgsnow/cmd/pgsnow/internal/views"
	"github.com/pgsnow/pgsnow/executor"
	"github.com/pgsnow/pgsnow/executor/adapters"
	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/render"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
	"github.com/pgsnow/pgsnow/state"
)

func applyCommand() *cli.Command {
	return &cli.Command{
		Name:      "apply",
		Usage:     "make the planned changes: create objects and load data",
		ArgsUsage: "[PLANFILE]",
		Description: "Without PLANFILE, plans first and asks for approval (never when stdin is not a\n" +
			"terminal: pass -auto-approve in CI). With PLANFILE, applies exactly that saved plan\n" +
			"and refuses it if the state or the source changed since it was made.\n" +
			"The first SIGINT/SIGTERM stops starting new work and lets running steps finish;\n" +
			"a second aborts them. Every finished step is in the state: apply again to resume.\n" +
			"Events go to pgsnow-runs/<UTC time>-apply/run_log.ndjson. See docs/executor.md.",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "auto-approve", Usage: "do not ask for approval"},
			&cli.IntFlag{Name: "parallelism", Usage: "run at most `N` steps at once (1..16; default from the spec)"},
			&cli.BoolFlag{Name: "json", Usage: "write progress events as NDJSON to stdout"},
			&cli.StringSliceFlag{Name: "target", Usage: "limit to `SOURCE.SCHEMA.TABLE` (repeatable; without PLANFILE)"},
		}, lockFlags()...),
		Action: runApply,
	}
}

func runApply(c *cli.Context) (err error) {
	if c.NArg() > 1 {
		return fmt.Errorf("'pgsnow apply' takes at most one argument, the plan file (got %d)", c.NArg())
	}
	planFile := c.Args().First()
	if planFile != "" && len(c.StringSlice("target")) > 0 {
		return errors.New("-target cannot be used with a saved plan: the plan already says what to do")
	}
	par := c.Int("parallelism")
	if c.IsSet("parallelism") && (par < 1 || par > executor.MaxParallelism) {
		return fmt.Errorf("-parallelism must be between 1 and %d, not %d", executor.MaxParallelism, par)
	}
	var saved *plan.Plan
	if planFile != "" {
		data, err := os.ReadFile(planFile)
		if err != nil {
			return fmt.Errorf("reading the plan: %w", err)
		}
		if saved, err = plan.Unmarshal(data); err != nil {
			return fmt.Errorf("%s: %w", planFile, err)
		}
	} else if !c.Bool("auto-approve") && !isTerminal(c.App.Reader) {
		return errors.New("apply needs approval, but stdin is not a terminal: pass -auto-approve to apply without a prompt, or apply a saved plan (pgsnow plan -out FILE; pgsnow apply FILE)")
	}
	spec, err := loadSpec(c)
	if err != nil {
		return err
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	m, st, release, err := lockedState(ctx, c, spec, "apply")
	if err != nil {
		return err
	}
	defer release(&err)

	// Planning again gives the type mapping (extraction expressions) and,
	// for a saved plan, the fingerprints to check it against.
	in, err := planInput(ctx, spec, m, st, c.StringSlice("target"), c.App.ErrWriter)
	if err != nil {
		return err
	}
	res, err := planner.Plan(ctx, in)
	if err != nil {
		return err
	}
	p := res.Plan
	if saved != nil {
		ref := plan.StateRef{}
		if st != nil {
			ref = plan.StateRef{Lineage: st.Lineage, Serial: st.Serial}
		}
		if err := saved.CheckFresh(ref, p.Fingerprints); err != nil {
			return err
		}
		p = saved
	}
	if !p.Summary.HasChanges() {
		fmt.Fprintln(c.App.Writer, "No changes. Snowflake matches the spec and every table is loaded.")
		return nil
	}
	if saved == nil && !c.Bool("json") {
		if err := render.Text(c.App.Writer, p, render.TextOptions{Color: useColor(c)}); err != nil {
			return err
		}
	}
	if saved == nil && !c.Bool("auto-approve") && !approve(c) {
		fmt.Fprintln(c.App.Writer, "Apply cancelled; nothing was changed.")
		return exitError{ExitError}
	}
	tables, err := adapters.Tables(p, res.Model, spec)
	if err != nil {
		return err
	}
	seqs, err := adapters.NewSequences(p, res.Model)
	if err != nil {
		return err
	}
	if st == nil {
		st = state.New(Version)
	}
	if par == 0 {
		par = spec.Settings.Parallelism
	}
	return execute(c, ctx, spec, p, tables, seqs, m, st, par)
}

// execute runs the plan with the run directory, the sinks and the signals.
func execute(c *cli.Context, ctx context.Context, spec *lang.Spec, p *plan.Plan, tables map[string]*adapters.Table,
	seqs *adapters.Sequences, m state.Manager, st *state.State, par int) error {
	now := time.Now().UTC()
	dir, err := runDir("apply", now)
	if err != nil {
		return fmt.Errorf("creating the run directory: %w", err)
	}
	if data, err := plan.Marshal(p); err == nil {
		_ = os.WriteFile(filepath.Join(dir, PlanFile), data, 0o644)
	}
	runID := filepath.Base(dir)
	runLog, err := executor.OpenRunLog(dir, runID)
	if err != nil {
		return err
	}
	sinks := executor.Sinks{runLog}
	switch {
	case c.Bool("json"):
		sinks = append(sinks, executor.NewNDJSON(c.App.Writer, runID))
	case isTerminal(c.App.Writer):
		sinks = append(sinks, views.NewLive(c.App.Writer, time.Now))
	default:
		sinks = append(sinks, views.NewLines(c.App.Writer))
	}

	src, tgt, err := connect(spec, p, tables, seqs, runID, dir)
	if err != nil {
		runLog.Close()
		return err
	}
	defer tgt.Close()
	r := spec.Settings.Retry
	opts := executor.Options{Parallelism: par, Retry: executor.RetryPolicy{Attempts: r.Attempts, Initial: r.MinBackoff, Max: r.MaxBackoff},
		IsTransient: adapters.IsTransient, Redactor: executor.NewRedactor(secrets(spec)...), Sink: sinks}

	// First signal: stop starting work; second: abort.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := make(chan struct{})
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer func() {
		signal.Stop(sig)
		close(sig) // ends the goroutine below; nothing sends after Stop
	}()
	go func() {
		n := 0
		for range sig {
			if n++; n == 1 {
				close(stop)
			} else {
				cancel()
				return
			}
		}
	}()

	_, aerr := executor.Apply(ctx, p, src, tgt, state.NewJournal(m, st), stop, opts)
	lerr := runLog.Close()
	fmt.Fprintf(c.App.ErrWriter, "Run log: %s\n", filepath.Join(dir, executor.RunLogName))
	var re *executor.RunError
	switch {
	case errors.As(aerr, &re):
		return exitError{ExitError} // the summary is printed
	case aerr != nil:
		return aerr
	}
	return lerr
}

// connect builds the source and target adapters.
func connect(spec *lang.Spec, p *plan.Plan, tables map[string]*adapters.Table, seqs *adapters.Sequences, runID, dir string) (adapters.Sources, *adapters.Target, error) {
	srcs := adapters.Sources{}
	for _, s := range spec.Sources {
		conn, err := postgres.NewSource(s.Name, s.ConnString().Reveal())
		if err != nil {
			return nil, nil, err
		}
		srcs[s.Name] = adapters.NewSource(conn, tables)
	}
	cfg, err := snowflakeConfig(spec)
	if err != nil {
		return nil, nil, err
	}
	var stage load.Stage
	for _, c := range p.Changes {
		if c.Kind == plan.KindStage {
			stage = load.Stage(ident.Qualified(c.Name...))
		}
	}
	if stage == "" && len(tables) > 0 {
		return nil, nil, errors.New("the plan has no stage to load through")
	}
	spill := spec.Settings.SpillDir
	if spill == "" {
		// Spilling bounds memory (the driver holds a streamed PUT whole)
		// and lets a failed PUT be retried from the file.
		spill = filepath.Join(dir, "spill")
		if err := os.MkdirAll(spill, 0o700); err != nil {
			return nil, nil, err
		}
	}
	// PUT names the file by absolute path (file://…).
	spill, err = filepath.Abs(spill)
	if err != nil {
		return nil, nil, err
	}
	r := spec.Settings.Retry
	tgt := adapters.NewTarget(adapters.TargetConfig{
		Open: func(ctx context.Context, database string) (*sql.DB, error) {
			c := cfg
			c.Database = database
			return snowflake.Open(ctx, c)
		},
		Database: p.Target.Database, Stage: stage, RunID: runID, Tables: tables,
		Policy:   load.Policy{Attempts: r.Attempts, Initial: r.MinBackoff, Max: r.MaxBackoff},
		SpillDir: spill, KeepFiles: spec.Settings.KeepFiles, Sequences: seqs.ReadingFrom(srcs),
	})
	return srcs, tgt, nil
}

// secrets are the spec's secret values, for the run log's redactor.
func secrets(spec *lang.Spec) []string {
	var out []string
	addDSN := func(dsn string) {
		if dsn == "" {
			return
		}
		out = append(out, dsn)
		if cfg, err := pgx.ParseConfig(dsn); err == nil && cfg.Password != "" {
			out = append(out, cfg.Password)
		}
	}
	for _, s := range spec.Sources {
		addDSN(s.ConnString().Reveal())
		out = append(out, s.Password.Reveal())
	}
	if t := spec.Target; t != nil {
		a := t.Auth
		out = append(out, a.Password.Reveal(), a.Token.Reveal(), a.ClientSecret.Reveal(), a.PrivateKey.Reveal(), a.Passphrase.Reveal())
	}
	addDSN(spec.State.DSN.Reveal())
	return out
}

// approve asks on the terminal; only "yes" approves.
func approve(c *cli.Context) bool {
	fmt.Fprint(c.App.Writer, "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
	line, err := bufio.NewReader(c.App.Reader).ReadString('\n')
	if err != nil && err != io.EOF {
		return false
	}
	return strings.TrimSpace(line) == "yes"
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
