package command

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/lang"
)

func fmtCommand() *cli.Command {
	return &cli.Command{
		Name:  "fmt",
		Usage: "rewrite the spec files in canonical format",
		Description: "Rewrites every *.pgsnow.hcl file in the working directory in canonical\n" +
			"layout and prints the names of the files it changed. With -check nothing is\n" +
			"written: the command lists the files that are not formatted and exits 1 if any.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "check", Usage: "do not write; exit 1 if any file is not formatted"}},
		Action: func(c *cli.Context) error {
			check := c.Bool("check")
			changed, diags := lang.FormatDir(".", check)
			if len(diags) > 0 {
				writeBareDiagnostics(c, diags)
			}
			for _, f := range changed {
				fmt.Fprintln(c.App.Writer, f)
			}
			if diags.HasErrors() || (check && len(changed) > 0) {
				return exitError{ExitError}
			}
			return nil
		},
	}
}
