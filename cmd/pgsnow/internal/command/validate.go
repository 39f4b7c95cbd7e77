package command

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/lang"
)

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:  "validate",
		Usage: "check the spec without connecting to anything",
		Description: "Reads every *.pgsnow.hcl file in the working directory and checks everything\n" +
			"that can be checked offline: blocks and attributes, types, ranges, globs, duplicate\n" +
			"labels, references to sources, env() variables and file() paths, Snowflake type\n" +
			"strings. Errors name file:line:col. Exit code 0 when valid, 1 otherwise.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the result as JSON (for CI and editors)"}},
		Action: func(c *cli.Context) error {
			if !c.Bool("json") {
				if _, err := loadSpec(c); err != nil {
					return err
				}
				fmt.Fprintln(c.App.Writer, "Success! The spec is valid.")
				return nil
			}
			_, _, diags := lang.LoadDir(".")
			enc := json.NewEncoder(c.App.Writer)
			enc.SetIndent("", "  ")
			if err := enc.Encode(validateJSON(diags)); err != nil {
				return err
			}
			if diags.HasErrors() {
				return exitError{ExitError}
			}
			return nil
		},
	}
}

// jsonDiagnostic is the machine-readable form of one diagnostic (format_version 1).
type jsonDiagnostic struct {
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *jsonRange `json:"range,omitempty"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

type validateResult struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
}

func validateJSON(diags hcl.Diagnostics) validateResult {
	r := validateResult{FormatVersion: "1", Valid: !diags.HasErrors(), Diagnostics: []jsonDiagnostic{}}
	for _, d := range diags {
		jd := jsonDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
			r.WarningCount++
		} else {
			r.ErrorCount++
		}
		if d.Subject != nil {
			jd.Range = &jsonRange{
				Filename: d.Subject.Filename,
				Start:    jsonPos{d.Subject.Start.Line, d.Subject.Start.Column, d.Subject.Start.Byte},
				End:      jsonPos{d.Subject.End.Line, d.Subject.End.Column, d.Subject.End.Byte},
			}
		}
		r.Diagnostics = append(r.Diagnostics, jd)
	}
	return r
}
