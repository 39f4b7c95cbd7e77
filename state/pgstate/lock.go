package pgstate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/state"
)

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// lockRow reads the lock row (nil when unlocked). suffix is "" or a row
// lock clause such as "FOR SHARE".
func (m *Manager) lockRow(ctx context.Context, q querier, suffix string) (*state.LockInfo, int32, error) {
	var raw string
	var pid int32
	err := q.QueryRow(ctx, fmt.Sprintf("SELECT info::text, backend_pid FROM %s WHERE name = $1 %s", m.locks.Sanitize(), suffix), m.name).Scan(&raw, &pid)
	if errors.Is(err, pgx.ErrNoRows) || isUndefinedTable(err) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, wrap("read state lock", err)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.DisallowUnknownFields()
	var info state.LockInfo
	if err := dec.Decode(&info); err != nil || info.ID == "" {
		return nil, 0, fmt.Errorf("the lock row for state %q in %s is damaged (not pgsnow lock info)", m.name, m.locks.Sanitize())
	}
	return &info, pid, nil
}

// advisoryHolder returns the backend pid holding this state's advisory
// lock, or 0 when no session holds it.
func (m *Manager) advisoryHolder(ctx context.Context, q querier) (int32, error) {
	u := uint64(m.key)
	var pid int32
	err := q.QueryRow(ctx, `SELECT pid FROM pg_locks
WHERE locktype = 'advisory' AND granted AND objsubid = 1
  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND classid::bigint = $1 AND objid::bigint = $2`, int64(u>>32), int64(u&0xffffffff)).Scan(&pid)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read state lock holder: %w", err)
	}
	return pid, nil
}

// heldError describes a lock someone else holds. The holder is gone when
// no session holds the advisory lock that its row recorded.
func (m *Manager) heldError(ctx context.Context, q querier, holder *state.LockInfo, rowPID int32) error {
	pid, err := m.advisoryHolder(ctx, q)
	if err != nil {
		return err
	}
	if holder == nil {
		return &state.LockError{Err: errors.New("no lock info recorded yet"),
			Detail: fmt.Sprintf("the advisory lock is held by PostgreSQL backend pid %d", pid)}
	}
	if pid != 0 && pid == rowPID {
		return &state.LockError{Info: holder, Detail: fmt.Sprintf("its PostgreSQL session is backend pid %d", pid)}
	}
	return &state.LockError{Info: holder, Gone: true,
		Detail: fmt.Sprintf("its PostgreSQL session (backend pid %d) has ended", rowPID)}
}

// Holder returns the lock info, or nil when unlocked.
func (m *Manager) Holder(ctx context.Context) (*state.LockInfo, error) {
	var info *state.LockInfo
	err := m.withConn(ctx, func(conn *pgx.Conn) (err error) {
		info, _, err = m.lockRow(ctx, conn, "")
		return err
	})
	return info, err
}

// Lock takes the advisory lock on a dedicated connection and records info
// in the lock row.
func (m *Manager) Lock(ctx context.Context, info *state.LockInfo) (string, error) {
	if info.ID == "" {
		info.ID = state.NewID()
	}
	if err := m.ensure(ctx); err != nil {
		return "", err
	}
	raw, err := json.Marshal(info)
	if err != nil {
		return "", err
	}
	conn, err := pgx.ConnectConfig(ctx, m.cfg)
	if err != nil {
		return "", &connectError{err}
	}
	keep := false
	defer func() {
		if !keep {
			conn.Close(context.WithoutCancel(ctx))
		}
	}()
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", m.key).Scan(&ok); err != nil {
		return "", fmt.Errorf("lock state: %w", err)
	}
	if !ok {
		holder, pid, err := m.lockRow(ctx, conn, "")
		if err != nil {
			return "", err
		}
		return "", m.heldError(ctx, conn, holder, pid)
	}
	tag, err := conn.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (name, lock_id, info, backend_pid)
VALUES ($1, $2, $3::text::json, pg_backend_pid()) ON CONFLICT (name) DO NOTHING`, m.locks.Sanitize()),
		m.name, info.ID, string(raw))
	if err != nil {
		return "", fmt.Errorf("lock state: %w", err)
	}
	if tag.RowsAffected() == 0 {
		// We hold the advisory lock, so no live session does: the row was
		// left by a holder whose session ended. Report it; never take over.
		holder, pid, err := m.lockRow(ctx, conn, "")
		if err != nil {
			return "", err
		}
		if holder == nil {
			return "", &state.LockError{Err: errors.New("the lock changed hands while being read")}
		}
		return "", &state.LockError{Info: holder, Gone: true,
			Detail: fmt.Sprintf("its PostgreSQL session (backend pid %d) has ended", pid)}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lockConn != nil { // a lock this Manager lost to force-unlock
		m.lockConn.Close(ctx)
	}
	m.lockConn, m.heldID, keep = conn, info.ID, true
	return info.ID, nil
}

// Unlock deletes the lock row and ends the advisory lock's session.
func (m *Manager) Unlock(ctx context.Context, id string) error {
	holder, err := m.Holder(ctx)
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
	if m.heldID != id || m.lockConn == nil {
		return fmt.Errorf("lock %s is held by %s (pid %d), not by this process; if that run is gone, use pgsnow force-unlock %s",
			id, holder.Who, holder.PID, id)
	}
	conn := m.lockConn
	m.lockConn, m.heldID = nil, ""
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE name = $1 AND lock_id = $2", m.locks.Sanitize()), m.name, id); err != nil {
		return fmt.Errorf("unlock state: %w", err)
	}
	// Closing the session also drops the advisory lock; unlock explicitly
	// so it is gone before Unlock returns.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", m.key); err != nil {
		return fmt.Errorf("unlock state: %w", err)
	}
	return nil
}

// ForceUnlock deletes the lock row (fencing the old holder's writes), then
// ends the session holding the advisory lock if it is the recorded one.
func (m *Manager) ForceUnlock(ctx context.Context, id string) error {
	var rowPID int32
	err := m.withConn(ctx, func(conn *pgx.Conn) error {
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			holder, pid, err := m.lockRow(ctx, tx, "FOR UPDATE")
			switch {
			case err != nil:
				return err
			case holder == nil:
				return state.ErrNotLocked
			case holder.ID != id:
				return &state.WrongLockIDError{Given: id, Held: holder}
			}
			rowPID = pid
			_, err = tx.Exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE name = $1 AND lock_id = $2", m.locks.Sanitize()), m.name, id)
			return err
		})
	})
	if err != nil {
		return err
	}
	m.mu.Lock()
	if m.heldID == id && m.lockConn != nil {
		m.lockConn.Close(ctx)
		m.lockConn, m.heldID = nil, ""
	}
	m.mu.Unlock()
	return m.withConn(ctx, func(conn *pgx.Conn) error { return m.endSession(ctx, conn, rowPID) })
}

// endSession terminates the session holding the advisory lock, only if it
// is rowPID, the one the lock row recorded, and waits for it to end.
func (m *Manager) endSession(ctx context.Context, conn *pgx.Conn, rowPID int32) error {
	pid, err := m.advisoryHolder(ctx, conn)
	if err != nil || pid == 0 || pid != rowPID {
		return err // no session, or not the recorded one: leave it alone
	}
	var terminated bool
	if err := conn.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&terminated); err != nil || !terminated {
		return fmt.Errorf("the lock row was removed, but the holder's PostgreSQL session (backend pid %d) could not be ended (%v); ask a database administrator to run SELECT pg_terminate_backend(%d)", pid, err, pid)
	}
	// Wait for the session to go, so the lock can be taken right away.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if p, err := m.advisoryHolder(ctx, conn); err != nil || p != pid {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("the lock row was removed, but backend pid %d still holds the advisory lock", pid)
}
