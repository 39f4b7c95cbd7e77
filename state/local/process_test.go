package local

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/statetest"
)

// The tests below re-run this test binary as a child process (another
// pgsnow, as far as the state is concerned) with childEnv naming its role.
const (
	childEnv  = "PGSNOW_STATE_TEST_CHILD"
	pathEnv   = "PGSNOW_STATE_TEST_PATH"
	childExit = 42 // the child finished without being killed
)

func TestMain(m *testing.M) {
	if role := os.Getenv(childEnv); role != "" {
		os.Exit(child(role, os.Getenv(pathEnv)))
	}
	os.Exit(m.Run())
}

func child(role, path string) int {
	ctx := context.Background()
	m := New(path)
	fail := func(err error) int { fmt.Fprintln(os.Stderr, err); return 1 }
	switch {
	case strings.HasPrefix(role, "crash:"):
		// Kill ourselves at one point of a write, as power loss or OOM would.
		point := strings.TrimPrefix(role, "crash:")
		faultHook = func(p string) {
			if p == point {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
		}
		s, err := m.Read(ctx)
		if err != nil {
			return fail(err)
		}
		addr, o := statetest.Object(999)
		s.Objects[addr] = o
		if err := m.Write(ctx, s); err != nil {
			return fail(err)
		}
		return childExit
	case role == "loop":
		// Write forever, printing each stored serial; the parent kills us.
		s, err := m.Read(ctx)
		if err != nil {
			return fail(err)
		}
		for i := 0; ; i++ {
			addr, o := statetest.Object(i % 500)
			s.Objects[addr] = o
			if err := m.Write(ctx, s); err != nil {
				return fail(err)
			}
			fmt.Println(s.Serial)
		}
	case role == "apply", role == "die-holding-lock":
		info := state.NewLockInfo("apply", "v-child")
		id, err := m.Lock(ctx, info)
		if err != nil {
			return fail(err)
		}
		fmt.Println("locked", id)
		if role == "die-holding-lock" {
			return childExit // exits without unlocking
		}
		// Hold the lock, writing a step each time the parent says so.
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			s, err := m.Read(ctx)
			if err != nil {
				return fail(err)
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
		return childExit
	}
	return fail(fmt.Errorf("unknown child role %q", role))
}

type childProc struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Scanner
	errBuf *strings.Builder
}

func startChild(t *testing.T, role, path string) *childProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+role, pathEnv+"="+path)
	errBuf := &strings.Builder{}
	cmd.Stderr = errBuf
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return &childProc{cmd: cmd, in: in, out: bufio.NewScanner(out), errBuf: errBuf}
}

func (c *childProc) line(t *testing.T) string {
	t.Helper()
	if !c.out.Scan() {
		t.Fatalf("child ended early: %v; stderr: %s", c.out.Err(), c.errBuf)
	}
	return c.out.Text()
}

// wait returns the exit code, or -1 with the signal when killed.
func (c *childProc) wait() (int, syscall.Signal) {
	err := c.cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -1, ws.Signal()
		}
		return ee.ExitCode(), 0
	}
	return 0, 0
}

func writeStates(t *testing.T, path string, n int) *state.State {
	t.Helper()
	m := New(path)
	s := statetest.Sample()
	for range n {
		if err := m.Write(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestCrashWhileWriting kills a child process at each point of a write:
// the state file is always the previous or the new version, never corrupt
// or empty, and the next write cleans up and succeeds.
func TestCrashWhileWriting(t *testing.T) {
	for _, tt := range []struct {
		point      string
		wantSerial int64
	}{
		{"temp-written", 2},   // new version fsynced in a temp file, not yet renamed
		{"backup-written", 2}, // backup replaced, state not yet
		{"renamed", 3},        // renamed, directory not yet fsynced
	} {
		t.Run(tt.point, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pgsnow.state")
			writeStates(t, path, 2)
			c := startChild(t, "crash:"+tt.point, path)
			code, sig := c.wait()
			if sig != syscall.SIGKILL {
				t.Fatalf("child was not killed at %s: exit %d, stderr %s", tt.point, code, c.errBuf)
			}
			m := New(path)
			s, err := m.Read(context.Background())
			if err != nil {
				t.Fatalf("state after a crash at %s: %v", tt.point, err)
			}
			if s.Serial != tt.wantSerial {
				t.Errorf("serial after a crash at %s = %d, want %d", tt.point, s.Serial, tt.wantSerial)
			}
			if b, err := os.ReadFile(m.BackupPath()); err != nil {
				t.Errorf("backup: %v", err)
			} else if _, err := state.Decode(b); err != nil {
				t.Errorf("backup after a crash at %s is corrupt: %v", tt.point, err)
			}
			if err := m.Write(context.Background(), s); err != nil {
				t.Fatalf("write after the crash: %v", err)
			}
			if temps, _ := filepath.Glob(path + ".tmp-*"); len(temps) != 0 {
				t.Errorf("temporary files left after the next write: %v", temps)
			}
		})
	}
}

// TestKillDuringWriteLoop kills a child that writes the state in a loop at
// whatever moment the kill lands.
func TestKillDuringWriteLoop(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pgsnow.state")
	writeStates(t, path, 1)
	c := startChild(t, "loop", path)
	var last int64
	for last < 30 {
		n, err := strconv.ParseInt(c.line(t), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		last = n
	}
	c.cmd.Process.Kill()
	c.wait()
	s, err := New(path).Read(context.Background())
	if err != nil {
		t.Fatalf("state after killing a writer: %v", err)
	}
	if s.Serial < last {
		t.Errorf("serial %d is older than the last write the child reported (%d)", s.Serial, last)
	}
}

// TestTwoProcesses: a child process holds the lock like a running apply and
// writes steps; this process fails within its lock timeout with a message
// naming the child; after the child finishes the state has all its steps.
func TestTwoProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pgsnow.state")
	writeStates(t, path, 1)
	c := startChild(t, "apply", path)
	lockLine := c.line(t)
	id := strings.TrimPrefix(lockLine, "locked ")
	io.WriteString(c.in, "step\n")
	if got := c.line(t); got != "wrote 2" {
		t.Fatalf("child: %q", got)
	}
	m := New(path)
	_, err := state.LockWithTimeout(context.Background(), m, state.NewLockInfo("apply", "v"), 300*time.Millisecond)
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
	if got := c.line(t); got != "wrote 3" {
		t.Fatalf("child: %q", got)
	}
	c.in.Close()
	if code, _ := c.wait(); code != childExit {
		t.Fatalf("child exit %d: %s", code, c.errBuf)
	}
	s, err := m.Read(context.Background())
	if err != nil || s.Serial != 3 || len(s.Objects) != 5 {
		t.Fatalf("state after the child's apply: %v, %+v", err, s)
	}
	if _, err := m.Lock(context.Background(), state.NewLockInfo("apply", "v")); err != nil {
		t.Fatalf("lock after the child released it: %v", err)
	}
}

// TestDeadHolderReported: a process that died holding the lock is reported
// as gone, the lock is not broken, and force-unlock releases it.
func TestDeadHolderReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pgsnow.state")
	c := startChild(t, "die-holding-lock", path)
	id := strings.TrimPrefix(c.line(t), "locked ")
	if code, _ := c.wait(); code != childExit {
		t.Fatalf("child exit %d: %s", code, c.errBuf)
	}
	m := New(path)
	for range 2 { // reported every time, never broken silently
		_, err := m.Lock(context.Background(), state.NewLockInfo("apply", "v"))
		var le *state.LockError
		if !errors.As(err, &le) || !le.Gone || le.Info.ID != id {
			t.Fatalf("lock held by a dead process: %v", err)
		}
		if !strings.Contains(err.Error(), "no longer running") {
			t.Errorf("message: %s", err)
		}
	}
	if err := m.ForceUnlock(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Lock(context.Background(), state.NewLockInfo("apply", "v")); err != nil {
		t.Fatalf("lock after force-unlock: %v", err)
	}
}
