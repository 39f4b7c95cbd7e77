package plan_test

import (
	"bytes"
	"testing"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/plan/plantest"
)

// Unmarshal never panics, and what it accepts marshals back to a plan it
// accepts again with the same bytes.
func FuzzUnmarshal(f *testing.F) {
	for _, sc := range plantest.Scenarios {
		b, err := plan.Marshal(sc.Plan())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"kind":"pgsnow_plan","format_version":"1.0","mode":"normal","changes":[{"address":"load.a","kind":"load","name":["a"],"action":"load","load":{}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := plan.Unmarshal(data)
		if err != nil {
			return
		}
		b, err := plan.Marshal(p)
		if err != nil {
			t.Fatalf("accepted plan does not marshal: %v", err)
		}
		q, err := plan.Unmarshal(b)
		if err != nil {
			t.Fatalf("marshalled plan refused: %v", err)
		}
		b2, _ := plan.Marshal(q)
		if !bytes.Equal(b, b2) {
			t.Fatalf("not stable:\n%s\n%s", b, b2)
		}
	})
}
