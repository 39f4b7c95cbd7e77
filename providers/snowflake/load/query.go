package load

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"

	sf "github.com/snowflakedb/gosnowflake"
)

// queryWithID runs q on one connection and returns its rows (keyed by
// lower-case column name, NULL as "") and the Snowflake query id, also
// when q fails. It goes through the driver connection because
// gosnowflake's WithQueryIDChan panics on PUT to GCS-like stages: the
// driver posts a second query with the same context and sends on the
// channel it already closed (restful.go, v1.19.1).
func queryWithID(ctx context.Context, db *sql.DB, q string) ([]map[string]string, string, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close()
	var out []map[string]string
	var qid string
	err = conn.Raw(func(dc any) error {
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("the Snowflake driver connection cannot run queries")
		}
		rows, err := qc.QueryContext(ctx, q, nil)
		if err != nil {
			qid = errQueryID(err)
			return err
		}
		defer rows.Close()
		if sr, ok := rows.(sf.SnowflakeRows); ok {
			qid = sr.GetQueryID()
		}
		cols := rows.Columns()
		vals := make([]driver.Value, len(cols))
		for {
			if err := rows.Next(vals); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			m := make(map[string]string, len(cols))
			for i, c := range cols {
				if vals[i] != nil {
					m[strings.ToLower(c)] = fmt.Sprint(vals[i])
				}
			}
			out = append(out, m)
		}
	})
	return out, qid, err
}

func errQueryID(err error) string {
	var se *sf.SnowflakeError
	if errors.As(err, &se) {
		return se.QueryID
	}
	return ""
}
