package plan

import (
	"fmt"
	"strings"
)

// Summary counts the plan's changes the Terraform way: a replace counts
// as one to add and one to destroy.
type Summary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
	// Replace is how many of Add/Destroy come from replaces.
	Replace int `json:"replace"`
	// Load and Reload count tables; Rows and Bytes are their estimates.
	Load   int   `json:"load"`
	Reload int   `json:"reload"`
	Rows   int64 `json:"rows"`
	Bytes  int64 `json:"bytes"`
	// Drift counts objects changed outside pgsnow.
	Drift int `json:"drift"`
}

// Summarize counts the changes of p.
func Summarize(p *Plan) Summary {
	var s Summary
	for _, c := range p.Changes {
		switch c.Action {
		case Create:
			s.Add++
		case Update:
			s.Change++
		case Replace:
			s.Add++
			s.Destroy++
			s.Replace++
		case Delete:
			s.Destroy++
		case Load, Reload:
			if c.Action == Load {
				s.Load++
			} else {
				s.Reload++
			}
			if c.Load != nil {
				s.Rows += c.Load.EstimatedRows
				s.Bytes += c.Load.EstimatedBytes
			}
		}
	}
	s.Drift = len(p.Drift)
	return s
}

// HasChanges is false when apply would do nothing.
func (s Summary) HasChanges() bool {
	return s.Add+s.Change+s.Destroy+s.Load+s.Reload > 0
}

// String is the one-line summary, e.g.
// "Plan: 12 to add, 1 to change, 0 to destroy; 14 tables to load (~3.2 GB, ~41 M rows)."
func (s Summary) String() string {
	if !s.HasChanges() {
		if s.Drift > 0 {
			return fmt.Sprintf("No changes planned; %d %s changed in Snowflake outside pgsnow.", s.Drift, plural(s.Drift, "object", "objects"))
		}
		return "No changes. Snowflake matches the source and the state."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Plan: %d to add, %d to change, %d to destroy", s.Add, s.Change, s.Destroy)
	if n := s.Load + s.Reload; n > 0 {
		fmt.Fprintf(&b, "; %d %s to load (~%s, ~%s rows)", n, plural(n, "table", "tables"), Bytes(s.Bytes), Count(s.Rows))
	}
	b.WriteString(".")
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Bytes formats a byte estimate with decimal units: 950 B, 12 KB, 3.2 GB.
func Bytes(n int64) string {
	return scaled(n, 1000, []string{"B", "KB", "MB", "GB", "TB", "PB"})
}

// Count formats a row estimate: 950, 12 K, 41 M, 1.2 B.
func Count(n int64) string {
	return scaled(n, 1000, []string{"", "K", "M", "B", "T"})
}

// scaled keeps two significant digits below 10 of a unit (3.2 GB) and
// whole numbers above (41 M), which is as precise as estimates are.
func scaled(n int64, base float64, units []string) string {
	if n < 0 {
		return "unknown"
	}
	v, i := float64(n), 0
	for v >= base && i < len(units)-1 {
		v /= base
		i++
	}
	sep := " "
	if units[i] == "" {
		sep = ""
	}
	switch {
	case i == 0:
		return fmt.Sprintf("%d%s%s", n, sep, units[i])
	case v < 10:
		return fmt.Sprintf("%.1f%s%s", v, sep, units[i])
	}
	return fmt.Sprintf("%.0f%s%s", v, sep, units[i])
}
