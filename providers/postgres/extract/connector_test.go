package extract

import "github.com/pgsnow/pgsnow/providers/postgres"

// The executor passes its postgres.Source straight in.
var _ Connector = (*postgres.Source)(nil)
