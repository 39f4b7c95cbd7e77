package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"

	"github.com/pgsnow/pgsnow/state"
)

// Manager is a state.Manager for a local file.
type Manager struct {
	path string

	mu     sync.Mutex
	heldID string // the lock id this Manager holds, "" when none
}

var _ state.Manager = (*Manager)(nil)

// New returns a Manager for the state file at path. Nothing is created
// until the first Write or Lock.
func New(path string) *Manager { return &Manager{path: path} }

// Path is the state file; BackupPath holds the previous serial; LockPath
// the lock info while the state is locked.
func (m *Manager) Path() string       { return m.path }
func (m *Manager) BackupPath() string { return m.path + ".backup" }
func (m *Manager) LockPath() string   { return m.path + ".lock" }

func (m *Manager) String() string { return "local state file " + m.path }

// BackupDescription says where the previous serial is kept.
func (m *Manager) BackupDescription() string { return m.BackupPath() }
func (m *Manager) Close() error              { return nil }

// faultHook, when set (by tests only), is called at each point of a write;
// the crash tests kill the process there.
var faultHook func(point string)

func fault(point string) {
	if faultHook != nil {
		faultHook(point)
	}
}

// Read returns the stored state, or nil when the file does not exist.
func (m *Manager) Read(ctx context.Context) (*state.State, error) {
	data, err := os.ReadFile(m.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state: %w", err)
	}
	return decode(m.path, data)
}

func decode(path string, data []byte) (*state.State, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("read state: %s is empty; the previous version is in %s.backup (see docs/state.md, recovery)", path, path)
	}
	s, err := state.Decode(data)
	if err != nil {
		return nil, fmt.Errorf("read state %s: %w", path, err)
	}
	return s, nil
}

// Write persists s atomically; see state.Manager.
func (m *Manager) Write(ctx context.Context, s *state.State) error {
	unlock, err := m.critical(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if err := m.checkLock(); err != nil {
		return err
	}
	old, err := os.ReadFile(m.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("write state: %w", err)
	}
	var stored *state.Snapshot
	if old != nil {
		if len(old) == 0 {
			return fmt.Errorf("%s is empty; not overwriting it (the previous version is in %s)", m.path, m.BackupPath())
		}
		snap, err := state.Peek(old)
		if err != nil {
			return fmt.Errorf("read state %s: %w; not overwriting it", m.path, err)
		}
		stored = &snap
	}
	if err := state.CheckWrite(stored, s); err != nil {
		return err
	}
	s.Serial++
	data, err := state.Encode(s)
	if err == nil {
		err = m.replace(old, data)
	}
	if err != nil {
		s.Serial--
		return fmt.Errorf("write state %s: %w", m.path, err)
	}
	return nil
}

// checkLock fences writers: the holder must still hold its lock, and no
// one may write while someone else holds it.
func (m *Manager) checkLock() error {
	holder, err := m.readLock()
	if err != nil {
		return err
	}
	m.mu.Lock()
	held := m.heldID
	m.mu.Unlock()
	switch {
	case held != "" && (holder == nil || holder.ID != held):
		return state.ErrLockLost
	case held == "" && holder != nil:
		return &state.LockError{Info: holder, Gone: gone(holder)}
	}
	return nil
}

// replace puts data at m.path, keeping old (if any) at the backup path.
func (m *Manager) replace(old, data []byte) error {
	dir, base := filepath.Split(m.path)
	if dir == "" {
		dir = "."
	}
	m.removeTemps(dir, base)
	tmp, err := writeTemp(dir, base+".tmp-", data)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // a no-op after the rename
	fault("temp-written")
	if old != nil {
		btmp, err := writeTemp(dir, base+".tmp-", old)
		if err != nil {
			return err
		}
		if err := os.Rename(btmp, m.BackupPath()); err != nil {
			os.Remove(btmp)
			return err
		}
		fault("backup-written")
	}
	if err := os.Rename(tmp, m.path); err != nil {
		return err
	}
	fault("renamed")
	return syncDir(dir)
}

// removeTemps deletes writes a crash left behind. Only called inside the
// write critical section, so no other write is in progress.
func (m *Manager) removeTemps(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, globEscape(base)+".tmp-*"))
	for _, p := range matches {
		os.Remove(p)
	}
}

func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`, `[`, `\[`).Replace(s)
}

// writeTemp writes data to a new file in dir, fsynced and closed.
func writeTemp(dir, prefix string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, prefix)
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// critical enters the write critical section: a kernel flock on PATH.wlock,
// shared by every Manager and process on this state. It is held for
// milliseconds, and the kernel releases it if the process dies, which is
// right here (unlike for the state lock).
func (m *Manager) critical(ctx context.Context) (func(), error) {
	if dir := filepath.Dir(m.path); dir != "." {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("state directory: %w", err)
		}
	}
	fl := flock.New(m.path + ".wlock")
	ok, err := fl.TryLockContext(ctx, 5*time.Millisecond)
	if err != nil || !ok {
		return nil, fmt.Errorf("state write lock %s: %w", fl.Path(), errors.Join(err, ctx.Err()))
	}
	return func() { fl.Unlock() }, nil
}
