package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// TooNewError is returned by Decode for a state written in a newer format
// than this pgsnow understands. Rewriting it would lose what this version
// does not know, so it is refused, never guessed at.
type TooNewError struct {
	FormatVersion int
	PgsnowVersion string // the pgsnow that wrote it, if recorded
}

func (e *TooNewError) Error() string {
	by := ""
	if e.PgsnowVersion != "" {
		by = " by pgsnow " + e.PgsnowVersion
	}
	return fmt.Sprintf("the state was written%s in format_version %d, but this pgsnow reads format_version %d at most; upgrade pgsnow to use this state (it was not changed)",
		by, e.FormatVersion, FormatVersion)
}

// Encode returns the state's file form: indented JSON, keys in a fixed
// order, objects and loads sorted by address, manifests by file name, a
// final newline. It normalizes s in place and refuses an invalid state.
func Encode(s *State) ([]byte, error) {
	if s.FormatVersion == 0 {
		s.FormatVersion = FormatVersion
	}
	s.normalize()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // DDL with < > & stays readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("state: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// Decode parses a state file. It refuses a newer format_version
// (*TooNewError), unknown fields (they would be lost on the next write),
// and anything Validate rejects.
func Decode(data []byte) (*State, error) {
	if _, err := Peek(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s State
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("the state does not match format_version %d: %v", FormatVersion, err)
	}
	s.normalize()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// Peek reads only a state's format version, lineage and serial: what a
// backend checks before replacing it, without decoding every record. It
// refuses what Decode would refuse for the format (*TooNewError, not JSON,
// no format_version).
func Peek(data []byte) (Snapshot, error) {
	var head struct {
		FormatVersion *int   `json:"format_version"`
		PgsnowVersion string `json:"pgsnow_version"`
		Lineage       string `json:"lineage"`
		Serial        int64  `json:"serial"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Snapshot{}, fmt.Errorf("the state is not valid JSON: %v", err)
	}
	switch {
	case head.FormatVersion == nil:
		return Snapshot{}, errors.New("the state has no format_version: it is not a pgsnow state")
	case *head.FormatVersion > FormatVersion:
		return Snapshot{}, &TooNewError{FormatVersion: *head.FormatVersion, PgsnowVersion: head.PgsnowVersion}
	case *head.FormatVersion < 1:
		return Snapshot{}, fmt.Errorf("the state has an invalid format_version %d", *head.FormatVersion)
	}
	return Snapshot{Lineage: head.Lineage, Serial: head.Serial}, nil
}

var (
	uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	hexRe  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// credentialRe finds the DDL clauses that carry secrets (external stage
	// credentials and encryption keys). pgsnow uses internal stages, so DDL
	// with them is a bug; the state refuses to store it.
	credentialRe = regexp.MustCompile(`(?i)\b(CREDENTIALS\s*=\s*\(|AWS_SECRET_KEY|AWS_TOKEN|AZURE_SAS_TOKEN|MASTER_KEY|PRIVATE_KEY)`)
)

// Validate checks the state's invariants: a UUID lineage, addresses that
// match their records, DDL hashes that match the DDL, known load statuses,
// unique manifest entries with SHA-256 checksums, and no credentials.
func (s *State) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if s.FormatVersion != FormatVersion {
		bad("format_version is %d, want %d", s.FormatVersion, FormatVersion)
	}
	if !uuidRe.MatchString(s.Lineage) {
		bad("lineage %q is not a lower-case UUID", s.Lineage)
	}
	if s.Serial < 0 {
		bad("serial %d is negative", s.Serial)
	}
	for addr, o := range s.Objects {
		if o == nil {
			bad("%s: null record", addr)
			continue
		}
		kind, parts, err := ParseAddress(addr)
		switch {
		case err != nil:
			errs = append(errs, err)
		case kind == KindLoad:
			bad("%s: a load address among objects", addr)
		case kind != o.Kind || !slices.Equal(parts, o.Name):
			bad("%s: record says kind %q name %q", addr, o.Kind, o.Name)
		}
		if o.DDLSHA256 != HashDDL(o.DDL) {
			bad("%s: ddl_sha256 does not match the ddl (edited by hand?)", addr)
		}
		if credentialRe.MatchString(o.DDL) {
			bad("%s: the ddl contains a credential clause; the state never stores secrets", addr)
		}
	}
	for addr, l := range s.Loads {
		if l == nil {
			bad("%s: null record", addr)
			continue
		}
		if want := LoadAddress(l.Source, l.Schema, l.Table); addr != want {
			bad("%s: record is for %s", addr, want)
		}
		if !slices.Contains(loadStatuses, l.Status) {
			bad("%s: unknown status %q (want pending, loading, loaded or failed)", addr, l.Status)
		}
		if kind, _, err := ParseAddress(l.Target); err != nil || kind != KindTable {
			bad("%s: target %q is not a snowflake_table address", addr, l.Target)
		}
		seen := map[string]bool{}
		for _, f := range l.Files {
			switch {
			case f == nil || f.Name == "":
				bad("%s: a manifest entry without a name", addr)
				continue
			case seen[f.Name]:
				bad("%s: file %q listed twice", addr, f.Name)
			case !hexRe.MatchString(f.SHA256):
				bad("%s: file %q: sha256 %q is not 64 lower-case hex digits", addr, f.Name, f.SHA256)
			case f.Rows < 0 || f.Bytes < 0:
				bad("%s: file %q: negative rows or bytes", addr, f.Name)
			}
			seen[f.Name] = true
		}
		pending := map[Chunk]bool{}
		for _, f := range l.Pending {
			switch {
			case f == nil || f.Name == "":
				bad("%s: a pending entry without a name", addr)
				continue
			case pending[f.Chunk]:
				bad("%s: chunk %s pending twice", addr, f.Chunk)
			case f.Rows < 0 || f.Bytes < 0:
				bad("%s: pending file %q: negative rows or bytes", addr, f.Name)
			}
			pending[f.Chunk] = true
		}
	}
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return fmt.Errorf("invalid state: %w", errors.Join(errs...))
}
