package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/plan/plantest"
)

func TestRoundTrip(t *testing.T) {
	for _, sc := range plantest.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			p := sc.Plan()
			if err := p.Validate(); err != nil {
				t.Fatalf("scenario invalid: %v", err)
			}
			b, err := plan.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := plan.Unmarshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(p, got, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("round trip (-want +got):\n%s", d)
			}
			b2, err := plan.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, b2) {
				t.Errorf("second Marshal differs from the first")
			}
		})
	}
}

// Marshal must not depend on the order the planner produced things in.
func TestMarshalDeterministic(t *testing.T) {
	p := plantest.EmptyTarget()
	want, err := plan.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	r := *p
	r.Changes = append([]plan.Change(nil), p.Changes...)
	for i, j := 0, len(r.Changes)-1; i < j; i, j = i+1, j-1 {
		r.Changes[i], r.Changes[j] = r.Changes[j], r.Changes[i]
	}
	r.Fingerprints = []plan.Fingerprint{p.Fingerprints[1], p.Fingerprints[0]}
	got, err := plan.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("order leaked into JSON (-want +got):\n%s", d)
	}
	if r.Changes[0].Kind != plan.KindLoad {
		t.Errorf("Marshal reordered its input")
	}
}

func TestMarshalRefusesInvalid(t *testing.T) {
	p := plantest.Destroy()
	p.AllowDestroy = false
	_, err := plan.Marshal(p)
	if err == nil || !strings.Contains(err.Error(), "delete planned without allow-destroy") {
		t.Fatalf("err = %v", err)
	}
}

func TestUnmarshalRefusals(t *testing.T) {
	good, err := plan.Marshal(plantest.ColumnAdded())
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	tests := []struct {
		name, data, want string
	}{
		{"not json", "{", "invalid JSON"},
		{"state file", `{"format_version": 1, "lineage": "x", "serial": 3}`, `kind is "", want "pgsnow_plan"`},
		{"major 2", strings.Replace(s, `"format_version": "1.0"`, `"format_version": "2.0"`, 1), "plan format version 2.0 is not supported: this pgsnow reads 1.x"},
		{"bad version", strings.Replace(s, `"format_version": "1.0"`, `"format_version": "one"`, 1), `"one" is not MAJOR.MINOR`},
		{"numeric version", strings.Replace(s, `"format_version": "1.0"`, `"format_version": 1`, 1), "must be a string"},
		{"unknown field same minor", strings.Replace(s, `"mode": "normal"`, `"mode": "normal", "modee": 1`, 1), `unknown field "modee"`},
		{"summary edited", strings.Replace(s, `"change": 1`, `"change": 0`, 1), "does not match its changes"},
		{"action edited", strings.Replace(s, `"action": "update"`, `"action": "upsert"`, 1), `unknown action "upsert"`},
		{"dsn as host", strings.Replace(s, `"host": "db.internal"`, `"host": "postgres://u:hunter2@db"`, 1), "holds a URL or DSN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan.Unmarshal([]byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error echoes a secret: %v", err)
			}
		})
	}
}

// A newer minor may add fields; this reader ignores them.
func TestUnmarshalNewerMinor(t *testing.T) {
	b, err := plan.Marshal(plantest.NewTable())
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `"format_version": "1.0"`, `"format_version": "1.7", "future_field": {"x": 1}`, 1)
	p, err := plan.Unmarshal([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	if p.FormatVersion != "1.7" || p.Summary.Add != 1 {
		t.Errorf("got version %s, summary %+v", p.FormatVersion, p.Summary)
	}
}

// No field of the plan can hold a secret; check the saved form anyway.
func TestNoSecretInJSON(t *testing.T) {
	for _, sc := range plantest.Scenarios {
		b, err := plan.Marshal(sc.Plan())
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"password", "token", "private_key", "secret"} {
			if bytes.Contains(bytes.ToLower(b), []byte(w)) {
				t.Errorf("%s: JSON contains %q", sc.Name, w)
			}
		}
	}
}
