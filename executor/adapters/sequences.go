package adapters

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/catalog"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// SequenceSource reads a source sequence's current state; Sources
// implements it.
type SequenceSource interface {
	SequenceState(ctx context.Context, source string, seq catalog.QualifiedName) (SourceSequence, error)
}

// Sequences sets, when a load finalizes, every sequence its table's
// columns take their DEFAULT from (serial, identity, DEFAULT nextval), so
// that the next value Snowflake hands out is beyond every loaded value and
// beyond what the source could hand out when the load ended.
//
// The plan's sequence DDL starts each sequence where the source was at plan
// time; the source moves on while the plan waits and the load runs, so the
// sequence is set again after the data (docs/loading.md, "Sequences").
type Sequences struct {
	src   SequenceSource
	loads map[string][]loadSequence // by load address
	// mu makes read, compare, replace and re-bind one step: two loads that
	// share a sequence finalize one after the other, the higher need wins.
	mu sync.Mutex
}

// targetSequence is a Snowflake sequence, the source sequence it
// continues, and every mapped column whose default names it.
type targetSequence struct {
	name    load.Sequence
	source  catalog.QualifiedName
	comment string
	users   []columnRef
}

type columnRef struct {
	table  load.Table
	column string
}

// loadSequence is a sequence a load's table uses, and through which of
// its columns.
type loadSequence struct {
	seq     *targetSequence
	columns []string
}

// NewSequences finds, for every load and reload of p, the sequences its
// table's columns use as defaults, from the type mapping the plan was made
// with (the plan itself stays as reviewed). ReadingFrom names the source
// side once it is connected.
func NewSequences(p *plan.Plan, m *typemap.Model) (*Sequences, error) {
	db := p.Target.Database
	byDefault := map[string]*targetSequence{} // `"S"."SEQ".NEXTVAL` as the mapping writes defaults
	byTarget := map[[2]string]*typemap.Table{}
	for _, s := range m.Schemas {
		for _, q := range s.Sequences {
			byDefault[ident.Qualified(q.Schema, q.Target)+".NEXTVAL"] = &targetSequence{
				name: load.Sequence{Database: db, Schema: q.Schema, Name: q.Target}, source: q.SourceName, comment: q.Comment}
		}
		for _, t := range s.Tables {
			byTarget[[2]string{t.Schema, t.Target}] = t
		}
	}
	for _, s := range m.Schemas {
		for _, t := range s.Tables {
			for _, d := range t.Columns {
				if q := byDefault[d.Default]; q != nil {
					q.users = append(q.users, columnRef{load.Table{Database: db, Schema: t.Schema, Name: t.Target}, d.Target})
				}
			}
		}
	}
	out := &Sequences{loads: map[string][]loadSequence{}}
	for _, c := range p.Changes {
		if c.Load == nil || (c.Action != plan.Load && c.Action != plan.Reload) {
			continue
		}
		tc := p.Change(c.Load.Target)
		if tc == nil || len(tc.Name) != 3 {
			return nil, fmt.Errorf("%s: its target %s is not in the plan", c.Address, c.Load.Target)
		}
		mt := byTarget[[2]string{tc.Name[1], tc.Name[2]}]
		if mt == nil {
			return nil, fmt.Errorf("%s: the type mapping has no table %s.%s: make a new plan", c.Address, tc.Name[1], tc.Name[2])
		}
		var uses []loadSequence
		for _, d := range mt.Columns {
			q := byDefault[d.Default]
			if q == nil {
				continue
			}
			i := 0
			for i < len(uses) && uses[i].seq != q {
				i++
			}
			if i == len(uses) {
				uses = append(uses, loadSequence{seq: q})
			}
			uses[i].columns = append(uses[i].columns, d.Target)
		}
		if len(uses) > 0 {
			out.loads[c.Address] = uses
		}
	}
	return out, nil
}

// ReadingFrom makes s read source sequences through src and returns s.
func (s *Sequences) ReadingFrom(src SequenceSource) *Sequences {
	if s != nil {
		s.src = src
	}
	return s
}

// Set runs at c's finalize, before a reload's swap: into is the table the
// rows were loaded into (live, or the staging table about to become live).
// For each sequence the table uses it reads the source's state now and the
// loaded columns' extreme value, replaces the Snowflake sequence unless
// its START is beyond both (never moving it back), and binds every
// column that names it to it again. Every step is idempotent, so a retry or
// a later run that finalizes again after a crash between the replace and
// the re-bind ends in the same place. A nil Sequences does nothing.
func (s *Sequences) Set(ctx context.Context, db *sql.DB, c *plan.Change, live, into load.Table) error {
	if s == nil || len(s.loads[c.Address]) == 0 {
		return nil
	}
	uses := s.loads[c.Address]
	if s.src == nil {
		return fmt.Errorf("%s: no source to read its sequences from", c.Address)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ext, err := extremes(ctx, db, into, uses)
	if err != nil {
		return err
	}
	for _, u := range uses {
		st, err := s.src.SequenceState(ctx, c.Load.Source.Source, u.seq.source)
		if err != nil {
			return err
		}
		need, err := st.Next()
		if err != nil {
			return fmt.Errorf("source sequence %s: %w", u.seq.source, err)
		}
		inc := st.Increment
		for _, col := range u.columns {
			v := ext[col][0] // highest
			if inc < 0 {
				v = ext[col][1] // lowest
			}
			if v == "" {
				continue // no rows, or only NULLs
			}
			past, err := pastValue(v, inc)
			if err != nil {
				return fmt.Errorf("%s column %s: %w", into.Quoted(), ident.Quote(col), err)
			}
			need = further(need, past, inc)
		}
		cur, exists, err := load.ReadSequence(ctx, db, u.seq.name)
		if err != nil {
			return err
		}
		// Kept only when its START is already far enough (a second run, or
		// another table sharing it needed more): every value a sequence
		// object gives is at or beyond its START, while Snowflake does not
		// promise that an unordered (NOORDER) sequence gives nothing below
		// NEXT_VALUE.
		if !exists || cur.Increment != inc || further(cur.Start, need, inc) != cur.Start {
			start := need
			if exists && (cur.Increment > 0) == (inc > 0) {
				start = further(need, cur.Next, inc) // never moved back
			}
			if err := load.SetSequence(ctx, db, u.seq.name.Quoted(), start, inc, u.seq.comment); err != nil {
				return err
			}
		}
		if err := s.rebind(ctx, db, u, live, into); err != nil {
			return err
		}
	}
	return nil
}

// rebind binds every column whose default names u's sequence to it again,
// whether or not this run replaced it: a run that crashed between a
// replace and the re-bind left defaults naming the dropped sequence, and
// nothing else tells them apart. Other tables that share the sequence are
// bound too when they exist (one not created yet will name the new one).
func (s *Sequences) rebind(ctx context.Context, db *sql.DB, u loadSequence, live, into load.Table) error {
	refs := append([]columnRef(nil), u.seq.users...)
	if into != live {
		for _, col := range u.columns {
			refs = append(refs, columnRef{into, col})
		}
	}
	exists := map[load.Table]bool{into: true}
	for _, r := range refs {
		ok, seen := exists[r.table]
		if !seen {
			var err error
			if ok, err = tableExists(ctx, db, r.table); err != nil {
				return err
			}
			exists[r.table] = ok
		}
		if !ok {
			continue
		}
		if err := load.SetDefault(ctx, db, r.table, r.column, u.seq.name); err != nil {
			return err
		}
	}
	return nil
}

// extremes reads the highest and lowest value of every column the load's
// sequences feed, in one query ("" for none).
func extremes(ctx context.Context, db *sql.DB, t load.Table, uses []loadSequence) (map[string][2]string, error) {
	var cols, exprs []string
	for _, u := range uses {
		for _, c := range u.columns {
			cols = append(cols, c)
			exprs = append(exprs, "MAX("+ident.Quote(c)+")", "MIN("+ident.Quote(c)+")")
		}
	}
	vals := make([]sql.NullString, len(exprs))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + t.Quoted()
	if err := db.QueryRowContext(ctx, q).Scan(ptrs...); err != nil {
		return nil, &load.Error{Op: "SEQUENCE", Table: t.Quoted(), Err: err, Transient: load.Transient(ctx, err)}
	}
	out := map[string][2]string{}
	for i, c := range cols {
		out[c] = [2]string{vals[2*i].String, vals[2*i+1].String}
	}
	return out, nil
}

// pastValue is the first value a sequence stepping by inc may give after
// v, a loaded NUMBER (with a scale, it is rounded outwards first).
func pastValue(v string, inc int64) (int64, error) {
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		return 0, fmt.Errorf("value %q is not a number", v)
	}
	n := new(big.Int).Quo(r.Num(), r.Denom()) // toward zero
	if rem := new(big.Rat).Sub(r, new(big.Rat).SetInt(n)); rem.Sign() != 0 {
		if inc > 0 && rem.Sign() > 0 {
			n.Add(n, big.NewInt(1))
		} else if inc < 0 && rem.Sign() < 0 {
			n.Sub(n, big.NewInt(1))
		}
	}
	if !n.IsInt64() {
		return 0, errors.New("value " + v + " is beyond a 64-bit sequence")
	}
	return addChecked(n.Int64(), inc)
}

// further is the one of a and b that a sequence stepping by inc reaches
// last.
func further(a, b, inc int64) int64 {
	if (inc > 0) == (a > b) {
		return a
	}
	return b
}
