package applycheck

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
)

// recorder collects what a check reports instead of failing the test,
// so these tests can show that each check does fail.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Logf(string, ...any)       {}
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

func file(run string, chunk int, sum string) *state.File {
	return &state.File{Name: fmt.Sprintf("%s/public.t/public_t_chunk_%04d.csv.zst", run, chunk+1), Rows: 10, SHA256: sum}
}

func load(status state.LoadStatus, files ...*state.File) *state.State {
	return &state.State{Loads: map[string]*state.Load{"load.a.public.t": {Status: status, Files: files}}}
}

func ev(kind string, chunk int) Event {
	return Event{Event: kind, Category: "chunk", Object: "load.a.public.t", Chunk: &chunk}
}

func TestResumed(t *testing.T) {
	before := load(state.LoadLoading, file("r1", 0, "a"), file("r1", 1, "b"))
	done := load(state.LoadLoaded, file("r1", 0, "a"), file("r1", 1, "b"), file("r2", 2, "c"))
	good := []Event{ev("chunk_resumed", 0), ev("chunk_resumed", 1), ev("step_started", 2)}
	const a = "load.a.public.t: "
	tests := []struct {
		name   string
		before *state.State
		after  *state.State
		rerun  []Event
		want   []string
	}{
		{"only the missing chunk runs", before, done, good, nil},
		{"a recorded chunk extracted again", before, done, append(good, ev("step_started", 1)), []string{
			a + "chunk 1 was recorded, yet the re-run extracted and loaded it again",
			a + "chunk 1 was both resumed and run again",
			a + "resumed [0 1] + run [1 2], but the final manifest has chunks [0 1 2]"}},
		{"a recorded chunk not resumed", before, done, []Event{ev("chunk_resumed", 0), ev("step_started", 2)}, []string{
			a + "chunk 1 was recorded, yet the re-run did not resume it (resumed [0])",
			a + "resumed [0] + run [2], but the final manifest has chunks [0 1 2]"}},
		{"the final manifest misses a chunk", before, load(state.LoadLoaded, file("r1", 0, "a"), file("r1", 1, "b")), good, []string{
			a + "resumed [0 1] + run [2], but the final manifest has chunks [0 1]"}},
		{"an earlier file loaded again", before, load(state.LoadLoaded, file("r1", 0, "a"), file("r2", 1, "b"), file("r2", 2, "c")), good, []string{
			a + "file r1/public.t/public_t_chunk_0002.csv.zst of the earlier run is not in the final manifest unchanged"}},
		{"a finished load touched", load(state.LoadLoaded, file("r1", 0, "a")), done, []Event{ev("step_started", 0)}, []string{
			"load.a.public.t was loaded, yet the re-run ran chunks [0] and resumed []"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Resumed(r, tc.before, tc.after, tc.rerun)
			if diff := cmp.Diff(tc.want, r.errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestManifest(t *testing.T) {
	p := &plan.Plan{Changes: []plan.Change{{Address: "load.a.public.t", Load: &plan.LoadDetail{}}}}
	tests := []struct {
		name string
		st   *state.State
		rows int
		errs int
	}{
		{"loaded once each", load(state.LoadLoaded, file("r1", 0, "a"), file("r2", 1, "b")), 20, 0},
		{"a chunk twice", load(state.LoadLoaded, file("r1", 0, "a"), file("r2", 0, "b")), 20, 1},
		{"rows differ", load(state.LoadLoaded, file("r1", 0, "a")), 20, 1},
		{"not loaded", load(state.LoadFailed, file("r1", 0, "a")), 10, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Manifest(r, tc.st, p, map[string]int{"load.a.public.t": tc.rows})
			if len(r.errs) != tc.errs {
				t.Errorf("%d errors, want %d: %q", len(r.errs), tc.errs, r.errs)
			}
		})
	}
}

func TestRowAndChunkIndex(t *testing.T) {
	empty, text := "", `a"b,c`
	got := []string{Row([]*string{nil}), Row([]*string{&empty}), Row([]*string{&text, nil})}
	if diff := cmp.Diff([]string{"N", "V0:", `V5:a"b,cN`}, got); diff != "" {
		t.Errorf("Row (-want +got):\n%s", diff)
	}
	idx := []int{ChunkIndex("r/public.t/public_t_chunk_0001.csv.zst"), ChunkIndex("x/public_order_chunk_0012.parquet"), ChunkIndex("no_chunk.csv")}
	if diff := cmp.Diff([]int{0, 11, -1}, idx); diff != "" {
		t.Errorf("ChunkIndex (-want +got):\n%s", diff)
	}
}
