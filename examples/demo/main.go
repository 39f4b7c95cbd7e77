// Command demo runs pgsnow's main job end to end on this machine: a
// throwaway PostgreSQL cluster loaded with the Chinook sample database, the
// project's Snowflake emulator, and then pgsnow validate, analyze, plan,
// apply and verify against them. Run it with `make demo` (or
// `go run ./examples/demo` after `make build`).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/template"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

func main() {
	bin := flag.String("pgsnow", "bin/pgsnow", "pgsnow binary to run")
	dir := flag.String("dir", ".demo", "working directory for the demo (recreated)")
	keep := flag.Bool("keep", false, "leave PostgreSQL and the emulator running until Ctrl-C, to explore")
	flag.Parse()
	if err := run(*bin, *dir, *keep); err != nil {
		fmt.Fprintf(os.Stderr, "\ndemo: %v\n", err)
		os.Exit(1)
	}
}

func run(bin, dir string, keep bool) error {
	ctx := context.Background()
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("%s not found: run 'make build' first (or 'make demo')", bin)
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}

	step("Starting a throwaway PostgreSQL cluster")
	pg, err := pgtest.New(pgtest.Options{})
	if err != nil {
		return err
	}
	defer pg.Close()
	for _, db := range []string{"chinook", "snowflake_emulator"} {
		if err := pg.CreateDatabase(ctx, db); err != nil {
			return err
		}
	}
	step("Loading the Chinook sample database (11 tables)")
	if err := pgtest.LoadChinook(ctx, pg.DSN("chinook")); err != nil {
		return err
	}

	step("Starting the Snowflake emulator")
	password := randomSecret()
	emu, err := sfemu.New(sfemu.Config{
		PostgresDSN: pg.DSN("snowflake_emulator"),
		StageDir:    filepath.Join(dir, "stage"),
		Users:       []sfemu.User{{Name: "LOADER", Password: password}},
	})
	if err != nil {
		return err
	}
	if err := emu.Start("127.0.0.1:0"); err != nil {
		return err
	}
	defer emu.Close()
	fmt.Printf("  emulator at %s, PostgreSQL on port %d\n", emu.URL(), pg.Port())

	if err := writeSpec(work, emu.Addr()); err != nil {
		return err
	}
	env := append(os.Environ(),
		"PGSNOW_SOURCE_DSN="+pg.DSN("chinook"),
		"SNOWFLAKE_PASSWORD="+password,
		"NO_COLOR=",
	)
	steps := [][]string{
		{"validate"},
		{"analyze", "-out", "../runs/analyze"},
		{"plan", "-out", "demo.plan"},
		{"apply", "-auto-approve", "demo.plan"},
		{"verify"},
		{"plan", "-detailed-exitcode"},
	}
	for _, args := range steps {
		step("pgsnow " + strings.Join(args, " "))
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = work, env
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("'pgsnow %s' failed (%v); the demo stops here", strings.Join(args, " "), err)
		}
	}
	step("Done: Chinook is in the emulator's ANALYTICS database, verified")
	if keep {
		fmt.Printf("Servers stay up until Ctrl-C. Spec and runs in %s.\n", work)
		waitForSignal()
	}
	return nil
}

// specTemplate is the demo's spec: the emulator is the Snowflake target.
var specTemplate = template.Must(template.New("spec").Parse(`# Written by the pgsnow demo (examples/demo).
source "postgres" "chinook" {
  dsn     = env("PGSNOW_SOURCE_DSN")
  schemas = ["public"]
}

target "snowflake" "emulator" {
  account   = "demo"
  database  = "ANALYTICS"
  warehouse = "DEMO_WH"
  role      = "LOADER"
  user      = "LOADER"
  host      = "{{.Host}}"
  port      = {{.Port}}
  protocol  = "http"

  auth {
    method   = "password"
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
`))

func writeSpec(dir, addr string) error {
	host, port, ok := strings.Cut(addr, ":")
	if !ok {
		return errors.New("emulator address has no port: " + addr)
	}
	f, err := os.Create(filepath.Join(dir, "demo.pgsnow.hcl"))
	if err != nil {
		return err
	}
	defer f.Close()
	return specTemplate.Execute(f, map[string]string{"Host": host, "Port": port})
}

func step(s string) { fmt.Printf("\n==> %s\n", s) }

func randomSecret() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func waitForSignal() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	<-ch
}
