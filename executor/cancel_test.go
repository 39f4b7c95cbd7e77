package executor

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pgsnow/pgsnow/state"
)

func TestCancellation(t *testing.T) {
	tests := []struct {
		name string
		// second: after the stop, cancel the context (a second signal);
		// grace: a short grace period instead.
		second, grace bool
		wantFiles     int
		wantStatus    state.LoadStatus
	}{
		{name: "first signal: in-flight chunks finish, nothing new starts", wantFiles: 2, wantStatus: state.LoadLoading},
		{name: "second signal: in-flight chunks abort at once", second: true, wantFiles: 0, wantStatus: state.LoadLoading},
		{name: "grace period over: in-flight chunks abort", grace: true, wantFiles: 0, wantStatus: state.LoadLoading},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := testPlan([]tbl{{name: "A", chunks: 5, rows: 2}}, map[string][]string{"V_A": {"A"}})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			stop := make(chan struct{})
			release := make(chan struct{})
			var mu sync.Mutex
			entered := 0
			src := &fakeSource{hold: func(ctx context.Context, key string) error {
				mu.Lock()
				entered++
				if entered == 2 {
					close(stop) // first signal while two chunks stream
				}
				mu.Unlock()
				if tc.second || tc.grace {
					<-ctx.Done()
					return ctx.Err()
				}
				<-release
				return nil
			}}
			rec := &recorder{on: func(e Event) {
				if e.Kind == Stopping {
					if tc.second {
						cancel()
					} else if !tc.grace {
						close(release)
					}
				}
			}}
			o := fastOptions(2, rec)
			if tc.grace {
				o.Grace = time.Millisecond
			}
			j, m := newJournal(t)
			sum, err := Apply(ctx, p, src, &fakeTarget{}, j, stop, o)
			var re *RunError
			if !errors.As(err, &re) {
				t.Fatalf("Apply error = %v, want a *RunError", err)
			}
			if entered != 2 {
				t.Errorf("%d chunks started, want 2 (none after the stop)", entered)
			}
			want := &Summary{Stopped: true, Done: []string{dbAddr, schemaAddr, tableAddr("A")},
				Remaining: []string{loadAddr("A"), "snowflake_view.DW.APP.V_A"}, Rows: int64(tc.wantFiles) * 2}
			if diff := cmp.Diff(want, sum, cmp.AllowUnexported(Text{}), cmpIgnoreBytesDuration); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			// What the next run will read.
			l := reopen(t, m).State().Loads[loadAddr("A")]
			if l == nil || len(l.Files) != tc.wantFiles || l.Status != tc.wantStatus {
				t.Errorf("stored load = %+v, want %d files and status %s", l, tc.wantFiles, tc.wantStatus)
			}
			if n := len(rec.kinds(Stopping)); n != 1 {
				t.Errorf("%d stopping events, want 1", n)
			}
		})
	}
}
