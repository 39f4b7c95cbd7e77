package command

import (
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// emuWorkspace is the setting of most command tests: an emulator (on a
// fresh backing database) that knows the test's Snowflake user, the test
// moved into an empty directory, and the variables specHCL reads pointed at
// srcDSN and the password. It returns the emulator's host and port and the
// directory; the emulator stops when the test ends.
func emuWorkspace(t *testing.T, srcDSN string) (host string, port int, dir string) {
	t.Helper()
	srv, err := sfemu.New(sfemu.Config{PostgresDSN: pgtest.NewDatabase(t), StageDir: t.TempDir(),
		Users: []sfemu.User{{Name: "LOADER", Password: testSFPassword}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	host, portText, _ := net.SplitHostPort(srv.Addr())
	port, _ = strconv.Atoi(portText)
	dir = t.TempDir()
	t.Chdir(dir)
	t.Setenv("PGSNOW_TEST_SOURCE_DSN", srcDSN)
	t.Setenv("PGSNOW_TEST_SF_PASSWORD", testSFPassword)
	return host, port, dir
}

// remapped is the type mapping apply used, computed again from the spec in
// the working directory and the source the way apply computes it.
func remapped(tb testing.TB) (*lang.Spec, *typemap.Model) {
	tb.Helper()
	ctx := context.Background()
	spec, _, diags := lang.LoadDir(".")
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	src, err := planSource(ctx, spec, spec.Sources[0], io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := planner.Plan(ctx, planner.Input{Spec: spec, Sources: []planner.Source{src}, Target: targetRef(spec), Now: time.Now(), Version: Version})
	if err != nil {
		tb.Fatal(err)
	}
	return spec, res.Model
}

// extractSession connects to dsn with the extraction's session settings,
// so values print as the extractor reads them. The caller closes it.
func extractSession(tb testing.TB, dsn string) *pgx.Conn {
	tb.Helper()
	ctx := context.Background()
	pg, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range typemap.ExtractSession {
		if _, err := pg.Exec(ctx, fmt.Sprintf("SET %s = '%s'", s.Name, s.Value)); err != nil {
			pg.Close(ctx)
			tb.Fatal(err)
		}
	}
	return pg
}
