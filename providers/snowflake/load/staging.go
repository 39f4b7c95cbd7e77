package load

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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

// SetSequence makes seq (quoted qualified) return start next. Snowflake's
// ALTER SEQUENCE cannot change the next value (only INCREMENT, ORDER,
// COMMENT, name), so the sequence is replaced: CREATE OR REPLACE SEQUENCE
// … START = start INCREMENT = increment. Replacing creates a new sequence
// object; column DEFAULTs that named the old one must be set again with
// ALTER TABLE … ALTER COLUMN … SET DEFAULT seq.NEXTVAL (docs/loading.md).
// Running it twice with the same values gives the same sequence.
func SetSequence(ctx context.Context, db *sql.DB, seq string, start, increment int64) error {
	if !quotedName.MatchString(seq) {
		return fmt.Errorf("sequence %s must be a quoted identifier", seq)
	}
	if increment == 0 {
		return fmt.Errorf("sequence %s: increment must not be 0", seq)
	}
	q := fmt.Sprintf("CREATE OR REPLACE SEQUENCE %s START = %d INCREMENT = %d", seq, start, increment)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return &Error{Op: "SEQUENCE", Table: seq, Err: err, Transient: Transient(ctx, err)}
	}
	return nil
}
