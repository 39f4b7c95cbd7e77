package command

import (
	"fmt"
	"os"
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/state"
)

func showCommand() *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "render a saved plan, or the current state",
		ArgsUsage: "[PLANFILE]",
		Description: "With PLANFILE (from 'pgsnow plan -out'), renders that plan as plan does.\n" +
			"Without, summarises the state: lineage, serial, objects and table loads.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the machine-readable JSON form"},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "text | markdown | json"},
		},
		Action: runShow,
	}
}

func runShow(c *cli.Context) error {
	rest, set, err := args(c, "json")
	if err != nil {
		return err
	}
	format := c.String("format")
	if set["json"] {
		format = "json"
	}
	if format != "text" && format != "markdown" && format != "json" {
		return fmt.Errorf("-format %q: want text, markdown or json", format)
	}
	switch len(rest) {
	case 0:
		return showState(c, format)
	case 1:
	default:
		return fmt.Errorf("'pgsnow show' takes at most one PLANFILE")
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	p, err := plan.Unmarshal(data)
	if err != nil {
		return fmt.Errorf("%s: %w", rest[0], err)
	}
	return renderPlan(c, p, format)
}

// showState prints a summary of the state (or, with json, the state file).
func showState(c *cli.Context, format string) error {
	return withState(c, func(m state.Manager) error {
		s, err := m.Read(c.Context)
		if err != nil {
			return err
		}
		w := c.App.Writer
		if s == nil {
			fmt.Fprintf(c.App.ErrWriter, "No state yet in %s: pgsnow has not applied anything.\n", m)
			return nil
		}
		if format == "json" {
			b, err := state.Encode(s.Clone())
			if err != nil {
				return err
			}
			_, err = w.Write(b)
			return err
		}
		fmt.Fprintf(w, "State in %s: lineage %s, serial %d, written by pgsnow %s\n\n", m, s.Lineage, s.Serial, s.PgsnowVersion)
		kinds := map[state.Kind]int{}
		for _, o := range s.Objects {
			kinds[o.Kind]++
		}
		var names []string
		for k := range kinds {
			names = append(names, string(k))
		}
		sort.Strings(names)
		fmt.Fprintf(w, "%d object(s):", len(s.Objects))
		for _, k := range names {
			fmt.Fprintf(w, " %d %s", kinds[state.Kind(k)], k)
		}
		fmt.Fprintln(w)
		status := map[state.LoadStatus]int{}
		var rows, bytes int64
		for _, l := range s.Loads {
			status[l.Status]++
			r, b := l.Totals()
			rows, bytes = rows+r, bytes+b
		}
		fmt.Fprintf(w, "%d table load(s):", len(s.Loads))
		for _, st := range []state.LoadStatus{state.LoadLoaded, state.LoadLoading, state.LoadFailed, state.LoadPending} {
			if status[st] > 0 {
				fmt.Fprintf(w, " %d %s", status[st], st)
			}
		}
		fmt.Fprintf(w, " (%s rows, %s loaded)\n\n", plan.Count(rows), plan.Bytes(bytes))
		for _, a := range s.Addresses() {
			line := a
			if l := s.Loads[a]; l != nil {
				line += "  (" + string(l.Status) + ")"
			}
			fmt.Fprintln(w, line)
		}
		return nil
	})
}
