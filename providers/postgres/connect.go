package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Source is a PostgreSQL database to read from. It holds the parsed
// connection settings; the password never leaves it in an error.
type Source struct {
	name     string
	cfg      *pgx.ConnConfig
	password string
}

// NewSource parses a connection string (URL or key=value). name labels
// the source in messages (the spec's source name).
func NewSource(name, connString string) (*Source, error) {
	cfg, err := pgx.ParseConfig(connString)
	if err != nil {
		// The parse error may quote the connection string; say only why.
		return nil, fmt.Errorf("source %q: invalid connection string: %s", name, parseReason(err, connString))
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 15 * time.Second
	}
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "pgsnow"
	}
	// Profiling judges timestamptz years in UTC (FIDELITY.md).
	cfg.RuntimeParams["TimeZone"] = "UTC"
	return &Source{name: name, cfg: cfg, password: cfg.Password}, nil
}

// Name is the source's label.
func (s *Source) Name() string { return s.name }

// Database is the database name the source connects to.
func (s *Source) Database() string { return s.cfg.Database }

// SetTracer installs a pgx query tracer on future connections (tests
// count queries with it).
func (s *Source) SetTracer(t pgx.QueryTracer) { s.cfg.Tracer = t }

// Connect opens a connection; its errors are one line, name the
// problem and never contain the password.
func (s *Source) Connect(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.ConnectConfig(ctx, s.cfg.Copy())
	if err != nil {
		return nil, s.connectError(err)
	}
	return conn, nil
}

// ConnectWithFrontend is Connect with the protocol reader build makes
// (extract's coalescing COPY reader).
func (s *Source) ConnectWithFrontend(ctx context.Context, build pgconn.BuildFrontendFunc) (*pgx.Conn, error) {
	cfg := s.cfg.Copy()
	cfg.BuildFrontend = build
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, s.connectError(err)
	}
	return conn, nil
}

// where describes the connection target without secrets.
func (s *Source) where() string {
	return fmt.Sprintf("source %q (%s:%d, database %q, user %q)", s.name, s.cfg.Host, s.cfg.Port, s.cfg.Database, s.cfg.User)
}

func (s *Source) connectError(err error) error {
	return fmt.Errorf("%s: cannot connect: %s", s.where(), s.scrub(connectProblem(err, s.cfg)))
}

// queryError wraps an error from a query run on an open connection.
func (s *Source) queryError(what string, err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg := pgErr.Message
		if pgErr.Code == "42501" {
			msg = "missing privilege: " + msg
		}
		return fmt.Errorf("%s: %s: %s (SQLSTATE %s)", s.where(), what, s.scrub(oneLine(msg)), pgErr.Code)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %s: %w", s.where(), what, err)
	}
	return fmt.Errorf("%s: %s: %s", s.where(), what, s.scrub(oneLine(innermost(err).Error())))
}

// scrub removes the password from a message, belt and braces: none of
// the messages built here should contain it.
func (s *Source) scrub(msg string) string {
	if s.password != "" {
		msg = strings.ReplaceAll(msg, s.password, "xxxxx")
	}
	return msg
}

// connectProblem names what went wrong in words a user can act on.
func connectProblem(err error, cfg *pgx.ConnConfig) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "28P01":
			return fmt.Sprintf("wrong password for user %q (password authentication failed)", cfg.User)
		case "28000":
			return "not allowed to connect: " + oneLine(pgErr.Message) + " (check pg_hba.conf and the user name)"
		case "3D000":
			return fmt.Sprintf("database %q does not exist", cfg.Database)
		case "42501":
			return "missing privilege: " + oneLine(pgErr.Message)
		case "53300":
			return "the server has too many connections: " + oneLine(pgErr.Message)
		case "57P03":
			return "the server is starting up or shutting down"
		}
		return oneLine(pgErr.Message) + " (SQLSTATE " + pgErr.Code + ")"
	}
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return fmt.Sprintf("host unreachable: no answer from %s:%d within %s", cfg.Host, cfg.Port, cfg.ConnectTimeout)
	}
	if errors.Is(err, context.Canceled) {
		return "canceled"
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Sprintf("host unreachable: cannot resolve host name %q", cfg.Host)
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Sprintf("host unreachable: connection refused at %s:%d (is PostgreSQL running and listening on that address?)", cfg.Host, cfg.Port)
	}
	if errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return fmt.Sprintf("host unreachable: no route to %s:%d", cfg.Host, cfg.Port)
	}
	msg := oneLine(innermost(err).Error())
	if strings.Contains(msg, "SSL") || strings.Contains(msg, "tls") {
		return "TLS negotiation failed: " + msg + " (check sslmode)"
	}
	return msg
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// innermost unwraps to the deepest single error: pgconn's outer errors
// repeat host and user details we already print.
func innermost(err error) error {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err
		}
		err = u
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// parseReason extracts the reason from a pgx parse error without the
// connection string it may quote.
func parseReason(err error, connString string) string {
	var pe *pgconn.ParseConfigError
	msg := err.Error()
	if errors.As(err, &pe) {
		if u := errors.Unwrap(pe); u != nil {
			msg = u.Error()
		} else {
			// pgx formats "cannot parse `<redacted>`: reason".
			if i := strings.LastIndex(msg, "`: "); i >= 0 {
				msg = msg[i+3:]
			}
		}
	}
	msg = strings.ReplaceAll(msg, connString, "<connection string>")
	return oneLine(msg)
}
