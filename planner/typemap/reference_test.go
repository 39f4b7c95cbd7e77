package typemap

import (
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files")

const docPath = "../../docs/type-mapping.md"

func TestReferenceDocUpToDate(t *testing.T) {
	got := Reference()
	if *update {
		if err := os.WriteFile(docPath, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatalf("%v (run go test ./planner/typemap -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("docs/type-mapping.md is stale; run go test ./planner/typemap -update:\n%s", diff)
	}
}
