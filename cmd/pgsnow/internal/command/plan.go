package command

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/artifacts"
	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/render"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/inspect"
)

// PlanFile is the plan's JSON form inside the run directory.
const PlanFile = "plan.json"

func planFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "out", Usage: "save the plan to `FILE` for 'pgsnow apply FILE' and 'pgsnow show FILE'"},
		&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text | markdown (pull-request comment) | json"},
		&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 0 when there are no changes, 1 on error, 2 when there are changes (or drift, with -refresh-only)"},
		&cli.StringSliceFlag{Name: "target", Usage: "limit the plan to `SOURCE.SCHEMA.TABLE` and what it depends on (repeatable)"},
		&cli.BoolFlag{Name: "refresh-only", Usage: "report drift between state, source and Snowflake without planning changes"},
		&cli.BoolFlag{Name: "allow-destroy", Usage: "allow the plan to drop objects pgsnow created that the spec no longer wants"},
	}, lockFlags()...)
}

func planCommand() *cli.Command {
	return &cli.Command{
		Name:      "plan",
		Usage:     "show the changes apply would make in Snowflake",
		ArgsUsage: " ",
		Description: "Introspects PostgreSQL, reads the state and the live Snowflake objects, and prints\n" +
			"the change set: objects to create, change, replace or drop, and tables to load.\n" +
			"Writes the plan artifacts (DDL, mapping decisions, recommendations, plan.json) to\n" +
			"the run directory pgsnow-runs/<UTC time>-plan. See docs/planning.md.",
		Flags:  planFlags(),
		Action: runPlan,
	}
}

func runPlan(c *cli.Context) (err error) {
	if c.NArg() > 0 {
		return fmt.Errorf("'pgsnow plan' takes no arguments (got %q); see 'pgsnow plan --help'", c.Args().First())
	}
	format := c.String("format")
	if format != "text" && format != "markdown" && format != "json" {
		return fmt.Errorf("-format %q: want text, markdown or json", format)
	}
	spec, err := loadSpec(c)
	if err != nil {
		return err
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	// The lock is held for the whole plan so that the state read is the
	// one the plan records (Terraform does the same).
	m, st, release, err := lockedState(ctx, c, spec, "plan")
	if err != nil {
		return err
	}
	defer release(&err)
	in, err := planInput(ctx, spec, m, st, c.StringSlice("target"), c.App.ErrWriter)
	if err != nil {
		return err
	}
	in.RefreshOnly, in.AllowDestroy = c.Bool("refresh-only"), c.Bool("allow-destroy")
	return finishPlan(c, in, format)
}

// inspectTarget reads the target database as it is now.
func inspectTarget(ctx context.Context, spec *lang.Spec, progress io.Writer) (*inspect.Database, error) {
	cfg, err := snowflakeConfig(spec)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "Inspecting Snowflake database %q...\n", spec.Target.Database)
	// Connect without a database: it may not exist yet.
	cfg.Database = ""
	db, err := snowflake.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return inspect.Inspect(ctx, db, spec.Target.Database)
}

// finishPlan plans, writes the run directory and -out, and renders.
func finishPlan(c *cli.Context, in planner.Input, format string) error {
	res, perr := planner.Plan(c.Context, in)
	if res == nil {
		return perr
	}
	dir, err := runDir("plan", in.Now)
	if err != nil {
		return fmt.Errorf("creating the run directory: %w", err)
	}
	ew := c.App.ErrWriter
	aopts := artifacts.Options{Script: in.Script, Problems: res.Problems}
	if in.Script.Compression == "" {
		aopts.Script.Compression = strings.ToUpper(in.Spec.Settings.Compression)
	}
	if err := artifacts.Write(dir, res.Model, aopts); err != nil {
		return fmt.Errorf("writing the plan artifacts: %w", err)
	}
	if perr != nil {
		var te *typemap.Error
		if errors.As(perr, &te) {
			fmt.Fprintf(ew, "Error: the plan cannot be made; %d problem(s):\n\n", len(te.Problems))
			for _, p := range te.Problems {
				fmt.Fprintf(ew, "  - %s\n\n", strings.ReplaceAll(p.String(), "\n", "\n    "))
			}
		} else {
			fmt.Fprintf(ew, "Error: %v\n", perr)
		}
		fmt.Fprintf(ew, "The mapping decisions are in %s.\n", filepath.Join(dir, artifacts.DecisionsFile))
		return exitError{ExitError}
	}
	data, err := plan.Marshal(res.Plan)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, PlanFile), data, 0o644); err != nil {
		return err
	}
	if out := c.String("out"); out != "" {
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return fmt.Errorf("-out: %w", err)
		}
	}
	if err := renderPlan(c, res.Plan, format); err != nil {
		return err
	}
	fmt.Fprintf(ew, "\nRun directory: %s (%s, %s, %s, %s)\n", dir, artifacts.ObjectsFile, artifacts.DecisionsFile, artifacts.RecommendationsFile, PlanFile)
	if out := c.String("out"); out != "" {
		fmt.Fprintf(ew, "Saved the plan to %s: apply exactly it with 'pgsnow apply %s'.\n", out, out)
	}
	if c.Bool("detailed-exitcode") && (res.Plan.Summary.HasChanges() || (in.RefreshOnly && len(res.Plan.Drift) > 0)) {
		return exitError{ExitChanges}
	}
	return nil
}

// renderPlan writes p to stdout in format.
func renderPlan(c *cli.Context, p *plan.Plan, format string) error {
	w := c.App.Writer
	switch format {
	case "json":
		return render.JSON(w, p)
	case "markdown":
		return render.Markdown(w, p, render.MarkdownOptions{})
	}
	return render.Text(w, p, render.TextOptions{Color: useColor(c)})
}
