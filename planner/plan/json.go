package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Marshal returns the plan's JSON form: canonical order, summary
// recomputed, indented two spaces, ending in a newline. p is not
// modified. A saved plan file (plan -out) is exactly these bytes: plain
// JSON is reviewable and diffable, and a plan is small next to the data.
func Marshal(p *Plan) ([]byte, error) {
	c, err := clone(p)
	if err != nil {
		return nil, err
	}
	if c.FormatVersion == "" {
		c.FormatVersion = FormatVersion
	}
	if c.Kind == "" {
		c.Kind = FileKind
	}
	c.Sort()
	c.Summary = Summarize(c)
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("invalid plan: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // DDL contains < and >; keep it readable
	if err := enc.Encode(nilToEmpty(c)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unmarshal reads a plan's JSON form. It refuses another major version
// and, for the same or an older minor, unknown fields (a typo or a
// hand-edit); fields from a newer minor are ignored, as the versioning
// rules promise they are additive. The plan is validated and its summary
// must match its changes.
func Unmarshal(data []byte) (*Plan, error) {
	var head struct {
		FormatVersion json.RawMessage `json:"format_version"`
		Kind          string          `json:"kind"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("not a pgsnow plan (invalid JSON): %w", err)
	}
	if head.Kind != FileKind {
		return nil, fmt.Errorf("not a pgsnow plan: kind is %q, want %q (a state file or another JSON?)", head.Kind, FileKind)
	}
	var version string
	if err := json.Unmarshal(head.FormatVersion, &version); err != nil {
		return nil, fmt.Errorf("plan format_version must be a string like %q", FormatVersion)
	}
	major, minor, err := parseVersion(version)
	if err != nil {
		return nil, err
	}
	ourMajor, ourMinor, _ := parseVersion(FormatVersion)
	if major != ourMajor {
		return nil, fmt.Errorf("plan format version %s is not supported: this pgsnow reads %d.x (make the plan again with this pgsnow, or apply it with the pgsnow that made it)", version, ourMajor)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if minor <= ourMinor {
		dec.DisallowUnknownFields()
	}
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("reading plan: %w", err)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("invalid plan: %w", err)
	}
	if got := Summarize(&p); got != p.Summary {
		return nil, fmt.Errorf("invalid plan: its summary (%s) does not match its changes (%s); was it edited?", p.Summary, got)
	}
	return &p, nil
}

func parseVersion(v string) (major, minor int, err error) {
	a, b, ok := strings.Cut(v, ".")
	major, err1 := strconv.Atoi(a)
	minor, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || major < 0 || minor < 0 {
		return 0, 0, fmt.Errorf("plan format_version %q is not MAJOR.MINOR", v)
	}
	return major, minor, nil
}

func clone(p *Plan) (*Plan, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var c Plan
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// nilToEmpty writes empty lists as [] rather than null for the lists a
// consumer always iterates, so readers need no null checks.
func nilToEmpty(p *Plan) *Plan {
	if p.Sources == nil {
		p.Sources = []SourceRef{}
	}
	if p.Fingerprints == nil {
		p.Fingerprints = []Fingerprint{}
	}
	if p.Drift == nil {
		p.Drift = []Drift{}
	}
	if p.Changes == nil {
		p.Changes = []Change{}
	}
	if p.Warnings == nil {
		p.Warnings = []Warning{}
	}
	for i := range p.Changes {
		if l := p.Changes[i].Load; l != nil {
			if l.Columns == nil {
				l.Columns = []ColumnMapping{}
			}
			if l.Chunks == nil {
				l.Chunks = []Chunk{}
			}
		}
	}
	return p
}
