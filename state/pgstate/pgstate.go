package pgstate

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgsnow/pgsnow/state"
)

// DefaultTable and DefaultName are used when Options leave them empty.
const (
	DefaultTable = "pgsnow_state"
	DefaultName  = "default"
)

// Options say where the state lives.
type Options struct {
	// DSN of the database holding the state. It is used to connect and never
	// appears in messages or errors.
	DSN string
	// Table is "table" or "schema.table" (default pgsnow_state); the locks
	// table is the same name with "_locks" appended.
	Table string
	// Name of the state within the table (default "default").
	Name string
}

// Manager is a state.Manager in a PostgreSQL table.
type Manager struct {
	name        string
	table       pgx.Identifier
	locks       pgx.Identifier
	key         int64           // advisory lock key for this state
	cfg         *pgx.ConnConfig // for the lock session
	connCfg     *pgx.ConnConfig // for reads and writes
	description string

	connMu sync.Mutex // one connection for reads and writes, used in turn
	conn   *pgx.Conn

	mu       sync.Mutex
	ensured  bool
	lockConn *pgx.Conn // the session holding the advisory lock
	heldID   string
}

var _ state.Manager = (*Manager)(nil)

var tableRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$`)

// New prepares a Manager; it connects lazily, on first use.
func New(opts Options) (*Manager, error) {
	if opts.Table == "" {
		opts.Table = DefaultTable
	}
	if opts.Name == "" {
		opts.Name = DefaultName
	}
	if !tableRe.MatchString(opts.Table) {
		return nil, fmt.Errorf("state table %q must be a plain identifier or schema.table", opts.Table)
	}
	connCfg, err := pgx.ParseConfig(opts.DSN)
	if err != nil {
		// pgx's parse errors may quote the DSN; never repeat it.
		return nil, errors.New("the state DSN is not a valid PostgreSQL connection string")
	}
	connCfg.RuntimeParams["application_name"] = "pgsnow-state"
	lockCfg := connCfg.Copy()
	lockCfg.RuntimeParams["application_name"] = "pgsnow-state-lock"
	parts := strings.Split(opts.Table, ".")
	locks := append(pgx.Identifier{}, parts...)
	locks[len(locks)-1] += "_locks"
	h := fnv.New64a()
	h.Write([]byte("pgsnow-state\x00" + opts.Table + "\x00" + opts.Name))
	return &Manager{
		name:    opts.Name,
		table:   pgx.Identifier(parts),
		locks:   locks,
		key:     int64(h.Sum64()),
		cfg:     lockCfg,
		connCfg: connCfg,
		description: fmt.Sprintf("postgres state %q in table %s (database %s on %s)",
			opts.Name, opts.Table, connCfg.Database, connCfg.Host),
	}, nil
}

func (m *Manager) String() string { return m.description }

// BackupDescription says where the previous serial is kept.
func (m *Manager) BackupDescription() string {
	return fmt.Sprintf("column previous_data of table %s (row %q)", m.table.Sanitize(), m.name)
}

// Close closes the connections. A lock still held is not released: its row
// stays and the next Lock reports the holder as gone (as if it had died).
func (m *Manager) Close() error {
	m.mu.Lock()
	if m.lockConn != nil {
		m.lockConn.Close(context.Background())
		m.lockConn = nil
	}
	m.mu.Unlock()
	m.connMu.Lock()
	defer m.connMu.Unlock()
	if m.conn != nil {
		m.conn.Close(context.Background())
		m.conn = nil
	}
	return nil
}

// withConn runs fn on the Manager's connection, connecting when needed and
// dropping a connection that broke.
func (m *Manager) withConn(ctx context.Context, fn func(conn *pgx.Conn) error) error {
	m.connMu.Lock()
	defer m.connMu.Unlock()
	if m.conn == nil || m.conn.IsClosed() {
		conn, err := pgx.ConnectConfig(ctx, m.connCfg)
		if err != nil {
			return &connectError{err}
		}
		m.conn = conn
	}
	err := fn(m.conn)
	if m.conn.IsClosed() {
		m.conn = nil
	}
	return err
}

// connectError is a failure to reach the state database; callers return
// it unwrapped, since "read state: …" would only add noise to it.
type connectError struct{ err error }

func (e *connectError) Error() string {
	return "cannot connect to the state database: " + e.err.Error()
}
func (e *connectError) Unwrap() error { return e.err }

// wrap prefixes err with what was being done, unless it is a connectError.
func wrap(what string, err error) error {
	var ce *connectError
	if errors.As(err, &ce) {
		return ce
	}
	return fmt.Errorf("%s: %w", what, err)
}

func isUndefinedTable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42P01"
}

// ensure creates the tables once per Manager. A transaction-level advisory
// lock keeps concurrent first runs from racing on CREATE TABLE.
func (m *Manager) ensure(ctx context.Context) error {
	m.mu.Lock()
	done := m.ensured
	m.mu.Unlock()
	if done {
		return nil
	}
	err := m.withConn(ctx, func(conn *pgx.Conn) error {
		return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error { return m.create(ctx, tx) })
	})
	if err != nil {
		return wrap("create state tables "+m.table.Sanitize(), err)
	}
	m.mu.Lock()
	m.ensured = true
	m.mu.Unlock()
	return nil
}

func (m *Manager) create(ctx context.Context, tx pgx.Tx) error {
	{
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", m.key^1); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
  name text PRIMARY KEY,
  lineage text NOT NULL,
  serial bigint NOT NULL,
  data json NOT NULL,
  previous_serial bigint,
  previous_data json,
  updated_at timestamptz NOT NULL DEFAULT now()
)`, m.table.Sanitize()))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
  name text PRIMARY KEY,
  lock_id text NOT NULL,
  info json NOT NULL,
  backend_pid integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`, m.locks.Sanitize()))
		return err
	}
}

// Read returns the stored state, or nil when there is none.
func (m *Manager) Read(ctx context.Context) (*state.State, error) {
	var data string
	err := m.withConn(ctx, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, fmt.Sprintf("SELECT data::text FROM %s WHERE name = $1", m.table.Sanitize()), m.name).Scan(&data)
	})
	if errors.Is(err, pgx.ErrNoRows) || isUndefinedTable(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("read state", err)
	}
	s, err := state.Decode([]byte(data))
	if err != nil {
		return nil, fmt.Errorf("read state (%s): %w", m, err)
	}
	return s, nil
}

// Write persists s in one transaction that locks the state row, fences on
// the lock row and checks the serial.
func (m *Manager) Write(ctx context.Context, s *state.State) error {
	if err := m.ensure(ctx); err != nil {
		return err
	}
	m.mu.Lock()
	held := m.heldID
	m.mu.Unlock()
	return m.withConn(ctx, func(conn *pgx.Conn) error { return m.write(ctx, conn, held, s) })
}

func (m *Manager) write(ctx context.Context, conn *pgx.Conn, held string, s *state.State) error {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	holder, pid, err := m.lockRow(ctx, tx, "FOR SHARE")
	if err != nil {
		return err
	}
	switch {
	case held != "" && (holder == nil || holder.ID != held):
		return state.ErrLockLost
	case held == "" && holder != nil:
		return m.heldError(ctx, tx, holder, pid)
	}
	// The row's columns carry lineage and serial; only the format version
	// is read from the JSON, so a write does not decode the whole state.
	var snap state.Snapshot
	var format *int
	var writer *string
	err = tx.QueryRow(ctx, fmt.Sprintf(`SELECT lineage, serial, (data->>'format_version')::int, data->>'pgsnow_version'
FROM %s WHERE name = $1 FOR UPDATE`, m.table.Sanitize()), m.name).Scan(&snap.Lineage, &snap.Serial, &format, &writer)
	var stored *state.Snapshot
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return wrap("write state", err)
	case format == nil:
		return fmt.Errorf("the stored state (%s) has no format_version; not overwriting it", m)
	case *format > state.FormatVersion:
		return &state.TooNewError{FormatVersion: *format, PgsnowVersion: deref(writer)}
	default:
		stored = &snap
	}
	if err := state.CheckWrite(stored, s); err != nil {
		return err
	}
	s.Serial++
	if err := m.store(ctx, tx, stored, s); err != nil {
		s.Serial--
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		s.Serial--
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func (m *Manager) store(ctx context.Context, tx pgx.Tx, stored *state.Snapshot, s *state.State) error {
	data, err := state.Encode(s)
	if err != nil {
		return err
	}
	if stored == nil {
		tag, err := tx.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (name, lineage, serial, data)
VALUES ($1, $2, $3, $4::text::json) ON CONFLICT (name) DO NOTHING`, m.table.Sanitize()),
			m.name, s.Lineage, s.Serial, string(data))
		if err != nil {
			return fmt.Errorf("write state: %w", err)
		}
		if tag.RowsAffected() == 0 { // another first write won the race
			return &state.SerialError{Stored: 1, Given: 0}
		}
		return nil
	}
	tag, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE %s SET lineage = $2, serial = $3, data = $4::text::json,
  previous_serial = serial, previous_data = data, updated_at = now()
WHERE name = $1 AND serial = $5`, m.table.Sanitize()),
		m.name, s.Lineage, s.Serial, string(data), stored.Serial)
	if err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	if tag.RowsAffected() != 1 { // cannot happen under FOR UPDATE; refuse rather than guess
		return &state.SerialError{Stored: -1, Given: s.Serial - 1}
	}
	return nil
}
