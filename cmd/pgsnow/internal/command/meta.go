package command

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/pgsnow/pgsnow/lang"
)

// useColor says whether output to w may be coloured: not with -no-color,
// not with NO_COLOR set, and only on a terminal.
func useColor(c *cli.Context) bool {
	if c.Bool("no-color") || os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := c.App.Writer.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// loadSpec reads the spec in the working directory and prints its
// diagnostics. It returns exitError{1} when the spec has errors, so callers
// can simply return the error.
func loadSpec(c *cli.Context) (*lang.Spec, error) {
	spec, files, diags := lang.LoadDir(".")
	if len(diags) > 0 && files != nil {
		files.WriteDiagnostics(c.App.ErrWriter, diags, useColor(c))
	} else if len(diags) > 0 {
		writeBareDiagnostics(c, diags)
	}
	if diags.HasErrors() {
		return nil, exitError{ExitError}
	}
	return spec, nil
}

func writeBareDiagnostics(c *cli.Context, diags hcl.Diagnostics) {
	for _, d := range diags {
		sev := "Error"
		if d.Severity == hcl.DiagWarning {
			sev = "Warning"
		}
		msg := sev + ": " + d.Summary
		if d.Subject != nil {
			msg += fmt.Sprintf("\n\n  on %s line %d, column %d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		if d.Detail != "" {
			msg += "\n\n" + d.Detail
		}
		c.App.ErrWriter.Write([]byte(msg + "\n"))
	}
}
