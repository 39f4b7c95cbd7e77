package command

import (
	"net"
	"strconv"
	"testing"

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
