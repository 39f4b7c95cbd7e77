package extract

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrSnapshotLost means a worker could not import the run's snapshot: the
// coordinator's transaction is gone (server restart, connection loss). The
// chunks read so far came from that snapshot; a new snapshot cannot
// continue it consistently, so the executor must start the affected tables
// over with a new snapshot (or accept the inconsistency knowingly).
var ErrSnapshotLost = errors.New("extract: the exported snapshot no longer exists")

// Snapshot is the coordinator: one connection holding a REPEATABLE READ
// READ ONLY transaction open for the whole run, whose snapshot every
// worker imports. Plan runs on it too, so chunk boundaries come from the
// same snapshot as the data.
type Snapshot struct {
	mu      sync.Mutex // one query at a time on conn
	conn    *pgx.Conn
	id      string
	version int // server_version_num
}

// BeginSnapshot opens the coordinator connection and exports its snapshot.
func BeginSnapshot(ctx context.Context, c Connector) (*Snapshot, error) {
	conn, err := connect(ctx, c)
	if err != nil {
		return nil, err
	}
	s := &Snapshot{conn: conn}
	if _, err := conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("extract: begin snapshot transaction: %w", err)
	}
	err = conn.QueryRow(ctx, "SELECT pg_export_snapshot(), current_setting('server_version_num')::int").Scan(&s.id, &s.version)
	if err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("extract: pg_export_snapshot: %w", err)
	}
	return s, nil
}

// ID is the exported snapshot identifier workers import.
func (s *Snapshot) ID() string { return s.id }

// ServerVersion is the server's server_version_num (e.g. 150004).
func (s *Snapshot) ServerVersion() int { return s.version }

// Plan cuts a table into chunks, reading catalog statistics and key
// boundaries inside the snapshot. Safe for concurrent use.
func (s *Snapshot) Plan(ctx context.Context, t Table, o PlanOptions) ([]Chunk, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil, errors.New("extract: snapshot is closed")
	}
	// A failed planning query must not abort the transaction that holds
	// the snapshot: run it in a savepoint and roll that back on error.
	if _, err := s.conn.Exec(ctx, "SAVEPOINT pgsnow_plan"); err != nil {
		return nil, fmt.Errorf("extract: plan %s: %w", quoteIdent(t.Schema, t.Name), err)
	}
	chunks, err := Plan(ctx, s.conn, t, o)
	if err != nil {
		if _, rerr := s.conn.Exec(ctx, "ROLLBACK TO SAVEPOINT pgsnow_plan"); rerr != nil {
			return nil, errors.Join(err, fmt.Errorf("extract: the snapshot transaction is unusable: %w", rerr))
		}
		return nil, err
	}
	if _, err := s.conn.Exec(ctx, "RELEASE SAVEPOINT pgsnow_plan"); err != nil {
		return nil, fmt.Errorf("extract: plan %s: %w", quoteIdent(t.Schema, t.Name), err)
	}
	return chunks, nil
}

// Close ends the coordinator transaction; workers that already imported
// the snapshot keep it.
func (s *Snapshot) Close(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	_, err := s.conn.Exec(ctx, "COMMIT")
	cerr := s.conn.Close(ctx)
	s.conn = nil
	return errors.Join(err, cerr)
}

// Worker is one extraction connection inside the run's snapshot. A worker
// runs one chunk at a time; open one per parallel stream. After any error
// from Extract the worker is closed: open a new one to retry.
type Worker struct {
	conn    *pgx.Conn
	snapID  string
	version int
	bufSize int
	bulk    *coalescingReader // nil when the connector cannot supply one
}

// OpenWorker connects, applies the session settings and imports the
// snapshot.
func OpenWorker(ctx context.Context, c Connector, snapshotID string) (*Worker, error) {
	conn, bulk, err := connectWorker(ctx, c)
	if err != nil {
		return nil, err
	}
	// Both statements in one simple-protocol round trip: SET TRANSACTION
	// SNAPSHOT must be the first statement of the transaction.
	_, err = conn.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT "+quoteLiteral(snapshotID))
	if err != nil {
		conn.Close(ctx)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "22023" {
			return nil, fmt.Errorf("%w (%s)", ErrSnapshotLost, pgErr.Message)
		}
		return nil, fmt.Errorf("extract: import snapshot: %w", err)
	}
	w := &Worker{conn: conn, snapID: snapshotID, bufSize: 256 << 10, bulk: bulk}
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&w.version); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("extract: server version: %w", err)
	}
	return w, nil
}

// Close ends the worker's transaction and connection.
func (w *Worker) Close(ctx context.Context) error {
	if w.conn == nil {
		return nil
	}
	_, err := w.conn.Exec(ctx, "COMMIT")
	cerr := w.conn.Close(ctx)
	w.conn = nil
	return errors.Join(err, cerr)
}

// abandon closes the connection after a failed chunk: the transaction is
// aborted (or the connection broken) and the worker cannot continue.
func (w *Worker) abandon() {
	if w.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		w.conn.Close(ctx)
		cancel()
		w.conn = nil
	}
}
