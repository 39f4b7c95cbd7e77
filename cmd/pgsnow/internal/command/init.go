package command

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"
)

const starterSpecName = "main.pgsnow.hcl"

// starterSpec is what `pgsnow init` writes: valid as it stands once the two
// environment variables are set, with every choice commented.
const starterSpec = `# pgsnow migration spec. Reference: docs/spec.md
source "postgres" "app" {
  dsn     = env("PGSNOW_SOURCE_DSN") # postgres://user@host:5432/db
  schemas = ["public"]
}

target "snowflake" "main" {
  account   = "myorg-myaccount"
  database  = "ANALYTICS"
  warehouse = "LOAD_WH"
  role      = "LOADER"
  user      = "LOADER"

  auth {
    method   = "password" # password | oauth | keypair
    password = env("SNOWFLAKE_PASSWORD")
  }
}

state "local" {
  path = "pgsnow.state"
}

settings {
  parallelism = 2
  format      = "csv"
  compression = "zstd"
}
`

func initCommand() *cli.Command {
	return &cli.Command{
		Name:  "init",
		Usage: "write a starter spec (" + starterSpecName + ") in the working directory",
		Description: "Writes " + starterSpecName + " with a PostgreSQL source, a Snowflake target and\n" +
			"local state, ready to edit. It never overwrites: if any *.pgsnow.hcl file\n" +
			"exists already, init leaves everything alone and exits 1.",
		Action: func(c *cli.Context) error {
			existing, err := filepath.Glob("*.pgsnow.hcl")
			if err != nil {
				return err
			}
			if len(existing) > 0 {
				return fmt.Errorf("a spec already exists here (%s); init writes nothing", existing[0])
			}
			f, err := os.OpenFile(starterSpecName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if errors.Is(err, os.ErrExist) {
				return fmt.Errorf("%s already exists; init writes nothing", starterSpecName)
			} else if err != nil {
				return err
			}
			if _, err := f.WriteString(starterSpec); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "Wrote %s. Set PGSNOW_SOURCE_DSN and SNOWFLAKE_PASSWORD, edit the target, then run 'pgsnow validate' and 'pgsnow plan'.\n", starterSpecName)
			return nil
		},
	}
}
