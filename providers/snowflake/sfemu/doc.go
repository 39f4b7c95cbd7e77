// Package sfemu is a Snowflake emulator that the real gosnowflake driver talks
// to over plain HTTP, backed by a PostgreSQL database.
//
// It implements the REST endpoints the driver calls (login with password,
// OAuth token or key-pair JWT; synchronous JSON query results; token renewal;
// heartbeat; abort; telemetry; session close), a subset of Snowflake SQL
// translated to PostgreSQL (DDL with Snowflake's identifier and type rules,
// INFORMATION_SCHEMA and SHOW in Snowflake's shape, SELECT/INSERT with the
// functions a migration needs), internal stages served to the driver as
// LOCAL_FS (PUT, LIST, REMOVE) and COPY INTO with per-table load metadata,
// plus fault injection for retry tests. docs/emulator.md lists what is
// emulated and where the emulator knowingly differs from Snowflake.
package sfemu
