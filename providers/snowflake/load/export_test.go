package load

import (
	"context"
	"database/sql"
)

// RunAfterLostAnswer runs c as a retry whose previous try's answer was lost.
func (c Copy) RunAfterLostAnswer(ctx context.Context, db *sql.DB) (Loaded, error) {
	return c.run(ctx, db, true)
}
