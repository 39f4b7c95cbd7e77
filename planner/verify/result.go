package verify

import "slices"

// FormatVersion is the version of the JSON result (validation_results.json
// and verify -json). Bump it on any change a reader could misread.
const FormatVersion = "1"

// Table statuses.
const (
	StatusMatch     = "match"      // every check agreed
	StatusMismatch  = "mismatch"   // at least one check differs
	StatusNotLoaded = "not_loaded" // the state records no finished load
	StatusError     = "error"      // a query failed or the table cannot be compared
)

// Result is one verify run.
type Result struct {
	FormatVersion string  `json:"format_version"`
	PgsnowVersion string  `json:"pgsnow_version"`
	Database      string  `json:"database"` // the Snowflake database
	Tables        []Table `json:"tables"`
	Summary       Summary `json:"summary"`
}

// Table is one compared table.
type Table struct {
	// Source is source.schema.table; Target is DATABASE.SCHEMA.TABLE
	// (quoted where needed, as in state addresses).
	Source string `json:"source"`
	Target string `json:"target"`
	Status string `json:"status"`
	// LoadStatus is the state's status of the load ("" when it has none).
	LoadStatus string     `json:"load_status,omitempty"`
	Where      string     `json:"where,omitempty"`
	Postgres   *Stats     `json:"postgres,omitempty"`
	Snowflake  *Stats     `json:"snowflake,omitempty"`
	Mismatches []Mismatch `json:"mismatches,omitempty"`
	Error      string     `json:"error,omitempty"`
}

// Summary counts the tables by status.
type Summary struct {
	Tables     int `json:"tables"`
	Matched    int `json:"matched"`
	Mismatched int `json:"mismatched"`
	NotLoaded  int `json:"not_loaded"`
	Errors     int `json:"errors"`
}

// Finish sorts the tables by source and fills the summary.
func (r *Result) Finish() {
	slices.SortFunc(r.Tables, func(a, b Table) int {
		if a.Source < b.Source {
			return -1
		}
		if a.Source > b.Source {
			return 1
		}
		return 0
	})
	r.Summary = Summary{Tables: len(r.Tables)}
	for _, t := range r.Tables {
		switch t.Status {
		case StatusMatch:
			r.Summary.Matched++
		case StatusMismatch:
			r.Summary.Mismatched++
		case StatusNotLoaded:
			r.Summary.NotLoaded++
		default:
			r.Summary.Errors++
		}
	}
}

// OK says whether every table matched.
func (r *Result) OK() bool { return r.Summary.Matched == r.Summary.Tables }
