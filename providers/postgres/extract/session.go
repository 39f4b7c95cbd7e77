package extract

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Connector opens a connection to the source. postgres.Source satisfies
// it; its errors are expected to be free of secrets already.
type Connector interface {
	Connect(ctx context.Context) (*pgx.Conn, error)
}

// Querier is what chunk planning reads through: a *pgx.Conn or a pgx.Tx.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// SessionSettings are set on every extraction connection so that values
// print the way FIDELITY.md requires ("CSV that round-trips"). The
// timeouts are disabled because a worker sits idle in its transaction
// between chunks and a chunk's COPY may run for a long time.
var SessionSettings = [][2]string{
	{"TimeZone", "UTC"},
	{"DateStyle", "ISO, YMD"},
	{"IntervalStyle", "iso_8601"},
	{"extra_float_digits", "3"},
	{"bytea_output", "hex"},
	{"client_encoding", "UTF8"},
	{"statement_timeout", "0"},
	{"idle_in_transaction_session_timeout", "0"},
}

// sessionSQL is one simple-protocol round trip setting SessionSettings.
func sessionSQL() string {
	s := ""
	for _, kv := range SessionSettings {
		s += fmt.Sprintf("SET %s = %s;", kv[0], quoteLiteral(kv[1]))
	}
	return s
}

// connect opens a connection with the session settings applied.
func connect(ctx context.Context, c Connector) (*pgx.Conn, error) {
	conn, err := c.Connect(ctx)
	if err != nil {
		return nil, err
	}
	if err := setSession(ctx, conn); err != nil {
		return nil, err
	}
	return conn, nil
}

// setSession applies SessionSettings; on error it closes conn.
func setSession(ctx context.Context, conn *pgx.Conn) error {
	if _, err := conn.Exec(ctx, sessionSQL()); err != nil {
		conn.Close(ctx)
		return fmt.Errorf("extract: session setup: %w", err)
	}
	return nil
}

// quoteLiteral quotes s as a SQL string literal (standard_conforming_strings
// is on in every supported server version).
func quoteLiteral(s string) string {
	out := make([]byte, 0, len(s)+2)
	out = append(out, '\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			out = append(out, '\'')
		}
		out = append(out, s[i])
	}
	return string(append(out, '\''))
}

// quoteIdent quotes a name as a SQL identifier.
func quoteIdent(parts ...string) string { return pgx.Identifier(parts).Sanitize() }

// DSNConnector connects with a pgx connection string (tests, tools).
type DSNConnector string

// Connect implements Connector.
func (d DSNConnector) Connect(ctx context.Context) (*pgx.Conn, error) {
	return pgx.Connect(ctx, string(d))
}

// ConnectWithFrontend implements FrontendConnector.
func (d DSNConnector) ConnectWithFrontend(ctx context.Context, build pgconn.BuildFrontendFunc) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(string(d))
	if err != nil {
		return nil, err
	}
	cfg.BuildFrontend = build
	return pgx.ConnectConfig(ctx, cfg)
}
