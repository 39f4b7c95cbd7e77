package applycheck

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/state"
)

// chunkNum reads the chunk number out of a file name
// ({schema}_{table}_chunk_{num:04d}.csv.zst): it is the chunk's index + 1.
var chunkNum = regexp.MustCompile(`_chunk_(\d+)\.[^/]*$`)

// ChunkIndex is the chunk index of a staged file name, or -1.
func ChunkIndex(name string) int {
	m := chunkNum.FindStringSubmatch(name)
	if m == nil {
		return -1
	}
	n, _ := strconv.Atoi(m[1])
	return n - 1
}

// Partial returns the loads the state records as begun but not finished
// (some files, not loaded), with their recorded chunk indexes.
func Partial(st *state.State) map[string][]int {
	out := map[string][]int{}
	for addr, l := range st.Loads {
		if l.Status == state.LoadLoaded || len(l.Files) == 0 {
			continue
		}
		for _, f := range l.Files {
			out[addr] = append(out[addr], ChunkIndex(f.Name))
		}
		slices.Sort(out[addr])
	}
	return out
}

// Manifest checks the state after the last run: every load of p is
// loaded, its manifest's rows equal the table's (rows, from Rows), and
// no chunk is listed twice.
func Manifest(t testing.TB, st *state.State, p *plan.Plan, rows map[string]int) {
	t.Helper()
	for _, c := range p.Changes {
		if c.Load == nil {
			continue
		}
		l := st.Loads[c.Address]
		if l == nil || l.Status != state.LoadLoaded {
			t.Errorf("%s: state load = %+v, want loaded", c.Address, l)
			continue
		}
		if n, _ := l.Totals(); n != int64(rows[c.Address]) {
			t.Errorf("%s: the manifest says %d rows, the table has %d", c.Address, n, rows[c.Address])
		}
		seen := map[int]string{}
		for _, f := range l.Files {
			i := ChunkIndex(f.Name)
			if i < 0 {
				t.Errorf("%s: file %q has no chunk number", c.Address, f.Name)
			} else if prev, dup := seen[i]; dup {
				t.Errorf("%s: chunk %d is in the manifest twice: %s and %s", c.Address, i, prev, f.Name)
			}
			seen[i] = f.Name
		}
	}
}

// Event is the part of a run log line these checks read.
type Event struct {
	Event    string `json:"event"`
	Category string `json:"category"`
	Object   string `json:"object"`
	Chunk    *int   `json:"chunk"`
	Level    string `json:"level"`
	Error    string `json:"error"`
}

// RunLogs returns the run logs under dir/pgsnow-runs, oldest first.
func RunLogs(t testing.TB, dir string) []string {
	t.Helper()
	logs, err := filepath.Glob(filepath.Join(dir, "pgsnow-runs", "*-apply*", "run_log.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(logs)
	return logs
}

// ReadRunLog reads one run log.
func ReadRunLog(t testing.TB, file string) []Event {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// chunkEvents returns, per load address, the chunk indexes of the
// events of one kind.
func chunkEvents(log []Event, kind string) map[string][]int {
	out := map[string][]int{}
	for _, e := range log {
		if e.Event == kind && e.Category == "chunk" && e.Chunk != nil {
			out[e.Object] = append(out[e.Object], *e.Chunk)
		}
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

// Resumed checks a re-run against the state the interrupted run left
// (before) and the state after the re-run. A finished load is not
// touched. In a begun load every recorded chunk is announced as resumed
// and is neither extracted nor loaded again; the final manifest is the
// resumed chunks plus those the re-run loaded, each once; and every
// recorded file is still there unchanged (same stage name, so from the
// earlier run, and same checksum). A chunk resumed that the state did
// not record (adopted from Snowflake's load history) is allowed and
// logged. It returns the number of chunks resumed.
func Resumed(t testing.TB, before, after *state.State, rerun []Event) int {
	t.Helper()
	started := chunkEvents(rerun, "step_started")
	resumed := chunkEvents(rerun, "chunk_resumed")
	n := 0
	for addr, l := range before.Loads {
		if l.Status == state.LoadLoaded {
			if len(started[addr])+len(resumed[addr]) > 0 {
				t.Errorf("%s was loaded, yet the re-run ran chunks %v and resumed %v", addr, started[addr], resumed[addr])
			}
			continue
		}
		var done []int
		for _, f := range l.Files {
			done = append(done, ChunkIndex(f.Name))
		}
		for _, i := range done {
			if !slices.Contains(resumed[addr], i) {
				t.Errorf("%s: chunk %d was recorded, yet the re-run did not resume it (resumed %v)", addr, i, resumed[addr])
			}
			if slices.Contains(started[addr], i) {
				t.Errorf("%s: chunk %d was recorded, yet the re-run extracted and loaded it again", addr, i)
			}
		}
		for _, i := range resumed[addr] {
			if slices.Contains(started[addr], i) {
				t.Errorf("%s: chunk %d was both resumed and run again", addr, i)
			} else if !slices.Contains(done, i) {
				t.Logf("%s: chunk %d resumed though the state did not record it (adopted)", addr, i)
			}
		}
		a := after.Loads[addr]
		if a == nil {
			t.Errorf("%s: no load in the state after the re-run", addr)
			continue
		}
		if len(done) > 0 {
			var final []int
			for _, f := range a.Files {
				final = append(final, ChunkIndex(f.Name))
			}
			slices.Sort(final)
			want := slices.Sorted(slices.Values(append(slices.Clone(resumed[addr]), started[addr]...)))
			if fmt.Sprint(want) != fmt.Sprint(final) {
				t.Errorf("%s: resumed %v + run %v, but the final manifest has chunks %v", addr, resumed[addr], started[addr], final)
			}
		}
		for _, f := range l.Files {
			i := slices.IndexFunc(a.Files, func(g *state.File) bool { return g.Name == f.Name })
			if i < 0 || a.Files[i].SHA256 != f.SHA256 {
				t.Errorf("%s: file %s of the earlier run is not in the final manifest unchanged", addr, f.Name)
			}
		}
		n += len(resumed[addr])
	}
	return n
}

// LoadHistory checks Snowflake's load metadata (INFORMATION_SCHEMA.
// LOAD_HISTORY) of every table p loads: no chunk file was loaded twice
// (under any run's stage path) and the files' rows add up to the rows
// the table holds (rows, from Rows). It returns the files per load.
func LoadHistory(t testing.TB, sf *sql.DB, p *plan.Plan, rows map[string]int) map[string][]string {
	t.Helper()
	q := fmt.Sprintf(`SELECT SCHEMA_NAME, TABLE_NAME, FILE_NAME, ROW_COUNT FROM %s.INFORMATION_SCHEMA.LOAD_HISTORY`, ident.Quote(p.Target.Database))
	res, err := sf.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	type key struct{ schema, table string }
	files := map[key][]string{}
	sums := map[key]int64{}
	for res.Next() {
		var k key
		var file string
		var n int64
		if err := res.Scan(&k.schema, &k.table, &file, &n); err != nil {
			t.Fatal(err)
		}
		files[k] = append(files[k], file)
		sums[k] += n
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, c := range p.Changes {
		if c.Load == nil {
			continue
		}
		tc := p.Change(c.Load.Target)
		if tc == nil || len(tc.Name) != 3 {
			t.Fatalf("%s: no target table change", c.Address)
		}
		k := key{tc.Name[1], tc.Name[2]}
		seen := map[string]string{}
		for _, f := range files[k] {
			base := path.Base(f)
			if prev, dup := seen[base]; dup {
				t.Errorf("%s: %s was loaded twice: %s and %s", c.Address, base, prev, f)
			}
			seen[base] = f
		}
		if sums[k] != int64(rows[c.Address]) {
			t.Errorf("%s: the load history's files hold %d rows, the table %d", c.Address, sums[k], rows[c.Address])
		}
		out[c.Address] = files[k]
	}
	return out
}
