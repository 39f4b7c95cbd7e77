package executor

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// Executor runs one plan once.
type Executor struct {
	o   Options
	p   *plan.Plan
	src Source
	tgt Target
	j   Journal
	g   *graph
	// extracting holds one token per chunk extraction in progress
	// (capacity Options.Parallelism); stopping is closed when the run
	// stops starting work, so chunks still waiting for a place give up.
	extracting chan struct{}
	stopping   chan struct{}

	emitMu sync.Mutex
	sumMu  sync.Mutex // workers add rows, bytes and resumed chunks
	sum    Summary
}

// Apply carries out p and returns the run's summary; the error is non-nil
// when anything failed, was skipped or remains (the summary says what).
//
// stop asks for a graceful stop (the first SIGINT or SIGTERM): no new step
// starts, running steps get Options.Grace to finish before they are
// cancelled. Cancelling ctx (the second signal) aborts running steps at
// once. Either way every step that finished is in the state, because each
// is recorded before Apply treats it as done.
func Apply(ctx context.Context, p *plan.Plan, src Source, tgt Target, j Journal, stop <-chan struct{}, o Options) (*Summary, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("the plan is not valid: %w", err)
	}
	e := &Executor{o: o, p: p, src: src, tgt: tgt, j: j, g: build(p), extracting: make(chan struct{}, o.Parallelism),
		stopping: make(chan struct{})}
	return e.run(ctx, stop)
}

// result is a worker's report on one step.
type result struct {
	id  int
	err error
}

// ready is a min-heap of step ids: among runnable steps the earliest in
// plan order goes first, so containers are created before their contents
// and a table's chunks run in order.
type ready []int

func (r ready) Len() int           { return len(r) }
func (r ready) Less(i, j int) bool { return r[i] < r[j] }
func (r ready) Swap(i, j int)      { r[i], r[j] = r[j], r[i] }
func (r *ready) Push(x any)        { *r = append(*r, x.(int)) }
func (r *ready) Pop() any {
	old := *r
	x := old[len(old)-1]
	*r = old[:len(old)-1]
	return x
}

func (e *Executor) run(ctx context.Context, stop <-chan struct{}) (*Summary, error) {
	start := e.o.Now()
	var estRows, estBytes int64
	loads := false
	for _, ch := range e.g.changes {
		if ch.load != nil {
			loads = true
			estRows += ch.load.estRows
			estBytes += ch.load.estBytes
		}
	}
	e.emit(Event{Kind: RunStarted, Step: stepRun, EstRows: estRows, EstBytes: estBytes})
	if loads {
		if err := e.src.Begin(ctx); err != nil {
			t := e.o.Redactor.Err(err)
			e.emit(Event{Kind: StepFailed, Step: stepRun, Err: t})
			return nil, fmt.Errorf("source snapshot: %s", t)
		}
		defer func() { _ = e.src.End(context.WithoutCancel(ctx)) }()
	}

	// work is the context of running steps: cancelled by an abort (ctx)
	// or when the grace period after a stop ends.
	work, cancelWork := context.WithCancel(ctx)
	defer cancelWork()
	var grace *time.Timer
	defer func() {
		if grace != nil {
			grace.Stop()
		}
	}()

	q := &ready{}
	for _, s := range e.g.steps {
		if s.deps == 0 {
			heap.Push(q, s.id)
		}
	}
	results := make(chan result)
	running := 0
	stopping, stopRequested := false, false
	halt := sync.OnceFunc(func() { close(e.stopping) })
	aborted := ctx.Done()
	for {
		for !stopping && q.Len() > 0 && running < e.room((*q)[0]) {
			s := e.g.steps[heap.Pop(q).(int)]
			if s.status != waiting {
				continue // skipped after it became ready
			}
			s.status = inFlight
			running++
			go func() { results <- result{s.id, e.do(work, s)} }()
		}
		if running == 0 && (stopping || q.Len() == 0) {
			break
		}
		select {
		case r := <-results:
			running--
			if e.finish(work, r, q) {
				stopping = true // the journal failed: nothing more can be recorded
				halt()
			}
		case <-stop:
			stop, stopRequested = nil, true
			if !stopping {
				stopping = true
				e.emit(Event{Kind: Stopping, Step: stepRun, Duration: e.o.Grace})
			}
			halt()
			grace = time.AfterFunc(e.o.Grace, cancelWork)
		case <-aborted:
			aborted = nil
			stopping = true
			halt()
			cancelWork()
		}
	}
	stopped := ctx.Err() != nil || stopRequested
	return e.summarize(stopped, e.o.Now().Sub(start))
}

// room is how many steps may be in flight when step id is the next to
// start: Parallelism, or twice that for a chunk, whose extraction waits
// for one of Parallelism places (extractSlot) and whose PUT and COPY
// overlap the next chunk's extraction.
func (e *Executor) room(id int) int {
	if e.g.steps[id].kind == StepChunk && !e.o.NoOverlap {
		return 2 * e.o.Parallelism
	}
	return e.o.Parallelism
}

// finish records a worker's result: a finished step releases its
// dependents, a failed one fails its change and skips everything that
// waits on it. It reports whether the journal failed.
func (e *Executor) finish(work context.Context, r result, q *ready) (journalFailed bool) {
	s := e.g.steps[r.id]
	if r.err == nil {
		s.status = done
		if s.kind == StepPrepare {
			for _, id := range e.g.expand(s.change) {
				heap.Push(q, id)
			}
		}
		for _, d := range s.dependents {
			ds := e.g.steps[d]
			ds.deps--
			if ds.deps == 0 && ds.status == waiting {
				heap.Push(q, d)
			}
		}
		return false
	}
	if work.Err() != nil || s.unstarted {
		// Cancelled by the stop's grace period or an abort, or never
		// started: not the change's fault, and a later apply resumes it.
		s.status = interrupted
		e.emit(e.stepEvent(s, Event{Kind: StepFailed, Err: e.o.Redactor.Text("interrupted by the stop: " + r.err.Error())}))
		return false
	}
	s.status = failed
	var jf *journalError
	journalFailed = errors.As(r.err, &jf)
	ch := s.change
	if !ch.failed {
		ch.failed = true
		f := Failure{Object: ch.c.Address, Step: s.kind, Chunk: -1, Err: e.o.Redactor.Err(r.err)}
		if s.chunk != nil {
			f.Chunk = s.chunk.Index
		}
		e.sum.Failed = append(e.sum.Failed, f)
		if ch.load != nil && !journalFailed {
			e.markLoadFailed(ch)
		}
	}
	e.emit(e.stepEvent(s, Event{Kind: StepFailed, Err: e.o.Redactor.Err(r.err)}))
	// The change's steps that did not start, and everything after them.
	for _, id := range ch.steps {
		if st := e.g.steps[id]; st.status == waiting {
			e.skip(st, fixed(fmt.Sprintf("%s failed", ch.c.Address)))
		}
	}
	for _, d := range s.dependents {
		e.skip(e.g.steps[d], fixed(fmt.Sprintf("%s failed", ch.c.Address)))
	}
	return journalFailed
}

// skip marks s and everything after it skipped.
func (e *Executor) skip(s *step, why Text) {
	if s.status != waiting {
		return
	}
	s.status = skipped
	if !s.change.failed && s.change.steps[0] == s.id {
		e.emit(e.stepEvent(s, Event{Kind: StepSkipped, Err: why}))
	}
	for _, d := range s.dependents {
		e.skip(e.g.steps[d], why)
	}
}

// summarize sorts the changes into done, failed, skipped and remaining.
func (e *Executor) summarize(stopped bool, took time.Duration) (*Summary, error) {
	sum := &e.sum
	sum.Stopped = stopped
	sum.Duration = took
	for _, ch := range e.g.changes {
		if ch.failed {
			continue // listed in Failed
		}
		all, anySkipped := true, false
		for _, id := range ch.steps {
			switch e.g.steps[id].status {
			case done:
			case skipped:
				anySkipped, all = true, false
			default: // waiting (the stop kept it from starting) or interrupted
				all = false
			}
		}
		switch {
		case all:
			sum.Done = append(sum.Done, ch.c.Address)
		case anySkipped:
			sum.Skipped = append(sum.Skipped, ch.c.Address)
		default:
			sum.Remaining = append(sum.Remaining, ch.c.Address)
		}
	}
	e.emit(Event{Kind: RunFinished, Step: stepRun, Rows: sum.Rows, Bytes: sum.Bytes, Duration: took, Summary: sum})
	if sum.OK() {
		return sum, nil
	}
	return sum, &RunError{Summary: sum}
}

// RunError says a run did not do everything; the summary says what.
type RunError struct{ Summary *Summary }

func (e *RunError) Error() string {
	s := e.Summary
	switch {
	case s.Stopped:
		return fmt.Sprintf("apply stopped: %d changes done, %d failed, %d remaining; run apply again to resume", len(s.Done), len(s.Failed), len(s.Remaining)+len(s.Skipped))
	default:
		return fmt.Sprintf("apply failed: %d changes done, %d failed, %d skipped because a change they depend on failed", len(s.Done), len(s.Failed), len(s.Skipped))
	}
}

// emit stamps and sends one event; events leave one at a time.
func (e *Executor) emit(ev Event) {
	e.emitMu.Lock()
	defer e.emitMu.Unlock()
	if ev.Time.IsZero() {
		ev.Time = e.o.Now()
	}
	e.o.Sink.Event(ev)
}

// stepEvent fills the step's identity into ev.
func (e *Executor) stepEvent(s *step, ev Event) Event {
	ev.Step = s.kind
	ev.Object = s.change.c.Address
	ev.Action = s.change.c.Action
	if s.chunk != nil {
		ev.Chunk, ev.HasChunk = s.chunk.Index, true
	}
	if l := s.change.load; l != nil {
		l.mu.Lock()
		ev.TableRows, ev.TableBytes, ev.EstRows, ev.EstBytes = l.rows, l.bytes, l.estRows, l.estBytes
		l.mu.Unlock()
	}
	return ev
}
