// Package local stores pgsnow's state in a file on the local disk.
//
// Files next to the state file PATH:
//
//	PATH          the state (JSON), replaced atomically on every write
//	PATH.backup   the previous serial, replaced on every write
//	PATH.lock     the lock: JSON lock info, present while someone holds it
//	PATH.wlock    empty; a kernel flock on it serialises the short write critical section
//	PATH.tmp-*    a write in progress (a crash can leave one; the next write removes it)
//
// A write goes to a temporary file in the same directory, is fsynced,
// then renamed over PATH (and the directory fsynced), so a crash at any
// moment leaves PATH either the old or the new state, never a mix.
//
// The lock is a file created only if absent (a hard link of a finished
// temporary file, which is atomic and never shows half-written info), not
// a kernel flock: the kernel drops a flock when its process dies, and a
// pgsnow that died mid-apply may have left Snowflake half done. Such a lock
// stays, is reported (with "no longer running" when the holder's pid is
// gone on this host), and is released by a person with force-unlock.
package local
