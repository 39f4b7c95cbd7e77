package analysis

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pgsnow/pgsnow/internal/units"
)

// LargestTables is how many tables the summary lists by size.
const LargestTables = 10

// WriteSummary renders the report for a terminal: per source the
// largest tables, the total size, the special types and every finding
// with its severity; then the counts.
func (r *Report) WriteSummary(w io.Writer) error {
	ew := &errWriter{w: w}
	for i, s := range r.Sources {
		if i > 0 {
			ew.printf("\n")
		}
		writeSource(ew, s)
	}
	ew.printf("\nSummary: %d source(s), %d table(s), %s; %s, %s, %s.\n",
		r.Summary.Sources, r.Summary.Tables, units.Bytes(r.Summary.TotalBytes),
		count(r.Summary.Errors, "error"), count(r.Summary.Warnings, "warning"), count(r.Summary.Infos, "note"))
	if r.Summary.Errors > 0 {
		ew.printf("The errors must be resolved in the spec before 'pgsnow plan' succeeds.\n")
	}
	return ew.err
}

func writeSource(ew *errWriter, s SourceReport) {
	t := s.Totals
	ew.printf("Source %q: database %q, PostgreSQL %s\n", s.Name, s.Database, s.ServerVersion)
	ew.printf("  %s (%d partition(s)), %d view(s), %d materialized view(s), %d sequence(s), %d column(s)\n",
		count(t.Tables, "table"), t.Partitions, t.Views, t.MaterializedViews, t.Sequences, t.Columns)
	ew.printf("  Total size %s (heap %s, TOAST %s, indexes %s), about %d rows\n",
		units.Bytes(t.TotalBytes), units.Bytes(t.HeapBytes), units.Bytes(t.ToastBytes), units.Bytes(t.IndexBytes), t.EstimatedRows)

	tables := append([]TableReport(nil), s.Tables...)
	sort.SliceStable(tables, func(i, j int) bool {
		if tables[i].TotalBytes != tables[j].TotalBytes {
			return tables[i].TotalBytes > tables[j].TotalBytes
		}
		return tables[i].Schema+"."+tables[i].Name < tables[j].Schema+"."+tables[j].Name
	})
	if len(tables) > LargestTables {
		tables = tables[:LargestTables]
	}
	if len(tables) > 0 {
		ew.printf("\n  Largest tables:\n")
		tw := tabwriter.NewWriter(ew, 2, 4, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "  \tsize\trows\tprofile\t\n")
		for _, tb := range tables {
			rows := fmt.Sprintf("~%d", tb.EstimatedRows)
			if tb.ExactRows != nil {
				rows = fmt.Sprintf("%d", *tb.ExactRows)
			} else if tb.EstimatedRows < 0 {
				rows = "?"
			}
			fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\t\n", tb.Schema+"."+tb.Name, units.Bytes(tb.TotalBytes), rows, profileText(tb))
		}
		tw.Flush()
	}
	if len(s.SpecialTypes) > 0 {
		ew.printf("\n  Special types:\n")
		for _, ty := range s.SpecialTypes {
			cols := ty.Columns
			more := ""
			if len(cols) > 3 {
				cols, more = cols[:3], fmt.Sprintf(", and %d more", len(ty.Columns)-3)
			}
			ew.printf("    %-28s %s: %s%s\n", ty.Type, count(len(ty.Columns), "column"), strings.Join(cols, ", "), more)
		}
	}
	if len(s.Findings) > 0 {
		ew.printf("\n  Findings:\n")
		for _, f := range s.Findings {
			ew.printf("    %-7s %s: %s [%s]\n", strings.ToUpper(string(f.Severity)), f.Object, f.Message, f.Code)
			if f.Suggestion != "" && f.Severity != SeverityInfo {
				ew.printf("            → %s\n", f.Suggestion)
			}
		}
	} else {
		ew.printf("\n  No findings.\n")
	}
}

func profileText(t TableReport) string {
	if t.Profile == nil {
		return "not profiled"
	}
	switch t.Profile.Method {
	case "sample":
		return fmt.Sprintf("%g%% sample", t.Profile.SamplePercent)
	case "skipped":
		return "skipped"
	}
	return "full"
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// errWriter keeps the first write error so rendering code stays flat.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return len(p), nil
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, nil
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
