package command

import (
	"encoding/json"
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"
)

// Version is set at build time with -ldflags "-X ...command.Version=v1.2.3".
var Version = "v0.1.0-dev"

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print pgsnow's version",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the version as JSON"}},
		Action: func(c *cli.Context) error {
			if c.Bool("json") {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]string{
					"version": Version, "go": runtime.Version(), "platform": runtime.GOOS + "/" + runtime.GOARCH,
				})
			}
			fmt.Fprintf(c.App.Writer, "pgsnow %s (%s %s/%s)\n", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}
