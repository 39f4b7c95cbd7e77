package views

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/pgsnow/pgsnow/executor"
	"github.com/pgsnow/pgsnow/internal/units"
)

// Live is the terminal display: notable events scroll as lines, and below
// them one line per table being loaded (rows, bytes, rate, ETA) is
// redrawn in place.
//
// It is hand-rolled rather than built on a progress bar library: those
// draw one bar per writer and several bars at once fight over the cursor,
// while here one redraw of N lines from the events' own counters is all
// that is needed, with no clock or goroutine of its own.
type Live struct {
	w        io.Writer
	now      func() time.Time
	every    time.Duration // least time between redraws on progress events
	tables   map[string]*tableView
	order    []string
	drawn    int // table lines currently on screen
	lastDraw time.Time
}

// tableView is what the display knows of one table load.
type tableView struct {
	addr        string
	estRows     int64
	rows, bytes int64         // in the manifest (resumed included)
	streaming   map[int]int64 // chunk → bytes streamed so far
	started     time.Time     // first chunk started in this run
	rowsAtStart int64         // rows already loaded when this run started it
	state       string
}

// NewLive draws on w (a terminal); now is the clock (time.Now).
func NewLive(w io.Writer, now func() time.Time) *Live {
	return &Live{w: w, now: now, every: 200 * time.Millisecond, tables: map[string]*tableView{}}
}

// Event updates the display.
func (l *Live) Event(e executor.Event) {
	t := l.table(e)
	switch e.Kind {
	case executor.Progress:
		t.streaming[e.Chunk] = e.Bytes
		if l.now().Sub(l.lastDraw) < l.every {
			return
		}
		l.redraw(nil)
		return
	case executor.StepStarted:
		if t != nil {
			if t.started.IsZero() && e.Step == executor.StepChunk {
				t.started, t.rowsAtStart = e.Time, e.TableRows
			}
			t.state = string(e.Step)
			if e.Step == executor.StepChunk {
				t.state = "loading"
			}
		}
		l.redraw(nil)
		return
	case executor.StepFinished, executor.ChunkResumed:
		if t != nil && e.HasChunk {
			delete(t.streaming, e.Chunk)
		}
		if e.Step != executor.StepDDL {
			l.redraw(nil)
			return
		}
	case executor.TableDone:
		t.state = "done"
	case executor.StepFailed:
		if t != nil {
			t.state = "failed"
			if e.HasChunk {
				delete(t.streaming, e.Chunk)
			}
		}
	case executor.StepSkipped:
		if t != nil {
			t.state = "skipped"
		}
	case executor.StepRetrying:
		if t != nil && e.HasChunk {
			delete(t.streaming, e.Chunk)
		}
	}
	// Everything else is worth a line of its own above the tables.
	line := e.Message()
	if e.Kind == executor.RunFinished {
		l.redraw(nil)
		l.drawn = 0 // the final table lines stay
		var b strings.Builder
		WriteSummary(&b, e.Summary)
		fmt.Fprint(l.w, b.String())
		return
	}
	l.redraw(&line)
}

// table returns (making) the view of e's load, or nil for other events.
func (l *Live) table(e executor.Event) *tableView {
	switch e.Step {
	case executor.StepPrepare, executor.StepChunk, executor.StepValidate, executor.StepFinalize:
	default:
		return nil
	}
	t := l.tables[e.Object]
	if t == nil {
		t = &tableView{addr: e.Object, streaming: map[int]int64{}, state: "waiting"}
		l.tables[e.Object] = t
		l.order = append(l.order, e.Object)
		slices.Sort(l.order)
	}
	t.estRows = e.EstRows
	t.rows, t.bytes = e.TableRows, e.TableBytes
	return t
}

// redraw moves up over the table lines, prints line (if any) where they
// began, and draws the tables again below it.
func (l *Live) redraw(line *string) {
	var b strings.Builder
	if l.drawn > 0 {
		fmt.Fprintf(&b, "\r\x1b[%dA", l.drawn)
	}
	if line != nil {
		b.WriteString(*line + "\x1b[K\n")
	}
	now := l.now()
	for _, a := range l.order {
		b.WriteString(l.tables[a].render(now) + "\x1b[K\n")
	}
	b.WriteString("\x1b[J")
	l.drawn = len(l.order)
	l.lastDraw = now
	io.WriteString(l.w, b.String())
}

const barWidth = 20

// render is one table's line.
func (t *tableView) render(now time.Time) string {
	var streamed int64
	for _, n := range t.streaming {
		streamed += n
	}
	frac := 0.0
	switch {
	case t.state == "done":
		frac = 1
	case t.estRows > 0:
		frac = min(float64(t.rows)/float64(t.estRows), 1)
	}
	filled := int(frac * barWidth)
	bar := strings.Repeat("█", filled) + strings.Repeat("░", barWidth-filled)
	s := fmt.Sprintf("%-40s %s %3d%%  %s", t.addr, bar, int(frac*100), count(t.rows))
	if t.estRows > 0 {
		s += "/" + count(t.estRows)
	}
	s += " rows  " + units.Bytes(t.bytes+streamed)
	if el := now.Sub(t.started); !t.started.IsZero() && el >= time.Second && t.state == "loading" {
		rate := float64(t.rows-t.rowsAtStart) / el.Seconds()
		s += fmt.Sprintf("  %s rows/s", count(int64(rate)))
		if rate > 0 && t.estRows > t.rows {
			s += "  ETA " + duration(time.Duration(float64(t.estRows-t.rows)/rate*float64(time.Second)))
		}
	}
	return s + "  " + t.state
}
