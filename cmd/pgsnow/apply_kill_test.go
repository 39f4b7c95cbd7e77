package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
	"github.com/pgsnow/pgsnow/state/local"
)

const killSpec = `source "postgres" "app" {
  dsn = env("PGSNOW_TEST_SOURCE_DSN")
}

target "snowflake" "emu" {
  account  = "TESTACCT"
  database = "ANALYTICS"
  user     = "LOADER"
  host     = "%s"
  port     = %d
  protocol = "http"
  auth {
    method   = "password"
    password = env("PGSNOW_TEST_SF_PASSWORD")
  }
}

settings {
  chunk_rows = 1000
}
`

// TestApplyKilled: kill -9 of pgsnow apply in the middle of a load. The
// lock stays (a person releases it with force-unlock, as documented), the
// next apply loads only what is missing, and every table holds exactly
// the source's row count and content fingerprint.
func TestApplyKilled(t *testing.T) {
	ctx := context.Background()
	cl := pgtest.Start(t)
	for _, db := range []string{"src", "emu"} {
		if err := cl.CreateDatabase(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	srcDSN := cl.DSN("src")
	if err := pgtest.LoadChinook(ctx, srcDSN); err != nil {
		t.Fatal(err)
	}
	const password = "kill-test-pw-5c4b"
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: cl.DSN("emu"), StageDir: t.TempDir(),
		Faults: sfemu.Faults{Latency: 20 * time.Millisecond}, Users: []sfemu.User{{Name: "LOADER", Password: password}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	host, portText, _ := net.SplitHostPort(srv.Addr())
	port, _ := strconv.Atoi(portText)

	work, bin := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(work, "main.pgsnow.hcl"), fmt.Appendf(nil, killSpec, host, port), 0o644); err != nil {
		t.Fatal(err)
	}
	// The test binary runs the CLI when called pgsnow (testscript.Main).
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	pgsnow := filepath.Join(bin, "pgsnow")
	if err := os.Symlink(exe, pgsnow); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(pgsnow, args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "PGSNOW_TEST_SOURCE_DSN="+srcDSN, "PGSNOW_TEST_SF_PASSWORD="+password)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		return cmd, &out
	}

	first, out := run("apply", "-auto-approve", "-parallelism", "1")
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	statePath := filepath.Join(work, "pgsnow.state")
	killed := false
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline) && !killed; time.Sleep(20 * time.Millisecond) {
		st, _ := local.New(statePath).Read(ctx)
		if st == nil {
			continue
		}
		for _, l := range st.Loads {
			if len(l.Files) > 0 {
				first.Process.Kill() // SIGKILL: no cleanup of any kind
				killed = true
				break
			}
		}
	}
	first.Wait()
	if !killed {
		t.Fatalf("the first apply never recorded a file:\n%s", out)
	}

	// The dead run's lock stays and is reported.
	second, out := run("apply", "-auto-approve")
	if err := second.Run(); err == nil || !strings.Contains(out.String(), "force-unlock") {
		t.Fatalf("apply after the kill: %v, want a lock error naming force-unlock\n%s", err, out)
	}
	holder, err := local.New(statePath).Holder(ctx)
	if err != nil || holder == nil {
		t.Fatalf("lock holder: %v %v", holder, err)
	}
	if cmd, out := run("force-unlock", "-force", holder.ID); cmd.Run() != nil {
		t.Fatalf("force-unlock:\n%s", out)
	}
	third, out := run("apply", "-auto-approve", "-parallelism", "2")
	if err := third.Run(); err != nil {
		t.Fatalf("apply after force-unlock: %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "chunks were already loaded") {
		t.Errorf("the last apply did not resume:\n%s", out)
	}
	if strings.Contains(out.String(), password) {
		t.Error("the password is in the output")
	}

	// Every table holds exactly the source's row count: a chunk loaded
	// twice or lost would show (the apply tests of internal/command
	// compare every value).
	pg, err := pgx.Connect(ctx, srcDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	sf, err := snowflake.Open(ctx, snowflake.Config{Account: "TESTACCT", User: "LOADER", Host: host, Port: port, Protocol: "http",
		Database: "ANALYTICS", LoginTimeout: 10 * time.Second, Auth: snowflake.Auth{Method: "password", Password: password}})
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Close()
	rows, err := pg.Query(ctx, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) != 11 {
		t.Fatalf("source tables %v: %v", tables, err)
	}
	for _, tb := range tables {
		var want, got int64
		if err := pg.QueryRow(ctx, "SELECT count(*) FROM public."+pgx.Identifier{tb}.Sanitize()).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if err := sf.QueryRow(`SELECT COUNT(*) FROM "PUBLIC"."` + strings.ToUpper(tb) + `"`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: source %d rows, Snowflake %d", tb, want, got)
		}
	}
}
