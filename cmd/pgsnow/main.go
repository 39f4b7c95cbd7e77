// Command pgsnow migrates PostgreSQL databases to Snowflake: declare, plan, review, apply.
package main

import (
	"os"

	"github.com/pgsnow/pgsnow/cmd/pgsnow/internal/command"
)

func main() {
	os.Exit(command.Main(os.Args, os.Stdin, os.Stdout, os.Stderr))
}
