package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Record is one address's record, as `pgsnow state show -json` prints it.
type Record struct {
	Address string  `json:"address"`
	Object  *Object `json:"object,omitempty"`
	Load    *Load   `json:"load,omitempty"`
}

// Record returns the record at addr, or false.
func (s *State) Record(addr string) (Record, bool) {
	r := Record{Address: addr, Object: s.Objects[addr], Load: s.Loads[addr]}
	return r, r.Object != nil || r.Load != nil
}

// JSON is the record's indented JSON with a final newline.
func (r Record) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(r)
	return buf.Bytes(), err
}

// WriteText writes the record for people: an object's kind, times, DDL
// hash and DDL; a load's status, totals, source fingerprint and manifest.
func (r Record) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", r.Address)
	if o := r.Object; o != nil {
		field(&b, "kind", string(o.Kind))
		field(&b, "name", strings.Join(o.Name, "."))
		if o.Source != "" {
			field(&b, "source", o.Source)
		}
		field(&b, "created", stamp(o.CreatedAt))
		field(&b, "updated", stamp(o.UpdatedAt))
		field(&b, "ddl sha256", o.DDLSHA256)
		if len(o.Columns) > 0 {
			b.WriteString("columns:\n")
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			for _, c := range o.Columns {
				null := "NOT NULL"
				if c.Nullable {
					null = "NULL"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", c.Name, c.Type, null)
			}
			tw.Flush()
		}
		b.WriteString("ddl:\n")
		for _, line := range strings.Split(strings.TrimRight(o.DDL, "\n"), "\n") {
			b.WriteString("  " + line + "\n")
		}
	}
	if l := r.Load; l != nil {
		writeLoad(&b, l)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeLoad(b *strings.Builder, l *Load) {
	rows, size := l.Totals()
	field(b, "status", string(l.Status))
	field(b, "source", l.Source+"."+l.Schema+"."+l.Table)
	field(b, "target", l.Target)
	if l.Format != "" {
		field(b, "format", strings.TrimSpace(l.Format+" "+l.Compression))
	}
	if l.StartedAt != nil {
		field(b, "started", stamp(*l.StartedAt))
	}
	if l.FinishedAt != nil {
		field(b, "finished", stamp(*l.FinishedAt))
	}
	field(b, "loaded", fmt.Sprintf("%d rows, %d bytes in %d files", rows, size, len(l.Files)))
	if f := l.Fingerprint; f != nil {
		fp := fmt.Sprintf("estimated rows %d", f.EstimatedRows)
		if f.ExactRows != nil {
			fp += fmt.Sprintf(", exact rows %d", *f.ExactRows)
		}
		fp += fmt.Sprintf(", n_tup_ins %d, n_tup_upd %d, n_tup_del %d", f.TupInserted, f.TupUpdated, f.TupDeleted)
		if f.Relfilenode != nil {
			fp += fmt.Sprintf(", relfilenode %d", *f.Relfilenode)
		}
		field(b, "source fingerprint", fp+" (taken "+stamp(f.TakenAt)+")")
		if f.ColumnsSHA256 != "" {
			field(b, "source columns", "sha256 "+f.ColumnsSHA256)
		}
	}
	if len(l.Files) == 0 {
		b.WriteString("files: none loaded\n")
		return
	}
	b.WriteString("files:\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  NAME\tCHUNK\tROWS\tBYTES\tSHA256\tQUERY ID\tLOADED")
	for _, f := range l.Files {
		fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%s\t%s\t%s\n", f.Name, f.Chunk, f.Rows, f.Bytes, f.SHA256, f.QueryID, stamp(f.LoadedAt))
	}
	tw.Flush()
}

func field(b *strings.Builder, name, value string) {
	fmt.Fprintf(b, "%-19s %s\n", name+":", value)
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
