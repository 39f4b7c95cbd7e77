package pgstate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/providers/postgres/pgtest"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/statetest"
)

// A child process (this test binary re-run with childEnv set) plays a
// second pgsnow holding the lock like a running apply.
const (
	childEnv = "PGSNOW_PGSTATE_TEST_CHILD"
	dsnEnv   = "PGSNOW_PGSTATE_TEST_DSN"
)

func init() {
	// Runs before TestMain: the child never starts a cluster of its own.
	if os.Getenv(childEnv) == "apply" {
		os.Exit(childApply(os.Getenv(dsnEnv)))
	}
}

// childApply locks, prints "locked ID", writes a step per stdin line and
// unlocks at end of input.
func childApply(dsn string) int {
	ctx := context.Background()
	fail := func(err error) int { fmt.Fprintln(os.Stderr, err); return 1 }
	m, err := New(Options{DSN: dsn})
	if err != nil {
		return fail(err)
	}
	defer m.Close()
	id, err := m.Lock(ctx, state.NewLockInfo("apply", "v-child"))
	if err != nil {
		return fail(err)
	}
	fmt.Println("locked", id)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		s, err := m.Read(ctx)
		if err != nil {
			return fail(err)
		}
		if s == nil {
			s = state.New("v-child")
		}
		addr, o := statetest.Object(len(s.Objects))
		s.Objects[addr] = o
		if err := m.Write(ctx, s); err != nil {
			return fail(err)
		}
		fmt.Println("wrote", s.Serial)
	}
	if err := m.Unlock(ctx, id); err != nil {
		return fail(err)
	}
	return 0
}

type child struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Scanner
	stderr *strings.Builder
}

func startChild(t *testing.T, dsn string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=apply", dsnEnv+"="+dsn)
	c := &child{cmd: cmd, stderr: &strings.Builder{}}
	cmd.Stderr = c.stderr
	var err error
	if c.in, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.out = bufio.NewScanner(out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return c
}

func (c *child) line(t *testing.T) string {
	t.Helper()
	if !c.out.Scan() {
		t.Fatalf("child ended early; stderr: %s", c.stderr)
	}
	return c.out.Text()
}

// TestTwoProcesses: while a child process holds the lock and writes steps,
// this process fails within its lock timeout naming the child; the state
// ends with every step the child wrote.
func TestTwoProcesses(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	c := startChild(t, dsn)
	id := strings.TrimPrefix(c.line(t), "locked ")
	io.WriteString(c.in, "step\n")
	if got := c.line(t); got != "wrote 1" {
		t.Fatalf("child: %q", got)
	}
	m := open(t, Options{DSN: dsn})
	_, err := state.LockWithTimeout(ctx, m, state.NewLockInfo("apply", "v"), 300*time.Millisecond)
	var le *state.LockError
	if !errors.As(err, &le) || le.Info == nil || le.Info.ID != id || le.Info.PID != c.cmd.Process.Pid || le.Gone {
		t.Fatalf("second apply: %v", err)
	}
	for _, want := range []string{"timed out after 300ms", "pid " + strconv.Itoa(c.cmd.Process.Pid), "Operation: apply", "pgsnow force-unlock " + id} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%s", want, err)
		}
	}
	io.WriteString(c.in, "step\n")
	if got := c.line(t); got != "wrote 2" {
		t.Fatalf("child: %q", got)
	}
	c.in.Close()
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("child: %v: %s", err, c.stderr)
	}
	s, err := m.Read(ctx)
	if err != nil || s.Serial != 2 || len(s.Objects) != 2 {
		t.Fatalf("state after the child's apply: %v, %+v", err, s)
	}
	if _, err := m.Lock(ctx, state.NewLockInfo("apply", "v")); err != nil {
		t.Fatalf("lock after the child released it: %v", err)
	}
}

// TestHolderKilled: a child killed while holding the lock leaves it to be
// reported as gone, and the state it wrote intact.
func TestHolderKilled(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.NewDatabase(t)
	c := startChild(t, dsn)
	id := strings.TrimPrefix(c.line(t), "locked ")
	io.WriteString(c.in, "step\n")
	c.line(t)
	c.cmd.Process.Signal(syscall.SIGKILL)
	c.cmd.Wait()
	m := open(t, Options{DSN: dsn})
	var err error
	var le *state.LockError
	// The server notices the dead client's closed socket at once; poll
	// briefly in case it has not yet ended the session.
	for range 100 {
		_, err = m.Lock(ctx, state.NewLockInfo("apply", "v"))
		if errors.As(err, &le) && le.Gone {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if le == nil || !le.Gone || le.Info.ID != id {
		t.Fatalf("lock of a killed holder: %v", err)
	}
	s, err := m.Read(ctx)
	if err != nil || s.Serial != 1 {
		t.Fatalf("state after the holder was killed: %v %+v", err, s)
	}
	if err := m.ForceUnlock(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Lock(ctx, state.NewLockInfo("apply", "v")); err != nil {
		t.Fatalf("lock after force-unlock: %v", err)
	}
}
