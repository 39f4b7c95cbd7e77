package sfemu

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sfload"
)

// stageRef is a resolved @stage[/path] reference.
type stageRef struct {
	display string // name as LIST shows it (lower case), e.g. "my_stage"
	dir     string // directory of the stage root
	prefix  string // path below the root ("" or "a/b/")
	id      string // stable identity for load metadata
	ffText  string // the stage's FILE_FORMAT option text, if any
	// sse: the stage was created with ENCRYPTION = (TYPE = 'SNOWFLAKE_SSE'):
	// PUT gets no encryption material and files arrive as they are.
	sse bool
}

var reSafeName = regexp.MustCompile(`^[A-Za-z0-9_$][A-Za-z0-9_.$-]*$`)

// fsName makes an object name safe as one path element.
func fsName(s string) string {
	if reSafeName.MatchString(s) && s != "." && s != ".." {
		return s
	}
	return "x-" + hex.EncodeToString([]byte(s))
}

// parseStageRef resolves "@name/path", "@%table/path" or "@~/path".
func (se *session) parseStageRef(ctx context.Context, text string) (stageRef, error) {
	name, path, _ := strings.Cut(text, "/")
	path = strings.Trim(path, "/")
	if strings.Contains("/"+path+"/", "/../") {
		return stageRef{}, newErr("001003", "42000", "SQL compilation error:\ninvalid stage path '%s'", text)
	}
	var ref stageRef
	switch {
	case name == "~":
		ref = stageRef{display: "", dir: filepath.Join(se.srv.cfg.StageDir, "~"+fsName(strings.ToUpper(se.user))), id: "~" + strings.ToUpper(se.user)}
	case strings.HasPrefix(name, "%"):
		r, err := se.resolveText(name[1:])
		if err != nil {
			return ref, err
		}
		if k, err := objectKind(ctx, se.conn, r, "TABLE"); err != nil {
			return ref, err
		} else if k == "" {
			return ref, notExist("Table", r.String())
		}
		ref = stageRef{display: "", dir: filepath.Join(se.srv.cfg.StageDir, fsName(r.pgSchema()), "%"+fsName(r.name)), id: "%" + r.String()}
	default:
		r, err := se.resolveText(name)
		if err != nil {
			return ref, err
		}
		var opts, enc *string
		err = se.conn.QueryRow(ctx, `SELECT options, encryption FROM sfemu_meta.objects WHERE pgschema = $1 AND name = $2 AND kind = 'STAGE'`,
			r.pgSchema(), r.name).Scan(&opts, &enc)
		if err == pgx.ErrNoRows {
			return ref, notExist("Stage", r.String())
		} else if err != nil {
			return ref, err
		}
		ref = stageRef{display: strings.ToLower(r.name), dir: se.srv.stageDir(r), id: r.String()}
		if opts != nil {
			ref.ffText = *opts
		}
		ref.sse = enc != nil && *enc == encryptionSSE
	}
	if path != "" {
		ref.prefix = path
	}
	return ref, nil
}

// Internal stage encryption types (CREATE STAGE … ENCRYPTION = (TYPE = …)).
const (
	encryptionFull = "SNOWFLAKE_FULL" // client-side and server-side (the default)
	encryptionSSE  = "SNOWFLAKE_SSE"  // server-side only
)

// stageEncryption reads "= (TYPE = 'SNOWFLAKE_FULL' | 'SNOWFLAKE_SSE')"
// after ENCRYPTION; the other types belong to external stages.
func (p *parser) stageEncryption() (string, error) {
	p.acceptOp("=")
	if err := p.expectOp("("); err != nil {
		return "", err
	}
	if !p.accept("TYPE") {
		return "", syntaxErr(p.peek())
	}
	if err := p.expectOp("="); err != nil {
		return "", err
	}
	t := p.next()
	if t.kind != tString {
		return "", syntaxErr(t)
	}
	typ := strings.ToUpper(t.text)
	if err := p.expectOp(")"); err != nil {
		return "", err
	}
	switch typ {
	case encryptionFull, encryptionSSE:
		return typ, nil
	case "AWS_CSE", "AWS_SSE_S3", "AWS_SSE_KMS", "GCS_SSE_KMS", "AZURE_CSE", "NONE":
		return "", unsupported("external stages (ENCRYPTION TYPE " + typ + ")")
	}
	return "", newErr("001003", "42000", "SQL compilation error:\ninvalid value '%s' for property 'TYPE'", t.text)
}

func (s *Server) stageDir(r resolved) string {
	return filepath.Join(s.cfg.StageDir, fsName(r.pgSchema()), fsName(r.name))
}

func (s *Server) removeStageDir(r resolved) error { return os.RemoveAll(s.stageDir(r)) }

// resolveText resolves a possibly qualified name written inside a stage reference.
func (se *session) resolveText(s string) (resolved, error) {
	toks, err := tokenize(s)
	if err != nil {
		return resolved{}, err
	}
	p := &parser{toks: toks, se: se, sql: s}
	n, err := p.objName()
	if err != nil {
		return resolved{}, err
	}
	if err := p.expectEnd(); err != nil {
		return resolved{}, err
	}
	return se.resolve(n)
}

func (se *session) createStage(ctx context.Context, p *parser, h createHead) (*result, error) {
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	var ffText *string
	var comment *string
	encryption := encryptionFull
	for !p.atEnd() {
		switch {
		case p.peek().is("URL"), p.peek().is("STORAGE_INTEGRATION"), p.peek().is("CREDENTIALS"):
			return nil, unsupported("external stages (" + p.peek().upper() + ")")
		case p.accept("ENCRYPTION"):
			if encryption, err = p.stageEncryption(); err != nil {
				return nil, err
			}
		case p.accept("FILE_FORMAT"):
			p.acceptOp("=")
			txt, err := p.skipBalanced()
			if err != nil {
				return nil, err
			}
			if _, err := sfload.ParseCopyOptions("FILE_FORMAT = (" + txt + ")"); err != nil {
				return nil, loadErr(err)
			}
			ffText = &txt
		case p.accept("COPY_OPTIONS"):
			p.acceptOp("=")
			if _, err := p.skipBalanced(); err != nil {
				return nil, err
			}
		case p.accept("DIRECTORY"):
			p.acceptOp("=")
			if _, err := p.skipBalanced(); err != nil {
				return nil, err
			}
		case p.peek().is("COMMENT"):
			if comment, err = p.trailingComment(); err != nil {
				return nil, err
			}
		default:
			return nil, syntaxErr(p.peek())
		}
	}
	replace, done, err := se.createCheck(ctx, h, r, "STAGE")
	if done != nil || err != nil {
		return done, err
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if replace {
			if err := dropObject(ctx, tx, se.srv, r, "STAGE"); err != nil {
				return err
			}
		}
		if err := os.MkdirAll(se.srv.stageDir(r), 0o755); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.objects (pgschema, name, kind, comment, options, encryption) VALUES ($1, $2, 'STAGE', $3, $4, $5)`,
			r.pgSchema(), r.name, comment, ffText, encryption)
		return err
	})
	if err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, fmt.Sprintf("Stage area %s successfully created.", quoteSF(r.name))), nil
}

func (se *session) createFileFormat(ctx context.Context, p *parser, h createHead) (*result, error) {
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	r, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	// Keep the option text minus COMMENT; sfload validates it.
	var parts []string
	var comment *string
	typ := "CSV"
	start := p.peek().pos
	for !p.atEnd() {
		if p.peek().is("COMMENT") && p.peekAt(1).isOp("=") {
			parts = append(parts, p.sql[start:p.peek().pos])
			if comment, err = p.trailingComment(); err != nil {
				return nil, err
			}
			start = p.peek().pos
			continue
		}
		if p.peek().is("TYPE") && p.peekAt(1).isOp("=") {
			typ = strings.ToUpper(strings.Trim(p.peekAt(2).text, "'"))
		}
		p.next()
	}
	parts = append(parts, p.sql[start:p.peek().pos])
	text := strings.TrimSpace(strings.Join(parts, " "))
	if _, err := sfload.ParseFileFormatOptions(sfload.DefaultFileFormat(typ), text); err != nil {
		return nil, loadErr(err)
	}
	replace, done, err := se.createCheck(ctx, h, r, "FILE FORMAT")
	if done != nil || err != nil {
		return done, err
	}
	err = se.ddlTxn(ctx, func(tx pgx.Tx) error {
		if replace {
			if err := dropObject(ctx, tx, se.srv, r, "FILE FORMAT"); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.objects (pgschema, name, kind, comment, options) VALUES ($1, $2, 'FILE FORMAT', $3, $4)`,
			r.pgSchema(), r.name, comment, text)
		return err
	})
	if err != nil {
		return nil, err
	}
	return statusResult(stmtDDL, fmt.Sprintf("File format %s successfully created.", quoteSF(r.name))), nil
}

// loadErr passes sfload's errors through with Snowflake's code when it has one.
func loadErr(err error) error {
	if le, ok := err.(*sfload.LoadError); ok {
		return &sfError{Code: fmt.Sprintf("%06d", le.Code), SQLState: le.SQLState, Message: le.Message}
	}
	return typeErr(err)
}

// put answers PUT with LOCAL_FS upload instructions; the driver then copies
// (and compresses) the files into the stage directory itself
// (gosnowflake file_transfer_agent.go, local_storage_client.go).
func (se *session) put(ctx context.Context, p *parser) (*result, error) {
	p.next()
	src := p.next()
	if src.kind != tFile && !(src.kind == tString && strings.HasPrefix(strings.ToLower(src.text), "file://")) {
		return nil, syntaxErr(src)
	}
	local := src.text[len("file://"):]
	st := p.next()
	if st.kind != tStage {
		return nil, syntaxErr(st)
	}
	ref, err := se.parseStageRef(ctx, st.text)
	if err != nil {
		return nil, err
	}
	autoCompress, overwrite, parallel, srcComp := true, false, int64(4), "auto_detect"
	for !p.atEnd() {
		k, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp("="); err != nil {
			return nil, err
		}
		v := strings.ToUpper(p.next().text)
		switch k {
		case "AUTO_COMPRESS":
			autoCompress = v == "TRUE"
		case "OVERWRITE":
			overwrite = v == "TRUE"
		case "PARALLEL":
			if parallel, err = strconv.ParseInt(v, 10, 64); err != nil || parallel < 1 || parallel > 99 {
				return nil, newErr("001003", "42000", "SQL compilation error:\ninvalid value [%s] for parameter 'PARALLEL'", v)
			}
		case "SOURCE_COMPRESSION":
			srcComp = strings.ToLower(v)
		default:
			return nil, newErr("001003", "42000", "SQL compilation error:\ninvalid property '%s' for 'PUT'", k)
		}
	}
	dir := filepath.Join(ref.dir, filepath.FromSlash(ref.prefix))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if overwrite {
		// The driver writes into an existing file without truncating it, so
		// stale targets are removed first.
		names := []string{filepath.Base(local)}
		if m, err := filepath.Glob(local); err == nil {
			for _, f := range m {
				names = append(names, filepath.Base(f))
			}
		}
		for _, n := range names {
			for _, cand := range []string{n, n + ".gz"} {
				if err := os.Remove(filepath.Join(dir, cand)); err != nil && !os.IsNotExist(err) {
					return nil, err
				}
			}
		}
	}
	extra := map[string]any{
		"command":           "UPLOAD",
		"src_locations":     []string{local},
		"autoCompress":      autoCompress,
		"overwrite":         overwrite,
		"parallel":          parallel,
		"sourceCompression": srcComp,
		"stageInfo": map[string]any{
			"locationType": "LOCAL_FS", "location": dir, "path": ref.prefix,
		},
	}
	if se.srv.cfg.PutTransport == putHTTP {
		for k, v := range se.putHTTPInfo(dir, ref.prefix, local, !ref.sse) {
			extra[k] = v
		}
	}
	return &result{cols: []rowType{textCol("source"), textCol("target")}, stmtType: stmtStage, extra: extra}, nil
}

// stageFile is one file below a stage root.
type stageFile struct {
	rel  string // path relative to the stage root, with '/'
	path string
	size int64
	mod  time.Time
}

func listStage(ref stageRef, pattern string) ([]stageFile, error) {
	var re *regexp.Regexp
	if pattern != "" {
		var err error
		if re, err = regexp.Compile("^(?:" + pattern + ")$"); err != nil {
			return nil, newErr("001003", "42000", "SQL compilation error:\ninvalid regular expression '%s'", pattern)
		}
	}
	var out []stageFile
	err := filepath.WalkDir(ref.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(ref.dir, path)
		rel = filepath.ToSlash(rel)
		if ref.prefix != "" && !strings.HasPrefix(rel, ref.prefix) {
			return nil
		}
		if re != nil && !re.MatchString(rel) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, stageFile{rel: rel, path: path, size: info.Size(), mod: info.ModTime()})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, err
}

func (ref stageRef) fileName(rel string) string {
	if ref.display == "" {
		return rel
	}
	return ref.display + "/" + rel
}

func fileMD5(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := md5.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// stageArgs parses "@stage[/path] [PATTERN = 're']" for LIST and REMOVE.
func (se *session) stageArgs(ctx context.Context, p *parser) (stageRef, []stageFile, error) {
	p.next()
	st := p.next()
	if st.kind != tStage {
		return stageRef{}, nil, syntaxErr(st)
	}
	ref, err := se.parseStageRef(ctx, st.text)
	if err != nil {
		return ref, nil, err
	}
	pattern := ""
	if p.accept("PATTERN") {
		p.acceptOp("=")
		if pattern, err = p.stringLit(); err != nil {
			return ref, nil, err
		}
	}
	if err := p.expectEnd(); err != nil {
		return ref, nil, err
	}
	files, err := listStage(ref, pattern)
	return ref, files, err
}

func (se *session) list(ctx context.Context, p *parser) (*result, error) {
	ref, files, err := se.stageArgs(ctx, p)
	if err != nil {
		return nil, err
	}
	res := &result{cols: []rowType{textCol("name"), fixedCol("size"), textCol("md5"), textCol("last_modified")}, stmtType: stmtSelect}
	for _, f := range files {
		sum, err := fileMD5(f.path)
		if err != nil {
			return nil, err
		}
		res.rows = append(res.rows, []*string{strp(ref.fileName(f.rel)), strp(strconv.FormatInt(f.size, 10)), strp(sum),
			strp(f.mod.UTC().Format("Mon, 2 Jan 2006 15:04:05 GMT"))})
	}
	return res, nil
}

func (se *session) remove(ctx context.Context, p *parser) (*result, error) {
	ref, files, err := se.stageArgs(ctx, p)
	if err != nil {
		return nil, err
	}
	res := &result{cols: []rowType{textCol("name"), textCol("result")}, stmtType: stmtStage}
	for _, f := range files {
		if err := os.Remove(f.path); err != nil {
			return nil, err
		}
		res.rows = append(res.rows, []*string{strp(ref.fileName(f.rel)), strp("removed")})
	}
	return res, nil
}
