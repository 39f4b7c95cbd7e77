package inspect_test

import (
	"context"
	"database/sql"
	"testing"
)

type snowflakeDB struct {
	t  *testing.T
	DB *sql.DB
}

func (s *snowflakeDB) exec(stmts ...string) {
	s.t.Helper()
	for _, q := range stmts {
		if _, err := s.DB.ExecContext(context.Background(), q); err != nil {
			s.t.Fatalf("%s: %v", q, err)
		}
	}
}
