package views

import (
	"fmt"
	"io"

	"github.com/pgsnow/pgsnow/executor"
)

// Lines writes one line per event, for logs that are not a terminal (CI).
// Progress events are left out: they come every few megabytes and a CI
// log only needs each chunk's end, which says where its table stands.
type Lines struct {
	w io.Writer
}

// NewLines writes to w.
func NewLines(w io.Writer) *Lines { return &Lines{w: w} }

// Event writes e's line, and the summary after the run's last event.
func (l *Lines) Event(e executor.Event) {
	if e.Kind == executor.Progress {
		return
	}
	fmt.Fprintf(l.w, "%s %-5s %s\n", e.Time.UTC().Format("15:04:05"), e.Level(), e.Message())
	if e.Kind == executor.RunFinished {
		WriteSummary(l.w, e.Summary)
	}
}
