package command

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/lang"
	"github.com/pgsnow/pgsnow/state"
	"github.com/pgsnow/pgsnow/state/local"
	"github.com/pgsnow/pgsnow/state/pgstate"
)

func stateCommand() *cli.Command {
	return &cli.Command{
		Name:  "state",
		Usage: "inspect and edit pgsnow's state",
		Description: "The state is pgsnow's record of the Snowflake objects it created and of every\n" +
			"file it loaded. Where it lives comes from the spec's state block (default: the\n" +
			"local file pgsnow.state). See docs/state.md.",
		Subcommands: []*cli.Command{
			{
				Name: "list", Usage: "list the objects and table loads in the state, one address per line",
				ArgsUsage: " ", Action: stateList,
			},
			{
				Name: "show", Usage: "show one record, with its load manifest",
				ArgsUsage: "ADDRESS",
				Flags:     []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print the record as JSON"}},
				Action:    stateShow,
			},
			{
				Name: "rm", Usage: "forget records (nothing in Snowflake is dropped)",
				ArgsUsage: "ADDRESS...",
				Description: "Removes records from the state after backing up the previous version. The\n" +
					"objects stay in Snowflake untouched; pgsnow simply stops managing them, and the next\n" +
					"plan proposes to create them again if the spec still wants them.",
				Flags:  lockFlags(),
				Action: stateRm,
			},
		},
	}
}

// openState opens the state the spec's state block names.
func openState(spec *lang.Spec) (state.Manager, error) {
	switch spec.State.Backend {
	case "postgres":
		return pgstate.New(pgstate.Options{DSN: spec.State.DSN.Reveal(), Table: spec.State.Table})
	case "local", "":
		path := spec.State.Path
		if path == "" {
			path = lang.DefaultStatePath
		}
		return local.New(spec.Path(path)), nil
	}
	return nil, fmt.Errorf("unsupported state backend %q", spec.State.Backend)
}

// withState loads the spec, opens its state and runs fn.
func withState(c *cli.Context, fn func(m state.Manager) error) error {
	spec, err := loadSpec(c)
	if err != nil {
		return err
	}
	m, err := openState(spec)
	if err != nil {
		return err
	}
	defer m.Close()
	return fn(m)
}

// args returns the positional arguments, accepting the named bool flags
// after them too (pgsnow force-unlock ID -force), which the flag parser
// would otherwise take for arguments.
func args(c *cli.Context, trailing ...string) (rest []string, set map[string]bool, err error) {
	set = map[string]bool{}
	for _, a := range c.Args().Slice() {
		name := strings.TrimLeft(a, "-")
		switch {
		case strings.HasPrefix(a, "-") && slices.Contains(trailing, name):
			set[name] = true
		case strings.HasPrefix(a, "-"):
			return nil, nil, fmt.Errorf("flag %s must come before the arguments (see 'pgsnow %s --help')", a, c.Command.FullName())
		default:
			rest = append(rest, a)
		}
	}
	for _, name := range trailing {
		set[name] = set[name] || c.Bool(name)
	}
	return rest, set, nil
}

func stateList(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("'pgsnow state list' takes no arguments")
	}
	return withState(c, func(m state.Manager) error {
		s, err := m.Read(c.Context)
		if err != nil {
			return err
		}
		if s == nil {
			fmt.Fprintf(c.App.ErrWriter, "No state yet in %s: pgsnow has not applied anything.\n", m)
			return nil
		}
		for _, a := range s.Addresses() {
			fmt.Fprintln(c.App.Writer, a)
		}
		return nil
	})
}

func stateShow(c *cli.Context) error {
	rest, set, err := args(c, "json")
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("'pgsnow state show' needs exactly one ADDRESS (see 'pgsnow state list')")
	}
	addr := rest[0]
	if _, _, err := state.ParseAddress(addr); err != nil {
		return err
	}
	return withState(c, func(m state.Manager) error {
		s, err := m.Read(c.Context)
		if err != nil {
			return err
		}
		if s == nil {
			return fmt.Errorf("no state yet in %s, so no record %s", m, addr)
		}
		r, ok := s.Record(addr)
		if !ok {
			return fmt.Errorf("no record %s in the state (see 'pgsnow state list')", addr)
		}
		if set["json"] {
			b, err := r.JSON()
			if err != nil {
				return err
			}
			_, err = c.App.Writer.Write(b)
			return err
		}
		return r.WriteText(c.App.Writer)
	})
}

func stateRm(c *cli.Context) error {
	rest, _, err := args(c)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return fmt.Errorf("'pgsnow state rm' needs at least one ADDRESS (see 'pgsnow state list')")
	}
	var addrs []string
	for _, a := range rest {
		if _, _, err := state.ParseAddress(a); err != nil {
			return err
		}
		if !slices.Contains(addrs, a) {
			addrs = append(addrs, a)
		}
	}
	return withState(c, func(m state.Manager) (err error) {
		if c.Bool("lock") {
			info := state.NewLockInfo("state rm", Version)
			id, err := state.LockWithTimeout(c.Context, m, info, c.Duration("lock-timeout"))
			if err != nil {
				return err
			}
			defer func() {
				if uerr := m.Unlock(c.Context, id); uerr != nil {
					err = errors.Join(err, fmt.Errorf("releasing the state lock %s: %w", id, uerr))
				}
			}()
		}
		return removeRecords(c, m, addrs)
	})
}

func removeRecords(c *cli.Context, m state.Manager, addrs []string) error {
	s, err := m.Read(c.Context)
	if err != nil {
		return err
	}
	if s == nil {
		return fmt.Errorf("no state yet in %s; nothing to remove", m)
	}
	var missing []string
	for _, a := range addrs {
		if !s.Has(a) {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("not in the state: %s (see 'pgsnow state list'); nothing was removed", strings.Join(missing, ", "))
	}
	before := s.Serial
	for _, a := range addrs {
		s.Remove(a)
	}
	s.PgsnowVersion = Version
	if err := m.Write(c.Context, s); err != nil {
		return err
	}
	w := c.App.Writer
	for _, a := range addrs {
		fmt.Fprintf(w, "Removed %s\n", a)
	}
	fmt.Fprintf(w, "\nForgot %d record(s); state serial %d → %d.\n", len(addrs), before, s.Serial)
	fmt.Fprintln(w, "Nothing in Snowflake was dropped: pgsnow no longer manages these objects, and the next")
	fmt.Fprintln(w, "plan proposes to create them (or load them) again if the spec still wants them.")
	if b, ok := m.(interface{ BackupDescription() string }); ok && before > 0 {
		fmt.Fprintf(w, "The previous state (serial %d) is kept in %s.\n", before, b.BackupDescription())
	}
	return nil
}
