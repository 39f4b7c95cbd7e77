package sfemu

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sfload"
	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// Load metadata expires after 64 days
// (https://docs.snowflake.com/en/user-guide/data-load-considerations-load#load-metadata).
const loadMetadataTTL = 64 * 24 * time.Hour

// copyInto runs COPY INTO <table> [(cols)] FROM @stage[/path] <options>
// (https://docs.snowflake.com/en/sql-reference/sql/copy-into-table). The
// option text goes to sfload; this function owns the target, the file list,
// the load metadata, the transaction and the result rows.
func (se *session) copyInto(ctx context.Context, p *parser) (*result, error) {
	p.next()
	if err := p.expect("INTO"); err != nil {
		return nil, err
	}
	if p.peek().kind == tStage {
		return nil, unsupported("COPY INTO <location> (unloading)")
	}
	n, err := p.objName()
	if err != nil {
		return nil, err
	}
	tbl, err := se.resolve(n)
	if err != nil {
		return nil, err
	}
	var colNames []string
	if p.peek().isOp("(") {
		if colNames, err = p.identList(); err != nil {
			return nil, err
		}
	}
	var ref stageRef
	var tf *transformQuery
	if p.accept("FROM") {
		st := p.next()
		if st.isOp("(") {
			p.i--
			if tf, err = parseTransformQuery(p); err != nil {
				return nil, err
			}
			st = tf.stage
		}
		if st.kind != tStage {
			return nil, syntaxErr(st)
		}
		if ref, err = se.parseStageRef(ctx, st.text); err != nil {
			return nil, err
		}
	} else if ref, err = se.parseStageRef(ctx, "%"+quoteSF(tbl.db)+"."+quoteSF(tbl.schema)+"."+quoteSF(tbl.name)); err != nil {
		return nil, err
	}
	opts, err := sfload.ParseCopyOptions(p.rest())
	if err != nil {
		return nil, loadErr(err)
	}
	opts.TableName, opts.TimeZone = tbl.name, se.params["TIMEZONE"]
	ff, err := se.fileFormat(ctx, opts, ref)
	if err != nil {
		return nil, err
	}
	if tf != nil {
		if err := tf.check(ff, &opts); err != nil {
			return nil, err
		}
	}
	cols, err := se.loadColumns(ctx, tbl, colNames)
	if err != nil {
		return nil, err
	}
	files, err := listStage(ref, opts.Pattern)
	if err != nil {
		return nil, err
	}
	if len(opts.Files) > 0 {
		want := map[string]bool{}
		for _, f := range opts.Files {
			want[strings.TrimPrefix(ref.prefix+"/"+f, "/")] = true
			want[f] = true
		}
		var keep []stageFile
		for _, f := range files {
			if want[f.rel] {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	if opts.ValidationMode != "" {
		return se.validateFiles(ctx, ref, files, ff, cols, opts)
	}
	var res []sfload.FileResult
	var loaded []stageFile
	err = se.inTxn(ctx, func(tx pgx.Tx) error {
		for _, f := range files {
			sum, err := fileMD5(f.path)
			if err != nil {
				return err
			}
			key := ref.id + "/" + f.rel
			if !opts.Force {
				var seen bool
				if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM sfemu_meta.load_history WHERE pgschema = $1 AND tbl = $2
					AND file = $3 AND checksum = $4 AND loaded_at > now() - $5::interval)`,
					tbl.pgSchema(), tbl.name, key, sum, strconv.Itoa(int(loadMetadataTTL.Seconds()))+" seconds").Scan(&seen); err != nil {
					return err
				}
				if seen {
					continue
				}
			}
			fr, err := se.loadFile(ctx, tx, tbl, f, ref.fileName(f.rel), ff, cols, opts)
			if err != nil {
				return err
			}
			res = append(res, fr)
			if fr.Status == "LOADED" || fr.Status == "PARTIALLY_LOADED" {
				loaded = append(loaded, f)
				if _, err := tx.Exec(ctx, `INSERT INTO sfemu_meta.load_history (pgschema, tbl, file, checksum, rows_loaded, display) VALUES ($1, $2, $3, $4, $5, $6)`,
					tbl.pgSchema(), tbl.name, key, sum, fr.RowsLoaded, fr.File); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		var le *sfload.LoadError
		if errors.As(err, &le) {
			return nil, loadErr(le)
		}
		return nil, err
	}
	if opts.Purge {
		for _, f := range loaded {
			_ = os.Remove(f.path)
		}
	}
	if len(res) == 0 {
		return statusResult(stmtCopy, "Copy executed with 0 files processed."), nil
	}
	return copyResult(res), nil
}

// loadFile streams one staged file through sfload.Convert into COPY FROM
// STDIN inside a savepoint, so a skipped file leaves nothing behind.
func (se *session) loadFile(ctx context.Context, tx pgx.Tx, tbl resolved, f stageFile, name string,
	ff sfload.FileFormat, cols []sfload.Column, opts sfload.CopyOptions) (sfload.FileResult, error) {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return sfload.FileResult{}, err
	}
	defer sp.Rollback(ctx) //nolint:errcheck
	pr, pw := io.Pipe()
	type out struct {
		fr  sfload.FileResult
		err error
	}
	done := make(chan out, 1)
	go func() {
		bw := bufio.NewWriterSize(pw, 256<<10)
		fr, err := sfload.Convert(ctx, f.path, name, ff, cols, opts, bw)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
		done <- out{fr, err}
	}()
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quotePG(c.Name)
	}
	_, copyErr := sp.Conn().PgConn().CopyFrom(ctx, pr, "COPY "+tbl.pgName()+" ("+strings.Join(q, ", ")+") FROM STDIN")
	_ = pr.CloseWithError(errors.New("copy ended"))
	o := <-done
	if o.err != nil {
		return o.fr, o.err
	}
	if copyErr != nil {
		return o.fr, copyErr
	}
	if o.fr.Status != "LOADED" && o.fr.Status != "PARTIALLY_LOADED" {
		o.fr.RowsLoaded = 0
		return o.fr, sp.Rollback(ctx)
	}
	return o.fr, sp.Commit(ctx)
}

// validateFiles implements VALIDATION_MODE: RETURN_ERRORS / RETURN_ALL_ERRORS
// return the errors, RETURN_n_ROWS the first n rows (or fails at the first
// error); nothing is loaded and no load metadata is recorded.
func (se *session) validateFiles(ctx context.Context, ref stageRef, files []stageFile, ff sfload.FileFormat,
	cols []sfload.Column, opts sfload.CopyOptions) (*result, error) {
	if n := opts.ValidationRows(); n > 0 {
		return se.validateRows(ctx, ref, files, ff, cols, opts, n)
	}
	res := &result{stmtType: stmtCopy}
	for _, c := range []string{"ERROR", "FILE", "LINE", "CHARACTER", "BYTE_OFFSET", "CATEGORY", "CODE", "SQL_STATE",
		"COLUMN_NAME", "ROW_NUMBER", "ROW_START_LINE", "REJECTED_RECORD"} {
		res.cols = append(res.cols, textCol(c))
	}
	num := func(v int64) *string { return strp(strconv.FormatInt(v, 10)) }
	for _, f := range files {
		fr, err := sfload.Convert(ctx, f.path, ref.fileName(f.rel), ff, cols, opts, io.Discard)
		if err != nil {
			return nil, loadErr(err)
		}
		for _, e := range fr.Errors {
			res.rows = append(res.rows, []*string{strp(e.Error), strp(e.File), num(e.Line), num(e.Character), num(e.ByteOffset),
				strp(e.Category), strp(strconv.Itoa(e.Code)), strp(e.SQLState), strp(e.ColumnName), num(e.Row),
				num(e.RowStartLine), strp(e.RejectedRecord)})
		}
	}
	return res, nil
}

// validateRows returns the first n converted rows in the table's shape.
func (se *session) validateRows(ctx context.Context, ref stageRef, files []stageFile, ff sfload.FileFormat,
	cols []sfload.Column, opts sfload.CopyOptions, n int64) (*result, error) {
	res := &result{stmtType: stmtCopy}
	for _, c := range cols {
		res.cols = append(res.cols, rowTypeFor(rowType{Name: c.Name, Nullable: !c.NotNull}, c.Type))
	}
	for _, f := range files {
		if int64(len(res.rows)) >= n {
			break
		}
		var buf strings.Builder
		if _, err := sfload.Convert(ctx, f.path, ref.fileName(f.rel), ff, cols, opts, &buf); err != nil {
			return nil, loadErr(err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
			if line == "" && len(cols) > 1 || int64(len(res.rows)) >= n {
				continue
			}
			fields := strings.Split(line, "\t")
			row := make([]*string, len(cols))
			for i := range cols {
				if i >= len(fields) || fields[i] == `\N` {
					continue
				}
				v, err := encodeCell(cols[i].Type, unescapeCopy(fields[i]))
				if err != nil {
					return nil, err
				}
				row[i] = &v
			}
			res.rows = append(res.rows, row)
		}
	}
	return res, nil
}

// unescapeCopy decodes one field of PostgreSQL COPY text format.
func unescapeCopy(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'v':
			b.WriteByte('\v')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func copyResult(rs []sfload.FileResult) *result {
	res := &result{stmtType: stmtCopy}
	res.cols = []rowType{textCol("file"), textCol("status"), fixedCol("rows_parsed"), fixedCol("rows_loaded"),
		fixedCol("error_limit"), fixedCol("errors_seen"), textCol("first_error"), fixedCol("first_error_line"),
		fixedCol("first_error_character"), textCol("first_error_column_name")}
	num := func(v int64) *string { return strp(strconv.FormatInt(v, 10)) }
	for _, r := range rs {
		row := []*string{strp(r.File), strp(r.Status), num(r.RowsParsed), num(r.RowsLoaded), num(r.ErrorLimit), num(r.ErrorsSeen),
			nil, nil, nil, nil}
		if r.FirstError != "" {
			row[6], row[7], row[8], row[9] = strp(r.FirstError), num(r.FirstErrorLine), num(r.FirstErrorCharacter), strp(r.FirstErrorColumnName)
		}
		res.rows = append(res.rows, row)
	}
	return res
}

// fileFormat picks the file format: inline FILE_FORMAT, a named one, the
// stage's, or the CSV defaults.
func (se *session) fileFormat(ctx context.Context, opts sfload.CopyOptions, ref stageRef) (sfload.FileFormat, error) {
	switch {
	case opts.FileFormat != nil:
		return *opts.FileFormat, nil
	case opts.FormatName != "":
		r, err := se.resolveText(opts.FormatName)
		if err != nil {
			return sfload.FileFormat{}, err
		}
		var text string
		err = se.conn.QueryRow(ctx, `SELECT coalesce(options, '') FROM sfemu_meta.objects WHERE pgschema = $1 AND name = $2 AND kind = 'FILE FORMAT'`,
			r.pgSchema(), r.name).Scan(&text)
		if err == pgx.ErrNoRows {
			return sfload.FileFormat{}, notExist("File format", r.String())
		} else if err != nil {
			return sfload.FileFormat{}, err
		}
		typ := "CSV"
		if toks, err := tokenize(text); err == nil {
			for i := 0; i+2 < len(toks); i++ {
				if toks[i].is("TYPE") && toks[i+1].isOp("=") {
					typ = strings.ToUpper(toks[i+2].text)
				}
			}
		}
		ff, err := sfload.ParseFileFormatOptions(sfload.DefaultFileFormat(typ), text)
		return ff, loadErrOrNil(err)
	case ref.ffText != "":
		o, err := sfload.ParseCopyOptions("FILE_FORMAT = (" + ref.ffText + ")")
		if err != nil {
			return sfload.FileFormat{}, loadErr(err)
		}
		return se.fileFormat(ctx, o, stageRef{})
	}
	return sfload.DefaultFileFormat("CSV"), nil
}

func loadErrOrNil(err error) error {
	if err == nil {
		return nil
	}
	return loadErr(err)
}

// loadColumns lists the target columns with their Snowflake types.
func (se *session) loadColumns(ctx context.Context, tbl resolved, names []string) ([]sfload.Column, error) {
	if k, err := objectKind(ctx, se.conn, tbl, "TABLE"); err != nil {
		return nil, err
	} else if k == "" {
		return nil, notExist("Table", tbl.String())
	}
	rows, err := se.conn.Query(ctx, `SELECT m.name, m.sftype, a.attnotnull FROM sfemu_meta.columns m
		JOIN pg_attribute a ON a.attrelid = $3::regclass AND a.attname = m.name
		WHERE m.pgschema = $1 AND m.tbl = $2 ORDER BY a.attnum`, tbl.pgSchema(), tbl.name, tbl.pgName())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []sfload.Column
	for rows.Next() {
		var c sfload.Column
		var ts string
		if err := rows.Scan(&c.Name, &ts, &c.NotNull); err != nil {
			return nil, err
		}
		if c.Type, err = sftype.Parse(ts); err != nil {
			return nil, err
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return all, nil
	}
	var out []sfload.Column
	for _, n := range names {
		found := false
		for _, c := range all {
			if c.Name == n {
				out = append(out, c)
				found = true
			}
		}
		if !found {
			return nil, newErr("000904", "42000", "SQL compilation error: error line 1 at position 0\ninvalid identifier '%s'", quoteSF(n))
		}
	}
	return out, nil
}
