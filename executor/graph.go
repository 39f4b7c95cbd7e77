package executor

import (
	"sync"

	"github.com/pgsnow/pgsnow/state"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// chunkID is a chunk's identity in the state manifest.
type chunkID struct{ by, from, to string }

func idOf(c Chunk) chunkID           { return chunkID{c.By, c.From, c.To} }
func idOfFile(c state.Chunk) chunkID { return chunkID{c.By, c.From, c.To} }

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
	chunk      *Chunk // StepChunk only
	deps       int    // unfinished dependencies
	dependents []int
	status     stepStatus
	// unstarted: a chunk that gave up waiting for an extraction place
	// because the run is stopping; it did nothing and remains.
	unstarted bool
	extracted bool // the chunk began an extraction (an attempt of it)
}

// change groups the steps of one plan change.
type change struct {
	c        *plan.Change
	steps    []int
	failed   bool
	load     *loadRun // loads only
	validate int      // loads: the validate step
}

// loadRun is a load's shared bookkeeping while it runs.
type loadRun struct {
	mu       sync.Mutex
	chunks   []Chunk          // cut by prepare
	resumed  map[chunkID]bool // chunks the state already has
	rows     int64            // rows in the manifest so far
	bytes    int64            // bytes in the manifest so far
	estRows  int64
	estBytes int64
}

// graph is the plan as steps.
type graph struct {
	steps   []*step
	changes []*change // plan.Order
}

// expand adds a prepared load's chunk steps before its validate step and
// returns their ids. Only the scheduler's goroutine calls it.
func (g *graph) expand(ch *change) []int {
	var ids []int
	val := g.steps[ch.validate]
	for i := range ch.load.chunks {
		s := &step{id: len(g.steps), kind: StepChunk, change: ch, chunk: &ch.load.chunks[i], dependents: []int{val.id}}
		g.steps = append(g.steps, s)
		ch.steps = append(ch.steps, s.id)
		val.deps++
		ids = append(ids, s.id)
	}
	return ids
}

// build turns the plan's changes into steps: an object change is one DDL
// step (or a no-op); a load is prepare → chunks → validate → finalize. A
// change's first step depends on the last step of every change it
// depends on.
func build(p *plan.Plan) *graph {
	g := &graph{}
	head := map[string]int{} // address → first step
	tail := map[string]int{} // address → last step
	add := func(ch *change, kind StepKind, chunk *Chunk, deps ...int) int {
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
			// The chunk steps are added between prepare and validate when
			// prepare has cut the table (expand).
			prep := add(ch, StepPrepare, nil, deps...)
			val := add(ch, StepValidate, nil, prep)
			ch.validate = val
			head[pc.Address], tail[pc.Address] = prep, add(ch, StepFinalize, nil, val)
		default:
			head[pc.Address] = add(ch, StepDDL, nil, deps...)
			tail[pc.Address] = head[pc.Address]
		}
	}
	return g
}
