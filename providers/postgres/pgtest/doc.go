// Package pgtest starts throwaway PostgreSQL clusters for tests and the demo.
//
// A cluster lives in a temporary directory (initdb), listens on a free
// loopback port, and is removed on Close. When the process runs as root the
// server runs as the "postgres" user, because PostgreSQL refuses to run as
// root. Tests share one cluster per test binary (Shared, NewDatabase, Main)
// and start a dedicated one only when they need to stop or restart it
// (Start). PGSNOW_TEST_DSN points the harness at an existing server instead.
package pgtest
