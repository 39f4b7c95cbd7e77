package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/statetest"
)

func TestConformance(t *testing.T) {
	statetest.Conformance(t, func(t *testing.T) statetest.Opener {
		path := filepath.Join(t.TempDir(), "pgsnow.state")
		return func(t *testing.T) state.Manager { return New(path) }
	})
}

func TestWriteKeepsBackupOfPreviousSerial(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pgsnow.state")
	m := New(path)
	s := statetest.Sample()
	if err := m.Write(ctx, s); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(m.BackupPath()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the first write made a backup: %v", err)
	}
	first, _ := os.ReadFile(path)
	addr, o := statetest.Object(7)
	s.Objects[addr] = o
	if err := m.Write(ctx, s); err != nil {
		t.Fatal(err)
	}
	backup, err := os.ReadFile(m.BackupPath())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(first), string(backup)); diff != "" {
		t.Errorf("backup is not the previous serial (-want +got):\n%s", diff)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"pgsnow.state", "pgsnow.state.backup", "pgsnow.state.wlock"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("files next to the state (-want +got):\n%s", diff)
	}
}

func TestReadRefusesDamagedFiles(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"empty":  "",
		"newer":  `{"format_version": 99, "pgsnow_version": "v9.0.0"}`,
		"broken": `{"format_version": 1, "lineage": `,
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(content), 0o644)
		m := New(path)
		_, err := m.Read(context.Background())
		if err == nil {
			t.Errorf("%s: Read succeeded", name)
			continue
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("%s: the error does not name the file: %v", name, err)
		}
		// Write refuses to overwrite what it cannot read.
		if err := m.Write(context.Background(), state.New("v")); err == nil {
			t.Errorf("%s: Write overwrote an unreadable state", name)
		}
		if got, _ := os.ReadFile(path); string(got) != content {
			t.Errorf("%s: the file changed", name)
		}
	}
	_, err := New(filepath.Join(dir, "newer")).Read(context.Background())
	var tooNew *state.TooNewError
	if !errors.As(err, &tooNew) || !strings.Contains(err.Error(), "upgrade pgsnow") {
		t.Errorf("newer format: %v", err)
	}
}

func TestDamagedLockFileIsReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pgsnow.state")
	os.WriteFile(path+".lock", []byte("garbage"), 0o644)
	_, err := New(path).Lock(context.Background(), state.NewLockInfo("apply", "v"))
	var le *state.LockError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "is damaged") {
		t.Fatalf("Lock with a damaged lock file: %v", err)
	}
	if got, _ := os.ReadFile(path + ".lock"); string(got) != "garbage" {
		t.Error("the damaged lock file was changed")
	}
}

func TestMissingDirectory(t *testing.T) {
	m := New(filepath.Join(t.TempDir(), "no", "such", "pgsnow.state"))
	if s, err := m.Read(context.Background()); s != nil || err != nil {
		t.Errorf("Read = %v, %v", s, err)
	}
	if err := m.Write(context.Background(), state.New("v")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("Write into a missing directory: %v", err)
	}
	if _, err := m.Lock(context.Background(), state.NewLockInfo("apply", "v")); err == nil {
		t.Error("Lock into a missing directory succeeded")
	}
}

// BenchmarkWrite measures one durable write of a state whose manifest has
// 5,000 files (a large table loaded in many chunks).
func BenchmarkWrite(b *testing.B) {
	ctx := context.Background()
	m := New(filepath.Join(b.TempDir(), "pgsnow.state"))
	s := statetest.Sample()
	l := s.Loads["load.app.public.t000"]
	for i := range 5000 {
		f := *l.Files[0]
		f.Name = fmt.Sprintf("t000/part-%05d.csv.zst", i)
		l.Files = append(l.Files, &f)
	}
	l.Files = l.Files[1:]
	data, _ := state.Encode(s)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := m.Write(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
}
