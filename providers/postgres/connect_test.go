package postgres

import "github.com/pgsnow/pgsnow/providers/postgres/extract"

// Apply's extraction workers read COPY data through extract's coalescing
// reader only if Source offers a frontend hook.
var _ extract.FrontendConnector = (*Source)(nil)
