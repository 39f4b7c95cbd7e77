package load

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	sf "github.com/snowflakedb/gosnowflake"
)

// Snowflake and driver error numbers that mean "try again".
const (
	codeSessionExpired   = 390112 // session token expired (the driver renews; seen if renewal raced)
	codeSessionNotExist  = 390111 // session gone (server restarted, idle close)
	codeMasterExpired    = 390114 // authentication token expired
	codeServiceUnavail   = sf.ErrCodeServiceUnavailable
	codeFailedToPost     = sf.ErrFailedToPostQuery // HTTP status other than 200 after the driver's own retries
	codeFailedToRenew    = sf.ErrFailedToRenewSession
	codeFailedToConnect  = sf.ErrCodeFailedToConnect
	codeFailedToUpload   = sf.ErrFailedToUploadToStage
	codeFailedToGetChunk = sf.ErrFailedToGetChunk
)

// Transient reports whether err may succeed if the same statement is sent
// again: network failures, HTTP 5xx/429 surfaced by the driver, expired
// sessions, and a per-attempt deadline. Everything else (SQL compilation
// errors, conversion errors, permission denied, a row-count mismatch, a
// cancelled run) is permanent. ctx is the caller's context: when it is done
// nothing is transient, because retrying cannot outlive it.
func Transient(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var le *Error
	if errors.As(err, &le) && le.Op == "CHECK" {
		return false
	}
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true // the attempt's own timeout, not the caller's (checked above)
	}
	var se *sf.SnowflakeError
	if errors.As(err, &se) {
		switch se.Number {
		case codeSessionExpired, codeSessionNotExist, codeMasterExpired,
			codeServiceUnavail, codeFailedToPost, codeFailedToRenew, codeFailedToConnect,
			codeFailedToUpload, codeFailedToGetChunk:
			return true
		}
		if strings.HasPrefix(se.SQLState, "08") { // connection exception class
			return true
		}
		if se.SQLState != "" || se.Number != 0 {
			return false // Snowflake answered: compilation, data, permission errors
		}
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNABORTED) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	// The driver flattens some transport errors into text.
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"connection reset", "connection refused", "broken pipe", "unexpected eof",
		"http: 429", "http: 500", "http: 502", "http: 503", "http: 504", // failed to POST. HTTP: 503, URL: …
		"http status: 429", "http status: 500", "http status: 502", "http status: 503", "http status: 504", // timeout after … attempts. HTTP Status: 503
		"server closed idle connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
