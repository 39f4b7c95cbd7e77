package command

import (
	"fmt"

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
