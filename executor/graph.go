package executor

import (
	"sync"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// stepStatus is where a step stands.
type stepStatus int8

const (
	waiting     stepStatus = iota // dependencies not finished
	inFlight                      // handed to a worker
	done                          // finished and recorded
	failed                        // failed (after retries)
	skipped                       // a dependency or a sibling failed
	interrupted                   // cancelled by a stop or an abort
)

// step is one unit of work. Steps are numbered in a topological order
// (plan.Order, then prepare, chunks, validate, finalize), which is also
// the order the scheduler prefers among ready steps.
type step struct {
	id         int
	kind       StepKind
	change     *change
	chunk      *plan.Chunk // StepChunk only
	deps       int         // unfinished dependencies
	dependents []int
	status     stepStatus
}

// change groups the steps of one plan change.
type change struct {
	c      *plan.Change
	steps  []int
	failed bool
	load   *loadRun // loads only
}

// loadRun is a load's shared bookkeeping while it runs.
type loadRun struct {
	mu       sync.Mutex
	fresh    bool                // prepare found nothing to resume
	resumed  map[plan.Chunk]bool // chunks the state already has (by id)
	rows     int64               // rows in the manifest so far
	bytes    int64               // bytes in the manifest so far
	estRows  int64
	estBytes int64
}

// graph is the plan as steps.
type graph struct {
	steps   []*step
	changes []*change // plan.Order
}

// build turns the plan's changes into steps: an object change is one DDL
// step (or a no-op); a load is prepare → chunks → validate → finalize. A
// change's first step depends on the last step of every change it
// depends on.
func build(p *plan.Plan) *graph {
	g := &graph{}
	head := map[string]int{} // address → first step
	tail := map[string]int{} // address → last step
	add := func(ch *change, kind StepKind, chunk *plan.Chunk, deps ...int) int {
		s := &step{id: len(g.steps), kind: kind, change: ch, chunk: chunk}
		g.steps = append(g.steps, s)
		ch.steps = append(ch.steps, s.id)
		for _, d := range deps {
			s.deps++
			g.steps[d].dependents = append(g.steps[d].dependents, s.id)
		}
		return s.id
	}
	for _, pc := range p.Order() {
		ch := &change{c: pc}
		g.changes = append(g.changes, ch)
		var deps []int
		for _, d := range pc.DependsOn {
			if t, ok := tail[d]; ok {
				deps = append(deps, t)
			}
		}
		switch {
		case pc.Action == plan.NoOp:
			head[pc.Address] = add(ch, StepNoOp, nil, deps...)
			tail[pc.Address] = head[pc.Address]
		case pc.Load != nil && (pc.Action == plan.Load || pc.Action == plan.Reload):
			ch.load = &loadRun{estRows: pc.Load.EstimatedRows, estBytes: pc.Load.EstimatedBytes}
			prep := add(ch, StepPrepare, nil, deps...)
			chunks := make([]int, 0, len(pc.Load.Chunks))
			for i := range pc.Load.Chunks {
				chunks = append(chunks, add(ch, StepChunk, &pc.Load.Chunks[i], prep))
			}
			if len(chunks) == 0 {
				chunks = []int{prep}
			}
			val := add(ch, StepValidate, nil, chunks...)
			head[pc.Address], tail[pc.Address] = prep, add(ch, StepFinalize, nil, val)
		default:
			head[pc.Address] = add(ch, StepDDL, nil, deps...)
			tail[pc.Address] = head[pc.Address]
		}
	}
	return g
}
