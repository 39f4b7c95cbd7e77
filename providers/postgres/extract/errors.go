package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

const closeTimeout = 5 * time.Second

// ChunkError is a failed chunk: it names the table and the chunk, and
// wraps the cause (IsTransient looks through it).
type ChunkError struct {
	Schema, Table string
	Num           int
	ID            string
	Err           error
}

func (e *ChunkError) Error() string {
	return fmt.Sprintf("extract %s chunk %d (%s): %s", quoteIdent(e.Schema, e.Table), e.Num, e.ID, describe(e.Err))
}

func (e *ChunkError) Unwrap() error { return e.Err }

// describe renders a PostgreSQL error with its SQLSTATE, other errors as is.
func describe(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		msg := pgErr.Message
		if pgErr.Detail != "" {
			msg += ": " + pgErr.Detail
		}
		return fmt.Sprintf("%s (SQLSTATE %s)", msg, pgErr.Code)
	}
	return err.Error()
}

// IsTransient reports whether retrying the chunk on a new connection may
// succeed: the server shut down or restarted (57P01–57P03), the connection
// failed (class 08, resets, EOF), or a connect timed out. A missing
// snapshot (ErrSnapshotLost) is not transient: retrying cannot bring it
// back. Cancellation by the caller's context is not transient either.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, ErrSnapshotLost) {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the caller's decision, not the server's
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case strings.HasPrefix(pgErr.Code, "08"):
			return true
		case pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03":
			return true
		case pgErr.Code == "53300": // too many connections
			return true
		}
		return false
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	// pgconn reports a connection that died under it as "conn closed" or
	// as an asyncClose'd conn without a typed cause.
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "unexpected EOF")
}
