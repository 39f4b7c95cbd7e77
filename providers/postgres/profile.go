package postgres

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

// jitMinRows: tables estimated below this many rows are profiled with JIT off.
const jitMinRows = 5_000_000

// TableProfileOptions limit profiling of one table.
type TableProfileOptions struct {
	// Skip turns profiling off (spec: profile = false); the report then
	// says the table's risks are unchecked.
	Skip bool
	// SamplePercent in (0, 100) reads a TABLESAMPLE SYSTEM sample
	// instead of every row; 0 or 100 means a full scan.
	SamplePercent float64
}

// ProfileOptions control Profile.
type ProfileOptions struct {
	Default TableProfileOptions
	// Tables overrides Default per "schema.table".
	Tables map[string]TableProfileOptions
	// Concurrency is the number of tables profiled at once, each on its
	// own connection (default 2).
	Concurrency int
	// Progress, when set, receives events: start and done for every
	// table, and "running" every ProgressInterval (default 2s) while a
	// table's scan is in flight, so large tables show life.
	Progress         func(ProgressEvent)
	ProgressInterval time.Duration
}

// ProgressKind is the kind of a ProgressEvent.
type ProgressKind string

const (
	ProgressStart   ProgressKind = "start"
	ProgressRunning ProgressKind = "running"
	ProgressDone    ProgressKind = "done"
)

// ProgressEvent reports profiling progress for one table.
type ProgressEvent struct {
	Kind           ProgressKind
	Table          catalog.QualifiedName
	Index, Total   int // 1-based position among the tables that are scanned
	EstimatedRows  int64
	EstimatedBytes int64
	Elapsed        time.Duration
	Profile        *catalog.TableProfile // set on done
}

func (o ProfileOptions) forTable(t *catalog.Table) TableProfileOptions {
	if v, ok := o.Tables[t.QualifiedName().String()]; ok {
		return v
	}
	return o.Default
}

// skipReason says why a table is not scanned, or "" when it is.
func skipReason(db *catalog.Database, t *catalog.Table, o TableProfileOptions) string {
	switch {
	case o.Skip:
		return "profile = false in the spec"
	case t.Kind == catalog.TableForeign:
		return "foreign table: not scanned"
	case t.PartitionOf != nil && db.Table(t.PartitionOf.Schema, t.PartitionOf.Name) != nil:
		return "partition: profiled through its parent " + t.PartitionOf.String()
	}
	return ""
}

// Profile scans the tables of db (one query per table) and fills in
// Table.Profile, Column.Profile and, for full scans, Stats.ExactRows.
func (s *Source) Profile(ctx context.Context, db *catalog.Database, opts ProfileOptions) error {
	var work []*catalog.Table
	for _, t := range db.AllTables() {
		o := opts.forTable(t)
		if o.SamplePercent < 0 || o.SamplePercent > 100 {
			return fmt.Errorf("table %s: sample percent %g is outside 0..100", t.QualifiedName(), o.SamplePercent)
		}
		if r := skipReason(db, t, o); r != "" {
			t.Profile = &catalog.TableProfile{Method: catalog.ProfileSkipped, Reason: r}
			continue
		}
		work = append(work, t)
	}
	// Largest first, so that the long scans start early and overlap.
	sort.SliceStable(work, func(i, j int) bool { return work[i].Stats.TotalBytes() > work[j].Stats.TotalBytes() })

	n := opts.Concurrency
	if n <= 0 {
		n = 2
	}
	if n > len(work) {
		n = len(work)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := s.Connect(ctx)
			if err != nil {
				errs <- err
				cancel()
				return
			}
			defer conn.Close(context.Background())
			for i := range jobs {
				if err := s.profileTable(ctx, conn, db, work[i], opts, i+1, len(work)); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		}()
	}
feed:
	for i := range work {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

func (s *Source) profileTable(ctx context.Context, conn *pgx.Conn, db *catalog.Database, t *catalog.Table,
	opts ProfileOptions, index, total int) error {
	o := opts.forTable(t)
	ev := ProgressEvent{Table: t.QualifiedName(), Index: index, Total: total,
		EstimatedRows: t.Stats.EstimatedRows, EstimatedBytes: t.Stats.TotalBytes()}
	start := time.Now()
	stop := s.progress(opts, ev, start)
	defer stop()

	prof := &catalog.TableProfile{Method: catalog.ProfileFull}
	if o.SamplePercent > 0 && o.SamplePercent < 100 {
		prof.Method, prof.SamplePercent = catalog.ProfileSample, o.SamplePercent
	}
	// JIT compilation of this wide aggregate costs about a second and more
	// than it saves below a few million rows; larger tables keep the
	// server's setting.
	jit := "RESET jit"
	if t.Stats.EstimatedRows < jitMinRows {
		jit = "SET jit = off"
	}
	if _, err := conn.Exec(ctx, jit); err != nil {
		return s.queryError("profile table "+t.QualifiedName().String(), err)
	}
	profiles := map[*catalog.Column]*catalog.ColumnProfile{}
	for qi, q := range buildProfileQueries(t, db.ServerVersionNum, o.SamplePercent) {
		vals := make([]int64, 1+len(q.probes))
		dest := make([]any, len(vals))
		for i := range vals {
			dest[i] = &vals[i]
		}
		if err := conn.QueryRow(ctx, q.sql).Scan(dest...); err != nil {
			return s.queryError(fmt.Sprintf("profile table %s (%s)", t.QualifiedName(), describeSample(o.SamplePercent)), err)
		}
		if qi == 0 {
			prof.RowsScanned = vals[0]
		}
		for i, p := range q.probes {
			c := q.cols[i]
			cp := profiles[c]
			if cp == nil {
				cp = &catalog.ColumnProfile{}
				profiles[c] = cp
			}
			p.set(cp, vals[i+1])
		}
	}
	for _, c := range t.Columns {
		c.Profile = profiles[c]
	}
	t.Profile = prof
	if prof.Method == catalog.ProfileFull {
		rows := prof.RowsScanned
		t.Stats.ExactRows = &rows
	}
	if opts.Progress != nil {
		stop() // no "running" event after "done"
		ev.Kind, ev.Elapsed, ev.Profile = ProgressDone, time.Since(start), prof
		opts.Progress(ev)
	}
	return nil
}

// progress sends the start event and then "running" events until stop.
func (s *Source) progress(opts ProfileOptions, ev ProgressEvent, start time.Time) (stop func()) {
	if opts.Progress == nil {
		return func() {}
	}
	ev.Kind = ProgressStart
	opts.Progress(ev)
	every := opts.ProgressInterval
	if every <= 0 {
		every = 2 * time.Second
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				ev.Kind, ev.Elapsed = ProgressRunning, time.Since(start)
				opts.Progress(ev)
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done); <-finished }) }
}

// describeSample names the method for messages.
func describeSample(p float64) string {
	if p > 0 && p < 100 {
		return fmt.Sprintf("%g%% sample", p)
	}
	return "full scan"
}

// CheckPrivileges fails when the connecting user cannot read some
// selected table (SELECT on it, USAGE on its schema), naming them, so
// that analyze and plan stop before any scan.
func (s *Source) CheckPrivileges(db *catalog.Database) error {
	var denied []string
	for _, t := range db.AllTables() {
		if !t.CanSelect && t.Kind != catalog.TableForeign {
			denied = append(denied, t.QualifiedName().String())
		}
	}
	if len(denied) == 0 {
		return nil
	}
	list := denied
	more := ""
	if len(list) > 5 {
		list, more = list[:5], fmt.Sprintf(" and %d more", len(denied)-5)
	}
	return fmt.Errorf("%s: missing privilege: user %q cannot read %d table(s): %s%s (GRANT SELECT on the tables and USAGE on their schemas)",
		s.where(), s.cfg.User, len(denied), strings.Join(list, ", "), more)
}
