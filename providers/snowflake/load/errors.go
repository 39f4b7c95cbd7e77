package load

import (
	"errors"
	"fmt"
)

// Error is a failed statement: which kind (PUT, COPY, REMOVE, SWAP, …), on
// which table and file, and whether retrying could help. Messages come from
// Snowflake or the driver and never contain credentials: the driver keeps
// tokens in headers, and pgsnow formats no secret into SQL.
type Error struct {
	Op        string // statement kind: PUT, COPY, REMOVE, CREATE STAGE, CREATE STAGING, SWAP, SEQUENCE, CHECK
	Table     string // quoted qualified table, when there is one
	File      string // staged file name, when there is one
	QueryID   string // Snowflake query id, when the statement reached Snowflake
	Transient bool
	Err       error
}

func (e *Error) Error() string {
	s := "snowflake " + e.Op
	if e.Table != "" {
		s += " " + e.Table
	}
	if e.File != "" {
		s += " file " + e.File
	}
	kind := "permanent"
	if e.Transient {
		kind = "transient"
	}
	s += fmt.Sprintf(" (%s", kind)
	if e.QueryID != "" {
		s += ", query id " + e.QueryID
	}
	return s + "): " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrRowCount is matched (errors.Is) by a rows_loaded mismatch.
var ErrRowCount = errors.New("rows loaded differ from rows extracted")

// ErrAlreadyLoaded is matched by a COPY that Snowflake skipped because its
// load metadata says the file was loaded, while the caller's state says it
// was not: the two records disagree, and guessing either way could lose or
// duplicate rows.
var ErrAlreadyLoaded = errors.New("Snowflake reports the file as already loaded but the state manifest does not record it")

// ErrShortUpload is matched when the stage holds fewer bytes than were sent.
var ErrShortUpload = errors.New("staged size differs from bytes sent")
