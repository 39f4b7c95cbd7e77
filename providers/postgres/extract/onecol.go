package extract

import (
	"bytes"
	"io"
)

// nullCollision watches a one-column CSV stream (written with NULL '\N'
// and FORCE_QUOTE *) for a record that is the quoted text "\N". Snowflake
// matches NULL_IF against enclosed fields too (the emulator does, from
// the documentation), so that value would load as NULL: the chunk must
// fail rather than change a value silently.
//
// The pattern LF "\N" LF cannot occur inside a quoted field, where every
// quote is doubled, so any occurrence is a real record.
type nullCollision struct {
	w     io.Writer
	tail  [5]byte // last bytes seen, starting as a virtual LF
	ntail int
	found bool
}

var collisionPattern = []byte("\n\"\\N\"\n")

func newNullCollision(w io.Writer) *nullCollision {
	return &nullCollision{w: w, tail: [5]byte{'\n'}, ntail: 1}
}

func (c *nullCollision) Write(p []byte) (int, error) {
	if !c.found {
		var edge [10]byte
		n := copy(edge[:], c.tail[:c.ntail])
		n += copy(edge[n:], p[:min(len(p), 5)])
		if bytes.Contains(edge[:n], collisionPattern) || bytes.Contains(p, collisionPattern) {
			c.found = true
		}
		// Keep the last five bytes of tail+p.
		all := append(c.tail[:c.ntail:c.ntail], p[max(0, len(p)-5):]...)
		c.ntail = copy(c.tail[:], all[max(0, len(all)-5):])
	}
	return c.w.Write(p)
}
