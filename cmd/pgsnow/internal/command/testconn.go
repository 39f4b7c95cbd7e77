package command

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/snowflake"
)

// connCheckTimeout bounds each check, so a dead network fails the command
// instead of hanging a CI job.
const connCheckTimeout = 30 * time.Second

func testConnectionsCommand() *cli.Command {
	return &cli.Command{
		Name:  "test-connections",
		Usage: "connect to every source, the target and the state backend, and report what works",
		Description: "Logs in to each PostgreSQL source (and checks that its schemas exist), to\n" +
			"Snowflake with the spec's auth, and reads the state. Nothing is written.\n" +
			"Exit code 0 when every check passes, 1 otherwise.",
		Flags:  []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the results as JSON (format_version 1)"}},
		Action: runTestConnections,
	}
}

// connCheck is one line of the result; Detail never holds a secret (errors
// come from packages that redact them, endpoints are printed redacted).
type connCheck struct {
	Kind       string `json:"kind"` // source | target | state
	Name       string `json:"name"`
	OK         bool   `json:"ok"`
	Detail     string `json:"detail"`
	DurationMS int64  `json:"duration_ms"`
}

func runTestConnections(c *cli.Context) error {
	spec, err := loadSpec(c)
	if err != nil {
		return err
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	var checks []connCheck
	run := func(kind, name string, f func(context.Context) (string, error)) {
		start := time.Now()
		cctx, cancel := context.WithTimeout(ctx, connCheckTimeout)
		defer cancel()
		detail, err := f(cctx)
		chk := connCheck{Kind: kind, Name: name, OK: err == nil, Detail: detail, DurationMS: time.Since(start).Milliseconds()}
		if err != nil {
			chk.Detail = err.Error()
		}
		checks = append(checks, chk)
	}
	for _, s := range spec.Sources {
		run("source", s.Name, func(ctx context.Context) (string, error) { return checkSource(ctx, s) })
	}
	run("target", spec.Target.Name, func(ctx context.Context) (string, error) { return checkTarget(ctx, spec) })
	run("state", spec.State.Backend, func(ctx context.Context) (string, error) { return checkState(ctx, spec) })

	failed := 0
	for _, chk := range checks {
		if !chk.OK {
			failed++
		}
	}
	if c.Bool("json") {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"format_version": "1", "ok": failed == 0, "checks": checks}); err != nil {
			return err
		}
	} else {
		for _, chk := range checks {
			status := "ok  "
			if !chk.OK {
				status = "FAIL"
			}
			fmt.Fprintf(c.App.Writer, "%s  %-6s %-12s %s (%d ms)\n", status, chk.Kind, chk.Name, chk.Detail, chk.DurationMS)
		}
	}
	if failed > 0 {
		if !c.Bool("json") {
			fmt.Fprintf(c.App.ErrWriter, "%d of %d connection checks failed.\n", failed, len(checks))
		}
		return exitError{ExitError}
	}
	return nil
}

func checkSource(ctx context.Context, s *lang.Source) (string, error) {
	src, err := postgres.NewSource(s.Name, s.ConnString().Reveal())
	if err != nil {
		return "", err
	}
	conn, err := src.Connect(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close(context.Background())
	var version string
	var missing []string
	err = conn.QueryRow(ctx, `SELECT current_setting('server_version'),
		coalesce(array_agg(s ORDER BY s) FILTER (WHERE NOT EXISTS (SELECT 1 FROM pg_namespace n WHERE n.nspname = s)), '{}')
		FROM unnest($1::text[]) s`, s.Schemas).Scan(&version, &missing)
	if err != nil {
		return "", fmt.Errorf("source %q: %w", s.Name, err)
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("source %q (%s): schema(s) %q not found", s.Name, s.RedactedDSN(), missing)
	}
	return fmt.Sprintf("PostgreSQL %s at %s, schemas %q present", version, s.RedactedDSN(), s.Schemas), nil
}

func checkTarget(ctx context.Context, spec *lang.Spec) (string, error) {
	cfg, err := snowflakeConfig(spec)
	if err != nil {
		return "", err
	}
	cfg.Database = "" // apply creates it: its absence is not a connection problem
	db, err := snowflake.Open(ctx, cfg)
	if err != nil {
		return "", err
	}
	defer db.Close()
	var user string
	if err := db.QueryRowContext(ctx, "SELECT CURRENT_USER()").Scan(&user); err != nil {
		return "", fmt.Errorf("snowflake: logged in, but a query failed: %w", err)
	}
	return fmt.Sprintf("Snowflake account %q, logged in as %s (%s auth)", cfg.Account, user, spec.Target.Auth.Method), nil
}

func checkState(ctx context.Context, spec *lang.Spec) (string, error) {
	m, err := openState(spec)
	if err != nil {
		return "", err
	}
	defer m.Close()
	st, err := m.Read(ctx)
	if err != nil {
		return "", err
	}
	if st == nil {
		return m.String() + ": readable, empty", nil
	}
	return fmt.Sprintf("%s: serial %d, %d objects, %d loads", m.String(), st.Serial, len(st.Objects), len(st.Loads)), nil
}
