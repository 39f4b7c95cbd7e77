package command

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

// Exit codes. They are part of pgsnow's interface: CI pipelines branch on them.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2 // plan -detailed-exitcode: the plan has changes
)

// exitError carries an exit code without a message of its own (the command
// has already printed what went wrong).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs pgsnow with args (args[0] is the program name) and returns the
// process exit code. It never panics on user input and never prints a Go
// stack trace.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "Error: pgsnow crashed: %v\nThis is a bug in pgsnow; please report it with the command you ran.\n", r)
			code = ExitError
		}
	}()
	app := newApp(stdin, stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return ExitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintf(stderr, "Error: %v\n", err)
	return ExitError
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:  "pgsnow",
		Usage: "migrate PostgreSQL databases to Snowflake: declare, plan, review, apply",
		Description: "pgsnow reads a migration spec (every *.pgsnow.hcl file in the working directory),\n" +
			"compares PostgreSQL, Snowflake and its state, shows the changes it would make (plan)\n" +
			"and makes them (apply). Exit codes: 0 success, 1 error, 2 changes present\n" +
			"(plan -detailed-exitcode).",
		Version:        Version,
		Reader:         stdin,
		Writer:         stdout,
		ErrWriter:      stderr,
		HideVersion:    true,
		ExitErrHandler: func(*cli.Context, error) {}, // Main prints errors and picks the code
		Action:         rootAction,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "chdir", Usage: "switch to `DIR` before doing anything else (the spec is read from there)"},
			&cli.BoolFlag{Name: "no-color", Usage: "do not colour the output (also when NO_COLOR is set or output is not a terminal)"},
		},
		Before: func(c *cli.Context) error {
			if dir := c.String("chdir"); dir != "" {
				if err := os.Chdir(dir); err != nil {
					return fmt.Errorf("-chdir: %w", err)
				}
			}
			return nil
		},
		Commands: []*cli.Command{
			initCommand(),
			validateCommand(),
			fmtCommand(),
			analyzeCommand(),
			planCommand(),
			applyCommand(),
			showCommand(),
			verifyCommand(),
			stateCommand(),
			forceUnlockCommand(),
			loginCommand(),
			testConnectionsCommand(),
			versionCommand(),
		},
	}
	app.OnUsageError = usageError
	for _, c := range app.Commands {
		commonFlags(c)
	}
	return app
}

// commonFlags lets -no-color follow any command too (pgsnow plan -no-color),
// as Terraform users expect, and keeps usage errors to one line.
func commonFlags(c *cli.Command) {
	c.Flags = append(c.Flags, &cli.BoolFlag{Name: "no-color", Usage: "do not colour the output"})
	c.OnUsageError = usageError
	for _, sub := range c.Subcommands {
		commonFlags(sub)
	}
}

func usageError(c *cli.Context, err error, _ bool) error {
	name := "pgsnow"
	if c.Command != nil && c.Command.Name != "" {
		name = "pgsnow " + c.Command.FullName()
	}
	return fmt.Errorf("%v (see '%s --help')", err, name)
}

func rootAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("unknown command %q; run 'pgsnow --help' for the list of commands", c.Args().First())
	}
	return cli.ShowAppHelp(c)
}
