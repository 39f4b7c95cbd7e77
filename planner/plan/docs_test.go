package plan_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// Every JSON field, action, kind and code must be documented in
// docs/plan-json.md, so the reference cannot fall behind the code.
func TestDocsCoverFields(t *testing.T) {
	doc, err := os.ReadFile("../../docs/plan-json.md")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	var walk func(reflect.Type)
	seen := map[reflect.Type]bool{}
	walk = func(ty reflect.Type) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] || ty.PkgPath() != reflect.TypeOf(plan.Plan{}).PkgPath() {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				names[name] = true
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(plan.Plan{}))
	for _, s := range []string{string(plan.NoOp), string(plan.Create), string(plan.Update), string(plan.Replace),
		string(plan.Delete), string(plan.Load), string(plan.Reload),
		string(plan.KindDatabase), string(plan.KindSchema), string(plan.KindTable), string(plan.KindView),
		string(plan.KindSequence), string(plan.KindStage), string(plan.KindFileFormat), string(plan.KindLoad),
		plan.ReasonNew, plan.ReasonRemovedFromSpec, plan.ReasonColumnAdded, plan.ReasonColumnRemoved, plan.ReasonColumnType,
		plan.ReasonTypeMapping, plan.ReasonSourceRows, plan.ReasonSourceRewritten, plan.ReasonLoadIncomplete,
		plan.ReasonNotLoaded, plan.ReasonTargetRecreated, plan.ReasonDriftDropped, plan.ReasonDriftColumn,
		plan.ReasonDriftDefinition, plan.WarnLossyOverride, plan.WarnStaleStats, plan.WarnRisk, plan.FileKind} {
		names[s] = true
	}
	for n := range names {
		if !strings.Contains(string(doc), "`"+n+"`") {
			t.Errorf("docs/plan-json.md does not mention %q", n)
		}
	}
}
