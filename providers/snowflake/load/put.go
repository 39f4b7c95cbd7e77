package load

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	sf "github.com/snowflakedb/gosnowflake"
)

// Upload names one file to stage.
type Upload struct {
	Stage  Stage
	Prefix string // from Prefix
	Name   string // file name as staged, e.g. public_t_chunk_0001.csv.zst
	// Compression of the bytes as written: ZSTD, GZIP or NONE (Parquet
	// files are NONE: their pages carry their own codec). Snowflake is told
	// (SOURCE_COMPRESSION) and must not recompress (AUTO_COMPRESS = FALSE).
	Compression string
	// SpillDir, when set, receives the file before PUT: memory stays
	// bounded and a transient PUT failure is retried from the file. Without
	// it the stream goes to the driver, which (gosnowflake v1.19.1) holds
	// the whole file in memory, and a failed PUT cannot be retried here
	// (the stream is gone): the caller re-extracts the chunk.
	SpillDir string
	// KeepFiles keeps the spilled file (in SpillDir, which is then required).
	KeepFiles bool
	// NoHash leaves Staged.SHA256 empty: the producer hashes what it
	// writes already (the extractor does), and hashing every staged byte
	// twice costs CPU the extraction needs.
	NoHash bool
}

// Staged is what a successful PUT reports.
type Staged struct {
	File    string // Prefix/Name on the stage
	Bytes   int64  // bytes written by the producer and staged
	SHA256  string // "sha256:<hex>" of those bytes; "" with Upload.NoHash
	Status  string // UPLOADED (OVERWRITE = TRUE never SKIPs)
	QueryID string
	Local   string // the kept local file, when KeepFiles
}

func (u Upload) check() error {
	if err := u.Stage.check(); err != nil {
		return err
	}
	if err := checkFileName(u.Name); err != nil {
		return err
	}
	switch u.Compression {
	case "ZSTD", "GZIP", "NONE":
	default:
		return fmt.Errorf("compression %q: want ZSTD, GZIP or NONE", u.Compression)
	}
	if u.KeepFiles && u.SpillDir == "" {
		return errors.New("keep_files needs a directory to keep the files in (SpillDir)")
	}
	if strings.ContainsAny(u.SpillDir, "'\\\n") {
		return fmt.Errorf("spill directory %q must not contain quotes, backslashes or newlines", u.SpillDir)
	}
	return nil
}

func (u Upload) putSQL(local string) string {
	return fmt.Sprintf("PUT 'file://%s' %s AUTO_COMPRESS = FALSE SOURCE_COMPRESSION = %s OVERWRITE = TRUE",
		local, u.Stage.Ref(u.Prefix), u.Compression)
}

// Put stages the bytes that produce writes (typically the extractor
// writing one compressed chunk). produce runs exactly once. With SpillDir
// the file is written first and the PUT retried under p; without it the
// PUT reads the stream as produce writes it and is tried once.
func Put(ctx context.Context, db *sql.DB, u Upload, p Policy, produce func(io.Writer) error) (Staged, error) {
	if err := u.check(); err != nil {
		return Staged{}, err
	}
	if u.SpillDir != "" {
		return putSpilled(ctx, db, u, p, produce)
	}
	return putStream(ctx, db, u, produce)
}

func putSpilled(ctx context.Context, db *sql.DB, u Upload, p Policy, produce func(io.Writer) error) (Staged, error) {
	dir := u.SpillDir
	if !u.KeepFiles {
		// A private directory: the local name must equal the staged name
		// (PUT keeps the base name) without clashing with other workers.
		d, err := os.MkdirTemp(u.SpillDir, "pgsnow-put-")
		if err != nil {
			return Staged{}, fmt.Errorf("spill: %w", err)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	local := filepath.Join(dir, u.Name)
	f, err := os.Create(local)
	if err != nil {
		return Staged{}, fmt.Errorf("spill: %w", err)
	}
	cw := newCountingWriter(f, !u.NoHash)
	err = produce(cw)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("spill: %w", cerr)
	}
	if err != nil {
		os.Remove(local)
		return Staged{}, err
	}
	st, err := Retry(ctx, p, func(ctx context.Context) (Staged, error) {
		return u.exec(ctx, db, local, nil, cw.n)
	})
	if err == nil && u.KeepFiles {
		st.Local = local
	}
	st.SHA256 = cw.sum()
	return st, err
}

// streamPath is the local name handed to the driver for a stream PUT. The
// driver uploads a real local file instead of the stream when the name
// exists (file_transfer_agent.go), so the name must never exist: nothing
// can exist below /dev/null.
func streamPath(name string) string { return "/dev/null/" + name }

var errPutFinished = errors.New("PUT finished before the stream ended")

func putStream(ctx context.Context, db *sql.DB, u Upload, produce func(io.Writer) error) (Staged, error) {
	pr, pw := io.Pipe()
	cw := newCountingWriter(pw, !u.NoHash)
	done := make(chan error, 1)
	go func() {
		err := produce(cw)
		pw.CloseWithError(err) // nil closes with EOF
		done <- err
	}()
	st, err := u.exec(ctx, db, streamPath(u.Name), pr, -1)
	pr.CloseWithError(errPutFinished) // unblock produce if the driver stopped reading
	perr := <-done
	switch {
	case perr != nil && !errors.Is(perr, errPutFinished):
		return Staged{}, perr // the producer's own failure is the cause
	case err != nil:
		return st, err
	case perr != nil:
		return st, &Error{Op: "PUT", File: st.File, QueryID: st.QueryID, Err: errors.New("the driver stopped reading the stream before its end")}
	}
	if err := u.verifySize(ctx, db, &st, cw.n); err != nil {
		return st, err
	}
	st.SHA256 = cw.sum()
	return st, nil
}

// exec runs one PUT and reads its result row. want < 0 defers the size
// check to the caller (a stream's size is known only after it ends).
func (u Upload) exec(ctx context.Context, db *sql.DB, local string, stream io.Reader, want int64) (Staged, error) {
	qctx := ctx
	if stream != nil {
		qctx = sf.WithFileStream(ctx, stream)
	}
	st := Staged{File: strings.Trim(u.Prefix, "/") + "/" + u.Name}
	fail := func(err error) (Staged, error) {
		return st, &Error{Op: "PUT", File: st.File, QueryID: st.QueryID, Err: err, Transient: Transient(ctx, err)}
	}
	recs, qid, err := queryWithID(qctx, db, u.putSQL(local))
	st.QueryID = qid
	if err != nil {
		return fail(err)
	}
	if len(recs) != 1 {
		return fail(fmt.Errorf("PUT reported %d files, want 1", len(recs)))
	}
	r := recs[0]
	st.Status = strings.ToUpper(r["status"])
	if st.Status != "UPLOADED" {
		return fail(fmt.Errorf("PUT status %s (%s), want UPLOADED", st.Status, r["message"]))
	}
	if want >= 0 {
		st.Bytes = want
		if got, _ := strconv.ParseInt(r["target_size"], 10, 64); got != want {
			return st, &Error{Op: "PUT", File: st.File, QueryID: st.QueryID,
				Err: fmt.Errorf("%w: staged %d bytes, sent %d", ErrShortUpload, got, want)}
		}
	}
	return st, nil
}

// verifySize checks a stream PUT by listing the staged file: gosnowflake
// v1.19.1 reports target_size 0 for every stream PUT (it sizes the upload
// from the stream it has already drained), so its result row cannot be
// trusted for streams.
func (u Upload) verifySize(ctx context.Context, db *sql.DB, st *Staged, sent int64) error {
	st.Bytes = sent
	rows, err := db.QueryContext(ctx, "LIST "+u.Stage.Ref(st.File))
	if err != nil {
		return &Error{Op: "PUT", File: st.File, QueryID: st.QueryID, Err: fmt.Errorf("LIST after PUT: %w", err), Transient: Transient(ctx, err)}
	}
	recs, err := scanByName(rows)
	if err != nil {
		return &Error{Op: "PUT", File: st.File, QueryID: st.QueryID, Err: fmt.Errorf("LIST after PUT: %w", err), Transient: Transient(ctx, err)}
	}
	for _, r := range recs {
		if strings.HasSuffix(r["name"], "/"+st.File) || r["name"] == st.File {
			// Exact, or rounded up to the next AES block: cloud stages
			// store the client-side encrypted (CBC, PKCS#7) file.
			if got, _ := strconv.ParseInt(r["size"], 10, 64); got == sent || got == sent+16-sent%16 {
				return nil
			} else {
				return &Error{Op: "PUT", File: st.File, QueryID: st.QueryID,
					Err: fmt.Errorf("%w: staged %d bytes, sent %d (stream PUT; set a spill directory)", ErrShortUpload, got, sent)}
			}
		}
	}
	return &Error{Op: "PUT", File: st.File, QueryID: st.QueryID, Err: fmt.Errorf("%w: the file is not on the stage after PUT", ErrShortUpload)}
}

// countingWriter counts (and, with a hash, hashes) what reaches w, so the
// record's size and checksum are of the bytes staged, whatever the
// producer reports.
type countingWriter struct {
	w io.Writer
	h hash.Hash // nil: count only
	n int64
}

func newCountingWriter(w io.Writer, hashed bool) *countingWriter {
	c := &countingWriter{w: w}
	if hashed {
		c.h = sha256.New()
	}
	return c
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.h != nil {
		c.h.Write(p[:n])
	}
	return n, err
}

func (c *countingWriter) sum() string {
	if c.h == nil {
		return ""
	}
	return "sha256:" + hex.EncodeToString(c.h.Sum(nil))
}

// scanByName reads all rows as maps keyed by lower-case column name;
// NULL becomes "".
func scanByName(rows *sql.Rows) ([]map[string]string, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]string, len(cols))
		for i, c := range cols {
			m[strings.ToLower(c)] = vals[i].String
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
