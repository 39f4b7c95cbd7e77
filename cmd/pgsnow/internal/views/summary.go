package views

import (
	"fmt"
	"io"

	"github.com/pgsnow/pgsnow/executor"
	"github.com/pgsnow/pgsnow/internal/units"
)

// WriteSummary writes the closing account of a run: what is done, what
// failed and why, what was skipped, what remains for the next apply.
func WriteSummary(w io.Writer, s *executor.Summary) {
	if s == nil {
		return
	}
	switch {
	case s.OK():
		fmt.Fprintf(w, "\nApply complete! %d changes done; %s rows, %s loaded in %s.\n", len(s.Done), count(s.Rows), units.Bytes(s.Bytes), duration(s.Duration))
	case s.Stopped:
		fmt.Fprintf(w, "\nApply stopped. %d changes done; %s rows, %s loaded in %s. Finished steps are saved in the state: run apply again to resume.\n",
			len(s.Done), count(s.Rows), units.Bytes(s.Bytes), duration(s.Duration))
	default:
		fmt.Fprintf(w, "\nApply failed. %d changes done; %s rows, %s loaded in %s.\n", len(s.Done), count(s.Rows), units.Bytes(s.Bytes), duration(s.Duration))
	}
	if s.Resumed > 0 {
		fmt.Fprintf(w, "%d chunks were already loaded (state manifest) and were not loaded again.\n", s.Resumed)
	}
	for _, f := range s.Failed {
		where := string(f.Step)
		if f.Chunk >= 0 {
			where = fmt.Sprintf("chunk %d", f.Chunk)
		}
		fmt.Fprintf(w, "  failed:    %s (%s): %s\n", f.Object, where, f.Err)
	}
	for _, a := range s.Skipped {
		fmt.Fprintf(w, "  skipped:   %s (depends on a failed change)\n", a)
	}
	for _, a := range s.Remaining {
		fmt.Fprintf(w, "  remaining: %s\n", a)
	}
}
