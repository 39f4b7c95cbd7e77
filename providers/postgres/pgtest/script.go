package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/jackc/pgx/v5"
)

// ExecScript runs a multi-statement SQL script in one round trip (simple
// query protocol), as psql would without its meta-commands.
func ExecScript(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.PgConn().Exec(ctx, sql).ReadAll()
	return err
}

// psqlOnly matches the lines of chinook.sql written for psql: they drop and
// create the database and \c into it, which we do ourselves.
var psqlOnly = regexp.MustCompile(`(?m)^(DROP DATABASE .*|CREATE DATABASE .*|\\c .*)$`)

// LoadChinook loads the Chinook sample database (11 tables) into dsn's database.
func LoadChinook(ctx context.Context, dsn string) error {
	path, err := ChinookPath()
	if err != nil {
		return err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := ExecScript(ctx, dsn, psqlOnly.ReplaceAllString(string(b), "")); err != nil {
		return fmt.Errorf("pgtest: load %s: %w", path, err)
	}
	return nil
}

// ChinookPath finds chinook.sql: $PGSNOW_CHINOOK_SQL, the copy bundled with
// the demo (examples/demo/chinook), or ../shared/fixtures/chinook beside the
// repository, searching upwards from the working directory.
func ChinookPath() (string, error) {
	if p := os.Getenv("PGSNOW_CHINOOK_SQL"); p != "" {
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		for _, rel := range []string{"examples/demo/chinook/chinook.sql", "shared/fixtures/chinook/chinook.sql"} {
			p := filepath.Join(dir, rel)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("pgtest: chinook.sql not found (set PGSNOW_CHINOOK_SQL)")
		}
		dir = parent
	}
}
