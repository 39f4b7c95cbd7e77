package command

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/pgsnow/pgsnow/state"
)

func forceUnlockCommand() *cli.Command {
	return &cli.Command{
		Name:      "force-unlock",
		Usage:     "release a state lock left behind by a process that died",
		ArgsUsage: "LOCK_ID",
		Description: "Releases the state lock LOCK_ID, which a pgsnow run that died or was killed left\n" +
			"behind. Only do this when that run is certainly not running: two runs writing the\n" +
			"same state and Snowflake objects corrupt both. Asks for confirmation on a terminal;\n" +
			"when stdin is not a terminal, -force is required. Nothing in Snowflake is changed.",
		Flags:  []cli.Flag{&cli.BoolFlag{Name: "force", Usage: "do not ask for confirmation"}},
		Action: forceUnlock,
	}
}

func forceUnlock(c *cli.Context) error {
	rest, set, err := args(c, "force")
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("'pgsnow force-unlock' needs exactly one LOCK_ID (the error that reported the lock names it)")
	}
	id := rest[0]
	return withState(c, func(m state.Manager) error {
		holder, err := m.Holder(c.Context)
		if err != nil {
			return err
		}
		if holder == nil {
			return fmt.Errorf("%s is not locked; nothing to do", m)
		}
		if holder.ID != id {
			return &state.WrongLockIDError{Given: id, Held: holder}
		}
		if !set["force"] {
			if err := confirmUnlock(c, m, holder); err != nil {
				return err
			}
		}
		if err := m.ForceUnlock(c.Context, id); err != nil {
			return err
		}
		fmt.Fprintf(c.App.Writer, "The state lock %s (held by %s for %s) was released.\n", id, holder.Who, holder.Operation)
		fmt.Fprintln(c.App.Writer, "Run 'pgsnow plan' to see what the interrupted run left to do.")
		return nil
	})
}

// confirmUnlock asks on the terminal; without one it refuses.
func confirmUnlock(c *cli.Context, m state.Manager, h *state.LockInfo) error {
	f, ok := c.App.Reader.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return fmt.Errorf("standard input is not a terminal, so force-unlock cannot ask for confirmation; "+
			"if the run holding the lock is certainly gone, pass -force: pgsnow force-unlock -force %s", h.ID)
	}
	w := c.App.Writer
	fmt.Fprintf(w, "%s is locked:\n", m)
	fmt.Fprintf(w, "  Lock ID:   %s\n  Holder:    %s (pid %d)\n  Operation: %s\n  Since:     %s\n  Version:   %s\n",
		h.ID, h.Who, h.PID, h.Operation, h.Created.UTC().Format(time.RFC3339), h.Version)
	fmt.Fprintln(w, "\nReleasing a lock that a running pgsnow still holds lets two runs change the same")
	fmt.Fprintln(w, "state and Snowflake objects at once. Do this only if that run is certainly gone.")
	fmt.Fprint(w, "Do you really want to force-unlock? Only 'yes' will be accepted: ")
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return errors.New("no answer; the lock is still held")
	}
	if strings.TrimSpace(line) != "yes" {
		return errors.New("force-unlock cancelled; the lock is still held")
	}
	return nil
}
