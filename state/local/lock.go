package local

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/pgsnow/pgsnow/state"
)

// Lock creates PATH.lock holding info, only if it does not exist.
func (m *Manager) Lock(ctx context.Context, info *state.LockInfo) (string, error) {
	if info.ID == "" {
		info.ID = state.NewID()
	}
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return "", err
	}
	data = append(data, '\n')
	dir, base := filepath.Split(m.path)
	if dir == "" {
		dir = "."
	}
	for attempt := 0; ; attempt++ {
		err := createExclusive(dir, base, m.LockPath(), data)
		if err == nil {
			if err := syncDir(dir); err != nil {
				os.Remove(m.LockPath())
				return "", fmt.Errorf("lock state: %w", err)
			}
			m.mu.Lock()
			m.heldID = info.ID
			m.mu.Unlock()
			return info.ID, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("lock state: %w", err)
		}
		holder, rerr := m.readLock()
		switch {
		case rerr != nil:
			return "", &state.LockError{Err: rerr}
		case holder != nil:
			return "", &state.LockError{Info: holder, Gone: gone(holder)}
		case attempt > 3: // released and retaken over and over: report, don't spin
			return "", &state.LockError{Err: errors.New("the lock changed hands while being read")}
		}
		// The holder unlocked between our attempt and the read: try again.
	}
}

// createExclusive makes path hold data, failing with fs.ErrExist when it
// exists. A hard link of a complete temporary file never exposes partial
// content; where hard links are not supported, O_EXCL is the fallback.
func createExclusive(dir, base, path string, data []byte) error {
	tmp, err := writeTemp(dir, base+".lock.tmp-", data)
	if err != nil {
		return err
	}
	err = os.Link(tmp, path)
	os.Remove(tmp)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
	}
	return err
}

// readLock returns the lock info, or nil when the state is not locked.
func (m *Manager) readLock() (*state.LockInfo, error) {
	data, err := os.ReadFile(m.LockPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read lock file %s: %w", m.LockPath(), err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var info state.LockInfo
	if err := dec.Decode(&info); err != nil || info.ID == "" {
		return nil, fmt.Errorf("lock file %s is damaged (%d bytes, not pgsnow lock info); if no pgsnow is running, remove it by hand", m.LockPath(), len(data))
	}
	return &info, nil
}

// Holder returns the lock info, or nil when unlocked.
func (m *Manager) Holder(ctx context.Context) (*state.LockInfo, error) { return m.readLock() }

// Unlock removes the lock this Manager holds.
func (m *Manager) Unlock(ctx context.Context, id string) error {
	return m.remove(ctx, id, false)
}

// ForceUnlock removes the lock whoever holds it, if id is its id.
func (m *Manager) ForceUnlock(ctx context.Context, id string) error {
	return m.remove(ctx, id, true)
}

func (m *Manager) remove(ctx context.Context, id string, force bool) error {
	// Inside the write critical section the lock file cannot change hands
	// between the check and the removal (other removals wait, and a new
	// lock cannot be created while this one exists).
	unlock, err := m.critical(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	holder, err := m.readLock()
	if err != nil {
		return err
	}
	if holder == nil {
		return state.ErrNotLocked
	}
	if holder.ID != id {
		return &state.WrongLockIDError{Given: id, Held: holder}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !force && m.heldID != id {
		return fmt.Errorf("lock %s is held by %s (pid %d), not by this process; if that run is gone, use pgsnow force-unlock %s",
			id, holder.Who, holder.PID, id)
	}
	if err := os.Remove(m.LockPath()); err != nil {
		return fmt.Errorf("unlock state: %w", err)
	}
	if m.heldID == id {
		m.heldID = ""
	}
	return syncDir(filepath.Dir(m.path))
}
