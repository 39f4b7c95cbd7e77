package command

import "github.com/urfave/cli/v2"

// analyzeCommand is replaced by the introspection work (issue: source
// introspection, value profiling and pgsnow analyze).
func analyzeCommand() *cli.Command {
	return &cli.Command{
		Name:  "analyze",
		Usage: "introspect and profile the source databases; write analysis_report.json",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "write the report into `DIR`"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as JSON instead of the summary"},
		},
		Action: notAvailable("source analysis arrives with the introspection issue"),
	}
}
