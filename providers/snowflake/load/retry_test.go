package load_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	sf "github.com/snowflakedb/gosnowflake"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

func TestTransient(t *testing.T) {
	live := context.Background()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"connection reset", live, &net.OpError{Op: "read", Err: syscall.ECONNRESET}, true},
		{"connection refused", live, fmt.Errorf("dial: %w", syscall.ECONNREFUSED), true},
		{"EOF", live, fmt.Errorf(`Post "http://x/queries/v1/query-request": %w`, io.EOF), true},
		{"bad conn", live, driver.ErrBadConn, true},
		{"HTTP 503 after driver retries", live, errors.New("timeout after 0s and 2 attempts. HTTP Status: 503. Hanging?"), true},
		{"HTTP 429 failed to POST", live, &sf.SnowflakeError{Number: sf.ErrFailedToPostQuery, SQLState: "08001", Message: "failed to POST. HTTP: 429, URL: x"}, true},
		{"session expired", live, &sf.SnowflakeError{Number: 390112, Message: "Your session has expired. Please login again."}, true},
		{"attempt deadline", live, fmt.Errorf("query: %w", context.DeadlineExceeded), true},
		{"caller cancelled", done, &net.OpError{Op: "read", Err: syscall.ECONNRESET}, false},
		{"cancelled", live, context.Canceled, false},
		{"compilation error", live, &sf.SnowflakeError{Number: 2003, SQLState: "42S02", Message: "SQL compilation error: Table 'T' does not exist"}, false},
		{"value too long", live, &sf.SnowflakeError{Number: 100074, SQLState: "22000", Message: "User character length limit (5) exceeded by string 'much too long'"}, false},
		{"permission denied", live, &sf.SnowflakeError{Number: 3001, SQLState: "42501", Message: "SQL access control error: Insufficient privileges"}, false},
		{"row count check", live, &load.Error{Op: "CHECK", Err: load.ErrRowCount}, false},
		{"plain error", live, errors.New("something else"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := load.Transient(tc.ctx, tc.err); got != tc.want {
				t.Errorf("Transient(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestRetryPolicy(t *testing.T) {
	transient := &net.OpError{Op: "read", Err: syscall.ECONNRESET}
	permanent := &sf.SnowflakeError{Number: 2003, SQLState: "42S02", Message: "SQL compilation error"}
	tests := []struct {
		name      string
		errs      []error // returned by successive tries; then success
		attempts  int
		wantTries int
		wantErr   error
	}{
		{"success", nil, 3, 1, nil},
		{"transient then success", []error{transient, transient}, 3, 3, nil},
		{"transient exhausts attempts", []error{transient, transient, transient, transient}, 3, 3, transient},
		{"permanent at once", []error{permanent}, 3, 1, permanent},
		{"transient then permanent", []error{transient, permanent}, 5, 2, permanent},
		{"five attempts", []error{transient, transient, transient, transient}, 5, 5, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tries := 0
			var waits []time.Duration
			p := load.Policy{Attempts: tc.attempts, Initial: time.Millisecond, Max: 2 * time.Millisecond,
				Notify: func(_ error, d time.Duration) { waits = append(waits, d) }}
			_, err := load.Retry(context.Background(), p, func(context.Context) (int, error) {
				tries++
				if tries <= len(tc.errs) {
					return 0, tc.errs[tries-1]
				}
				return 1, nil
			})
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
			if tries != tc.wantTries {
				t.Errorf("tries = %d, want %d", tries, tc.wantTries)
			}
			for _, w := range waits {
				if w <= 0 || w > 3*time.Millisecond { // Max plus jitter
					t.Errorf("wait %v outside (0, 3ms]", w)
				}
			}
		})
	}
}

func TestDefaultPolicy(t *testing.T) {
	want := load.Policy{Attempts: 3, Initial: 4 * time.Second, Max: 60 * time.Second}
	if d := cmp.Diff(want, load.DefaultPolicy, cmp.Comparer(func(a, b func(error, time.Duration)) bool { return a == nil && b == nil })); d != "" {
		t.Errorf("DefaultPolicy (-want +got):\n%s", d)
	}
}

func TestPrefix(t *testing.T) {
	tests := []struct{ run, schema, table, want string }{
		{"20261127T0500Z-ab12", "public", "orders", "20261127T0500Z-ab12/public.orders"},
		{"r1", "My Schema", `we"ird/tab'le`, "r1/My_Schema.we_ird_tab_le"},
		{"r1", "", "..", "r1/_._"},
	}
	for _, tc := range tests {
		if got := load.Prefix(tc.run, tc.schema, tc.table); got != tc.want {
			t.Errorf("Prefix(%q, %q, %q) = %q, want %q", tc.run, tc.schema, tc.table, got, tc.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	produce := func(w io.Writer) error { return nil }
	tests := []struct {
		name string
		up   load.Upload
	}{
		{"unquoted stage", load.Upload{Stage: "PGSNOW_STAGE", Prefix: "r", Name: "f.csv", Compression: "NONE"}},
		{"name with slash", load.Upload{Stage: `"D"."S"."ST"`, Prefix: "r", Name: "a/f.csv", Compression: "NONE"}},
		{"name with quote", load.Upload{Stage: `"D"."S"."ST"`, Prefix: "r", Name: "f'.csv", Compression: "NONE"}},
		{"compression", load.Upload{Stage: `"D"."S"."ST"`, Prefix: "r", Name: "f.csv", Compression: "LZ4"}},
		{"keep without dir", load.Upload{Stage: `"D"."S"."ST"`, Prefix: "r", Name: "f.csv", Compression: "NONE", KeepFiles: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// No database: input is refused before any statement.
			if _, err := load.Put(ctx, nil, tc.up, load.Policy{}, produce); err == nil {
				t.Error("accepted")
			}
		})
	}
}
