package command

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/planner/verify"
	"github.com/pgsnow/pgsnow/providers/postgres"
	"github.com/pgsnow/pgsnow/providers/snowflake"
	"github.com/pgsnow/pgsnow/state"
)

// compareTables fills every item's row: it reads each source in one
// REPEATABLE READ READ ONLY transaction, so that all of a source's tables
// are compared at one instant, then Snowflake.
func compareTables(ctx context.Context, spec *lang.Spec, items []*verifyItem) error {
	bySource := map[string][]*verifyItem{}
	for _, it := range items {
		switch {
		case it.load == nil || it.load.Status != state.LoadLoaded:
			it.row.Status = verify.StatusNotLoaded
		case it.mt == nil:
			it.row.Status = verify.StatusError
			it.row.Error = "the spec no longer maps this table to " + it.row.Target + "; run 'pgsnow plan'"
		case verify.MappingChanged(it.obj, it.mt) != "":
			it.row.Status = verify.StatusError
			it.row.Error = "the mapping changed since the load (" + verify.MappingChanged(it.obj, it.mt) + "), so the checks would not match what was loaded; run 'pgsnow plan' and 'pgsnow apply'"
		default:
			it.row.Where = spec.EffectiveTableSettings(it.ref.Source, it.ref.Schema, it.ref.Table).Where
			bySource[it.ref.Source] = append(bySource[it.ref.Source], it)
		}
	}
	if len(bySource) == 0 {
		return nil
	}
	cfg, err := snowflakeConfig(spec)
	if err != nil {
		return err
	}
	sfdb, err := snowflake.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer sfdb.Close()
	for _, name := range slices.Sorted(maps.Keys(bySource)) {
		s := spec.Source(name)
		if s == nil {
			for _, it := range bySource[name] {
				it.row.Status, it.row.Error = verify.StatusError, fmt.Sprintf("the spec has no source %q any more", name)
			}
			continue
		}
		if err := compareSource(ctx, s, sfdb, spec.Target.Database, bySource[name]); err != nil {
			return err
		}
	}
	return nil
}

// compareSource compares items, whose source is s, inside one snapshot
// of s (kept open while Snowflake is read, so that the drill-down into
// columns sees the same source rows). A failing table is reported as an
// error; a failing connection ends verify.
func compareSource(ctx context.Context, s *lang.Source, sfdb *sql.DB, database string, items []*verifyItem) error {
	src, err := postgres.NewSource(s.Name, s.ConnString().Reveal())
	if err != nil {
		return err
	}
	conn, err := src.Connect(ctx)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("source %q: starting the snapshot: %w", s.Name, err)
	}
	defer tx.Rollback(context.Background())
	for _, set := range typemap.ExtractSession {
		if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true)", set.Name, set.Value); err != nil {
			return fmt.Errorf("source %q: setting %s: %w", s.Name, set.Name, err)
		}
	}
	for _, it := range items {
		if err := compareTable(ctx, tx, sfdb, database, it); err != nil {
			return fmt.Errorf("source %q: %w", s.Name, err)
		}
	}
	return nil
}

// compareTable fills it.row. It returns an error only when the snapshot
// is no longer usable.
func compareTable(ctx context.Context, tx pgx.Tx, sfdb *sql.DB, database string, it *verifyItem) error {
	fail := func(side string, err error) {
		it.row.Status, it.row.Error = verify.StatusError, side+": "+err.Error()
	}
	cols := verify.Columns(it.mt)
	n := verify.Width(cols)
	vals, qerr, err := pgRow(ctx, tx, verify.PostgresQuery(it.mt, it.row.Where), n)
	if err != nil || qerr != nil {
		fail("PostgreSQL", qerr)
		return err
	}
	pg, perr := verify.Parse(cols, vals)
	if perr != nil {
		fail("PostgreSQL", perr)
		return nil
	}
	it.row.Postgres = &pg
	if vals, qerr = sfRow(ctx, sfdb, verify.SnowflakeQuery(database, it.mt), n); qerr != nil {
		fail("Snowflake", qerr)
		return nil
	}
	sf, perr := verify.Parse(cols, vals)
	if perr != nil {
		fail("Snowflake", perr)
		return nil
	}
	it.row.Snowflake = &sf
	it.row.Mismatches = verify.Compare(pg, sf)
	it.row.Status = verify.StatusMatch
	if len(it.row.Mismatches) == 0 {
		return nil
	}
	it.row.Status = verify.StatusMismatch
	if pg.Fingerprint == sf.Fingerprint {
		return nil
	}
	// Name the columns that differ: one more scan on each side.
	names := verify.HashColumns(it.mt)
	pc, qerr, err := pgRow(ctx, tx, verify.ColumnPostgresQuery(it.mt, it.row.Where), len(names))
	if err != nil || qerr != nil {
		it.row.Error = "finding the columns that differ: PostgreSQL: " + qerr.Error()
		return err
	}
	sc, qerr := sfRow(ctx, sfdb, verify.ColumnSnowflakeQuery(database, it.mt), len(names))
	if qerr != nil {
		it.row.Error = "finding the columns that differ: Snowflake: " + qerr.Error()
		return nil
	}
	it.row.Mismatches = append(it.row.Mismatches, verify.CompareColumns(names, pc, sc)...)
	return nil
}

// pgRow runs a one-row query inside a savepoint, so that a failing query
// (qerr) leaves the snapshot usable; err means it is not.
func pgRow(ctx context.Context, tx pgx.Tx, q string, n int) (vals []*string, qerr, err error) {
	vals = make([]*string, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if _, err := tx.Exec(ctx, "SAVEPOINT verify_table"); err != nil {
		return nil, err, err
	}
	if qerr := tx.QueryRow(ctx, q).Scan(ptrs...); qerr != nil {
		if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT verify_table"); err != nil {
			return nil, qerr, err
		}
		return nil, qerr, nil
	}
	if _, err := tx.Exec(ctx, "RELEASE SAVEPOINT verify_table"); err != nil {
		return nil, err, err
	}
	return vals, nil, nil
}

// sfRow runs a one-row query on Snowflake; NULL is a nil pointer.
func sfRow(ctx context.Context, db *sql.DB, q string, n int) ([]*string, error) {
	ns := make([]sql.NullString, n)
	ptrs := make([]any, n)
	for i := range ns {
		ptrs[i] = &ns[i]
	}
	if err := db.QueryRowContext(ctx, q).Scan(ptrs...); err != nil {
		return nil, err
	}
	vals := make([]*string, n)
	for i := range ns {
		if ns[i].Valid {
			vals[i] = &ns[i].String
		}
	}
	return vals, nil
}
