package executor

import (
	"context"
	"strings"
	"testing"
)

func TestApplyRefuses(t *testing.T) {
	p := testPlan([]tbl{{name: "A", chunks: 1, rows: 1}}, nil)
	bad := testPlan([]tbl{{name: "A", chunks: 1, rows: 1}}, nil)
	bad.Changes[0].DependsOn = []string{"snowflake_table.DW.APP.NOPE"}
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"parallelism 0 is the default, 17 is too many", Options{Parallelism: 17}, "parallelism must be between 1 and 16, not 17"},
		{"negative parallelism", Options{Parallelism: -1}, "parallelism must be between 1 and 16, not -1"},
		{"negative retries", Options{Retry: RetryPolicy{Attempts: -1}}, "cannot be negative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			j, _ := newJournal(t)
			_, err := Apply(context.Background(), p, &fakeSource{}, &fakeTarget{}, j, nil, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to say %q", err, tc.want)
			}
		})
	}
	j, _ := newJournal(t)
	_, err := Apply(context.Background(), bad, &fakeSource{}, &fakeTarget{}, j, nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "the plan is not valid") {
		t.Errorf("invalid plan: error = %v", err)
	}
}

// A table whose row count differs from its manifest is not finalized.
func TestValidateMismatch(t *testing.T) {
	p := testPlan([]tbl{{name: "A", chunks: 2, rows: 3}}, nil)
	tg := &fakeTarget{badCount: 1}
	j, _ := newJournal(t)
	sum, err := Apply(context.Background(), p, &fakeSource{}, tg, j, nil, fastOptions(2, nil))
	if err == nil || len(sum.Failed) != 1 {
		t.Fatalf("err = %v, failed = %+v; want the load to fail", err, sum)
	}
	f := sum.Failed[0]
	if f.Step != StepValidate || f.Err.String() != "row count of snowflake_table.DW.APP.A: the table holds 7 rows, the 2 loaded files hold 6" {
		t.Errorf("failure = %+v", f)
	}
	for _, o := range tg.ops {
		if strings.HasPrefix(o.what, "final") {
			t.Errorf("finalize ran after a failed validation")
		}
	}
	if l := j.State().Loads[loadAddr("A")]; l.Status != "failed" || len(l.Files) != 2 {
		t.Errorf("state load = %+v, want failed with its 2 files", l)
	}
}
