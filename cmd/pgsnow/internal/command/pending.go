package command

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"
)

// notAvailable is what a command that a later issue fills in does until
// then: say so and fail. It never pretends to succeed.
func notAvailable(what string) cli.ActionFunc {
	return func(c *cli.Context) error {
		return fmt.Errorf("'pgsnow %s' is not available yet in this build (%s); nothing was done", c.Command.FullName(), what)
	}
}

func lockFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "lock", Value: true, Usage: "hold the state lock while running (-lock=false only when you know no one else runs)"},
		&cli.DurationFlag{Name: "lock-timeout", Value: 0, Usage: "keep trying to take the state lock for `DURATION` (e.g. 30s) before failing"},
	}
}

func planFlags() []cli.Flag {
	return append([]cli.Flag{
		&cli.StringFlag{Name: "out", Usage: "save the plan to `FILE` for 'pgsnow apply FILE' and 'pgsnow show FILE'"},
		&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text | markdown (pull-request comment) | json"},
		&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 0 when there are no changes, 1 on error, 2 when there are changes"},
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
			"Writes the plan artifacts (DDL, mapping decisions, recommendations) to the run directory.",
		Flags:  planFlags(),
		Action: notAvailable("the planner arrives with the issue 'Planner, saved plans, state and state locking'"),
	}
}

func applyCommand() *cli.Command {
	return &cli.Command{
		Name:      "apply",
		Usage:     "make the planned changes: create objects and load data",
		ArgsUsage: "[PLANFILE]",
		Description: "Without PLANFILE, plans first and asks for approval (never when stdin is not a\n" +
			"terminal: pass -auto-approve in CI). With PLANFILE, applies exactly that saved plan\n" +
			"and refuses it if the state or the source changed since it was made.",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "auto-approve", Usage: "do not ask for approval"},
			&cli.IntFlag{Name: "parallelism", Usage: "run at most `N` steps at once (1..16; default from the spec)"},
			&cli.BoolFlag{Name: "json", Usage: "write progress events as NDJSON to stdout"},
			&cli.StringSliceFlag{Name: "target", Usage: "limit to `SOURCE.SCHEMA.TABLE` (repeatable)"},
		}, lockFlags()...),
		Action: notAvailable("the executor arrives with the issue 'pgsnow apply: DAG executor and the streaming data pipeline'"),
	}
}

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "render a saved plan, or the current state",
		ArgsUsage: "[PLANFILE]",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the machine-readable JSON form"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text | markdown | json"},
		},
		Action: notAvailable("saved plans arrive with the issue 'Planner, saved plans, state and state locking'"),
	}
}

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "compare loaded Snowflake tables with the source (row counts and fingerprints)",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "target", Usage: "verify only `SOURCE.SCHEMA.TABLE` (repeatable)"},
			&cli.BoolFlag{Name: "json", Usage: "print results as JSON"},
		},
		Action: notAvailable("post-load validation arrives after apply"),
	}
}

func loginCommand() *cli.Command {
	return &cli.Command{
		Name:   "login",
		Usage:  "obtain and cache an OAuth token for the Snowflake target (Okta)",
		Flags:  []cli.Flag{&cli.DurationFlag{Name: "timeout", Value: 5 * time.Minute, Usage: "give up waiting for the browser after `DURATION`"}},
		Action: notAvailable("OAuth login arrives with the authentication issue"),
	}
}

func testConnectionsCommand() *cli.Command {
	return &cli.Command{
		Name:   "test-connections",
		Usage:  "connect to every source and the target and report what works",
		Flags:  []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print results as JSON"}},
		Action: notAvailable("connection checks arrive with the emulator and introspection issues"),
	}
}
