// Package pgstate stores pgsnow's state in a PostgreSQL database, for teams
// and CI runners that share one state.
//
// Two tables (created on first write or lock; TABLE defaults to pgsnow_state):
//
//	TABLE        one row per state name: lineage, serial, data (the state
//	             file's JSON, byte for byte), previous_serial and
//	             previous_data (the backup), updated_at
//	TABLE_locks  one row per locked state: lock_id, info (lock info JSON),
//	             backend_pid of the session holding the advisory lock
//
// Writes run in a transaction that locks the state row and checks the
// serial (optimistic concurrency: a stale write is refused, never merged).
//
// Locking combines a session-level pg_advisory_lock, taken on a dedicated
// connection held for the lock's lifetime, with the lock row. The advisory
// lock makes taking the lock atomic and tells a live holder from a dead one;
// the row names the holder and is what fences writers: a write checks, in
// its transaction, that its own lock row is still there. If the holder's
// session ends without unlocking (process killed, network cut), PostgreSQL
// drops the advisory lock but the row stays, so the next Lock reports the
// holder as gone instead of silently taking over a half-done apply.
//
// ForceUnlock deletes the row (the old holder's next write fails with
// state.ErrLockLost) and then terminates the session that holds the
// advisory lock, but only if that session is the one the row recorded.
// See docs/state.md for the procedure and the privileges it needs.
package pgstate
