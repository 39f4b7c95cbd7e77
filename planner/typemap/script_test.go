package typemap

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Each stage encryption type gets its own default stage: Snowflake can
// neither change nor show a stage's encryption, so a switch must create
// a new stage rather than reuse one that encrypts differently.
func TestScriptOptionsStage(t *testing.T) {
	for _, c := range []struct {
		in        ScriptOptions
		stage, ok string
	}{
		{ScriptOptions{}, "PGSNOW_STAGE", "SNOWFLAKE_FULL"},
		{ScriptOptions{StageEncryption: "SNOWFLAKE_FULL"}, "PGSNOW_STAGE", "SNOWFLAKE_FULL"},
		{ScriptOptions{StageEncryption: "SNOWFLAKE_SSE"}, "PGSNOW_STAGE_SSE", "SNOWFLAKE_SSE"},
		{ScriptOptions{StageEncryption: "SNOWFLAKE_SSE", Stage: "MINE"}, "MINE", "SNOWFLAKE_SSE"},
	} {
		got := c.in.WithDefaults()
		if d := cmp.Diff([2]string{c.stage, c.ok}, [2]string{got.Stage, got.StageEncryption}); d != "" {
			t.Errorf("%+v (-want +got):\n%s", c.in, d)
		}
	}
	s := (&Model{}).Script(ScriptOptions{StageEncryption: "SNOWFLAKE_SSE"})
	if len(s.Stages) != 1 || s.Stages[0].Name != "PGSNOW_STAGE_SSE" || s.Stages[0].Encryption != "SNOWFLAKE_SSE" {
		t.Errorf("stages = %+v", s.Stages)
	}
}
