package load

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/pgsnow/pgsnow/providers/snowflake/ddl"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// CreateStaging (re)creates live's staging table, empty. createSQL is the
// table's CREATE TABLE statement rendered for live.Staging() (from the
// plan's DDL); when empty, CREATE OR REPLACE TABLE … LIKE live copies the
// live table's columns. OR REPLACE (or a DROP first) makes it idempotent:
// a staging table left by a crashed run is discarded with its rows and its
// load metadata, so the reload starts from nothing.
func CreateStaging(ctx context.Context, db *sql.DB, live Table, createSQL string) error {
	st := live.Staging()
	stmts := []string{"CREATE OR REPLACE TABLE " + st.Quoted() + " LIKE " + live.Quoted()}
	if strings.TrimSpace(createSQL) != "" {
		stmts = []string{"DROP TABLE IF EXISTS " + st.Quoted(), createSQL}
	}
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return &Error{Op: "CREATE STAGING", Table: st.Quoted(), Err: err, Transient: Transient(ctx, err)}
		}
	}
	return nil
}

// Swap puts the loaded staging table in place of live in one metadata
// operation (readers see the old rows or the new ones, never a mix) and
// drops what was live. A swap is not idempotent (a second one swaps back),
// so it is never retried blindly: after a lost answer the caller must look
// (row counts, the state) before trying again.
func Swap(ctx context.Context, db *sql.DB, live Table) error {
	st := live.Staging()
	if _, err := db.ExecContext(ctx, "ALTER TABLE "+live.Quoted()+" SWAP WITH "+st.Quoted()); err != nil {
		return &Error{Op: "SWAP", Table: live.Quoted(), Err: err, Transient: Transient(ctx, err)}
	}
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+st.Quoted()); err != nil {
		return &Error{Op: "DROP STAGING", Table: st.Quoted(), Err: err, Transient: Transient(ctx, err)}
	}
	return nil
}

// Sequence names a Snowflake sequence by its exact (already mapped) parts.
type Sequence struct{ Database, Schema, Name string }

// Quoted is "DB"."SCHEMA"."NAME".
func (s Sequence) Quoted() string { return ident.Qualified(s.Database, s.Schema, s.Name) }

// SequenceInfo is what Snowflake reports of a sequence.
type SequenceInfo struct {
	Start     int64 // START of the current sequence object
	Next      int64 // the value it will give next (NEXT_VALUE)
	Increment int64
}

// ReadSequence reads seq from the database's INFORMATION_SCHEMA.SEQUENCES;
// ok is false when there is no such sequence.
func ReadSequence(ctx context.Context, db *sql.DB, seq Sequence) (info SequenceInfo, ok bool, err error) {
	q := "SELECT START_VALUE, NEXT_VALUE, INCREMENT FROM " + ident.Quote(seq.Database) +
		".INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_SCHEMA = ? AND SEQUENCE_NAME = ?"
	var v [3]sql.NullString
	err = db.QueryRowContext(ctx, q, seq.Schema, seq.Name).Scan(&v[0], &v[1], &v[2])
	if err == sql.ErrNoRows {
		return SequenceInfo{}, false, nil
	}
	if err != nil {
		return SequenceInfo{}, false, &Error{Op: "SEQUENCE", Table: seq.Quoted(), Err: err, Transient: Transient(ctx, err)}
	}
	for i, dst := range []*int64{&info.Start, &info.Next, &info.Increment} {
		if *dst, err = strconv.ParseInt(v[i].String, 10, 64); err != nil {
			return SequenceInfo{}, false, fmt.Errorf("sequence %s: %s %q: %v", seq.Quoted(), []string{"START_VALUE", "NEXT_VALUE", "INCREMENT"}[i], v[i].String, err)
		}
	}
	return info, true, nil
}

// SetSequence makes seq (quoted qualified) return start next. Snowflake's
// ALTER SEQUENCE cannot change the next value (only INCREMENT, ORDER,
// COMMENT, name), so the sequence is replaced: CREATE OR REPLACE SEQUENCE
// … START = start INCREMENT = increment, with the comment it had (a
// replacement would lose it). Replacing creates a new sequence object;
// column DEFAULTs that named the old one must be bound again with
// SetDefault (docs/loading.md). Running it twice with the same values
// gives the same sequence.
func SetSequence(ctx context.Context, db *sql.DB, seq string, start, increment int64, comment string) error {
	if !quotedName.MatchString(seq) {
		return fmt.Errorf("sequence %s must be a quoted identifier", seq)
	}
	if increment == 0 {
		return fmt.Errorf("sequence %s: increment must not be 0", seq)
	}
	q := fmt.Sprintf("CREATE OR REPLACE SEQUENCE %s START = %d INCREMENT = %d", seq, start, increment)
	if comment != "" {
		q += " COMMENT = " + ddl.String(comment)
	}
	if _, err := db.ExecContext(ctx, q); err != nil {
		return &Error{Op: "SEQUENCE", Table: seq, Err: err, Transient: Transient(ctx, err)}
	}
	return nil
}

// SetDefault binds column of t to seq.NEXTVAL again after seq was
// replaced. Snowflake allows this change of default only on a column whose
// default is already a sequence (the replaced one counts). It is
// idempotent.
func SetDefault(ctx context.Context, db *sql.DB, t Table, column string, seq Sequence) error {
	q := "ALTER TABLE " + t.Quoted() + " ALTER COLUMN " + ident.Quote(column) + " SET DEFAULT " + seq.Quoted() + ".NEXTVAL"
	if _, err := db.ExecContext(ctx, q); err != nil {
		return &Error{Op: "SET DEFAULT", Table: t.Quoted(), Err: err, Transient: Transient(ctx, err)}
	}
	return nil
}
