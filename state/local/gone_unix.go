//go:build unix

package local

import (
	"errors"
	"os"
	"syscall"

	"github.com/pgsnow/pgsnow/state"
)

// gone reports whether the holder is a process on this host that no longer
// exists. A reused pid makes it look alive, which errs on the safe side.
func gone(info *state.LockInfo) bool {
	host, err := os.Hostname()
	if err != nil || host != info.Host || info.PID <= 0 {
		return false
	}
	return errors.Is(syscall.Kill(info.PID, 0), syscall.ESRCH)
}
