package render

import (
	"io"

	"github.com/pgsnow/pgsnow/planner/plan"
)

// JSON writes the plan's versioned JSON form (plan.Marshal): the same
// bytes a saved plan file holds.
func JSON(w io.Writer, p *plan.Plan) error {
	b, err := plan.Marshal(p)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}
