// Package state is pgsnow's memory of what it did: which Snowflake objects
// it created (with the DDL it ran), and for every table load its status and
// a manifest of every file it loaded. The planner reads it to tell "already
// done" from "still to do"; the executor writes it after every finished step
// so that a later apply resumes where the last one stopped.
//
// The package holds the model (State), its versioned JSON file format
// (Encode/Decode, documented field by field in docs/state.md), the small
// Manager interface every backend implements (Read/Write with optimistic
// serial checks, Lock/Unlock/ForceUnlock) and the lock-timeout helper.
// Backends live in subpackages: state/local (a file plus a lock file) and
// state/pgstate (a PostgreSQL table plus an advisory lock). state/statetest
// is the conformance suite both pass.
//
// No field of the model can hold a credential: objects carry DDL (checked
// on Validate for stage credentials), loads carry file names, sizes, hashes
// and query ids, locks carry user, host, pid and version. Connection
// strings are never part of the state.
package state
