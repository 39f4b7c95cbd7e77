package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgconn"
)

func TestIsTransient(t *testing.T) {
	pg := func(code string) error { return &pgconn.PgError{Code: code, Message: "m"} }
	chunk := func(err error) error {
		return &ChunkError{Schema: "s", Table: "t", Num: 3, ID: "ctid:s.t:0-", Err: err}
	}
	cases := map[string]error{
		"57P01 admin shutdown":     chunk(pg("57P01")),
		"57P02 crash shutdown":     chunk(pg("57P02")),
		"57P03 cannot connect now": pg("57P03"),
		"08006 connection failure": chunk(pg("08006")),
		"08001 unable to connect":  pg("08001"),
		"53300 too many conns":     pg("53300"),
		"unexpected EOF":           chunk(fmt.Errorf("read: %w", io.ErrUnexpectedEOF)),
		"connection reset":         chunk(fmt.Errorf("read: %w", syscall.ECONNRESET)),
		"22012 division by zero":   chunk(pg("22012")),
		"42501 permission denied":  chunk(pg("42501")),
		"42P01 undefined table":    pg("42P01"),
		"snapshot lost":            fmt.Errorf("%w (x)", ErrSnapshotLost),
		"context canceled":         chunk(fmt.Errorf("copy: %w", context.Canceled)),
		"deadline exceeded":        chunk(context.DeadlineExceeded),
		"plain error":              errors.New("boom"),
	}
	want := map[string]bool{
		"57P01 admin shutdown": true, "57P02 crash shutdown": true, "57P03 cannot connect now": true,
		"08006 connection failure": true, "08001 unable to connect": true, "53300 too many conns": true,
		"unexpected EOF": true, "connection reset": true,
	}
	got := map[string]bool{}
	for name, err := range cases {
		if IsTransient(err) {
			got[name] = true
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("transient errors (-want +got):\n%s", diff)
	}
	if IsTransient(nil) {
		t.Error("nil is transient")
	}
	msg := chunk(&pgconn.PgError{Code: "22012", Message: "division by zero"}).Error()
	if msg != `extract "s"."t" chunk 3 (ctid:s.t:0-): division by zero (SQLSTATE 22012)` {
		t.Errorf("message %q", msg)
	}
}
