// Package sfproxy is an HTTP proxy for tests that sits between pgsnow and
// the Snowflake emulator. It records every request (endpoint, statement,
// answer) so a fault test can prove its fault really happened mid-load,
// and it calls hooks before a request is forwarded and after its answer
// arrives, so a test can act (kill the process, restart PostgreSQL, cut
// the network) at an exact point of a load instead of after a sleep.
package sfproxy
