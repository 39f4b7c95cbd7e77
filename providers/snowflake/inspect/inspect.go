package inspect

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	sf "github.com/snowflakedb/gosnowflake"
)

// errDoesNotExist is Snowflake's "Object does not exist or not authorized".
const errDoesNotExist = 2003

// Inspect reads database name (exact, case-sensitive) through db, a
// gosnowflake connection (providers/snowflake.Open). It runs the eight
// Queries on one connection. A database that does not exist, or that the
// role cannot see, gives Exists == false and no error.
func Inspect(ctx context.Context, db *sql.DB, name string) (*Database, error) {
	if name == "" {
		return nil, errors.New("snowflake inspect: no database name")
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("snowflake inspect %s: %w", name, err)
	}
	defer conn.Close()
	var r Rows
	for i, q := range Queries(name) {
		if err := run(ctx, conn, q, func(sc func(...any) error) error { return r.scan(i, sc) }); err != nil {
			var se *sf.SnowflakeError
			if i == 0 && errors.As(err, &se) && se.Number == errDoesNotExist {
				return &Database{Name: name}, nil
			}
			return nil, fmt.Errorf("snowflake inspect %s: reading INFORMATION_SCHEMA.%s: %w", name, viewNames[i], err)
		}
		if i == 0 && len(r.Schemata) == 0 {
			// Every existing database lists INFORMATION_SCHEMA: nothing more to read.
			return &Database{Name: name}, nil
		}
	}
	return Build(name, r)
}

func run(ctx context.Context, conn *sql.Conn, q string, row func(func(...any) error) error) error {
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
