package load_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pgsnow/pgsnow/providers/snowflake/load"
)

// stageFile PUTs data (uncompressed) without loading it.
func (e *env) stageFile(prefix, name, data string) load.Staged {
	e.t.Helper()
	up := load.Upload{Stage: e.stage, Prefix: prefix, Name: name, Compression: "NONE", SpillDir: e.t.TempDir()}
	st, err := load.Put(context.Background(), e.db, up, fast, func(w io.Writer) error { _, err := io.WriteString(w, data); return err })
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func TestReloadOfLoadedFile(t *testing.T) {
	e := start(t, sfemuNone())
	ctx := context.Background()
	tbl := e.table("AGAIN")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0), V VARCHAR)`, tbl.Quoted()))
	st := e.stageFile("run1/public.again", "public_again_chunk_0001.csv", "1,a\n2,b\n")
	if st.Bytes != 8 || st.Status != "UPLOADED" || st.QueryID == "" {
		t.Errorf("staged = %+v", st)
	}
	cp := load.Copy{Table: tbl, Stage: e.stage, Prefix: "run1/public.again", Name: "public_again_chunk_0001.csv", FileFormat: csvFormat("NONE"), Rows: 2}
	first, err := cp.Run(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != "LOADED" || first.RowsLoaded != 2 || first.AlreadyLoaded || first.QueryID == "" {
		t.Errorf("first = %+v", first)
	}

	// The state does not record the file, Snowflake does: an inconsistency.
	_, err = cp.Run(ctx, e.db)
	if !errors.Is(err, load.ErrAlreadyLoaded) {
		t.Fatalf("unrecorded reload: err = %v, want ErrAlreadyLoaded", err)
	}
	if !strings.Contains(err.Error(), "LOAD_HISTORY shows 2 rows") || !strings.Contains(err.Error(), tbl.Quoted()) {
		t.Errorf("error does not explain itself: %v", err)
	}

	// The state records it: the skip is expected.
	cp.Recorded = true
	again, err := cp.Run(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(load.Loaded{File: cp.Name, Status: load.SkippedAlreadyLoaded, RowsLoaded: 2, AlreadyLoaded: true, QueryID: again.QueryID}, again); d != "" {
		t.Errorf("recorded reload (-want +got):\n%s", d)
	}
	if n := e.rows(`SELECT COUNT(*) FROM ` + tbl.Quoted()); n[0][0] != "2" {
		t.Errorf("rows = %s, want 2 (never duplicated)", n[0][0])
	}
}

func TestStagingSwap(t *testing.T) {
	e := start(t, sfemuNone())
	ctx := context.Background()
	live := e.table("LIVE")
	ddl := func(t load.Table) string {
		return fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0) NOT NULL, V VARCHAR(10))`, t.Quoted())
	}
	e.exec(ddl(live), `INSERT INTO `+live.Quoted()+` VALUES (1, 'old'), (2, 'old')`)
	// A staging table left by a crashed run, with rows: it must be discarded.
	e.exec(ddl(live.Staging()), `INSERT INTO `+live.Staging().Quoted()+` VALUES (99, 'stale')`)

	if err := load.CreateStaging(ctx, e.db, live, ddl(live.Staging())); err != nil {
		t.Fatal(err)
	}
	l := e.loader()
	for i, data := range []string{"1,new\n2,new\n", "3,new\n"} {
		c := load.Chunk{Table: live.Staging(), Prefix: "run2/S.LIVE", Name: fmt.Sprintf("s_live_chunk_%04d.csv.zst", i+1), Compression: "ZSTD", FileFormat: csvFormat("ZSTD")}
		if _, err := l.LoadChunk(ctx, c, csvProducer(t, "ZSTD", data, int64(strings.Count(data, "\n")))); err != nil {
			t.Fatal(err)
		}
	}
	// Readers still see the old rows while the reload runs.
	if d := cmp.Diff([][]string{{"1", "old"}, {"2", "old"}}, e.rows(`SELECT ID, V FROM `+live.Quoted()+` ORDER BY ID`)); d != "" {
		t.Errorf("live before swap (-want +got):\n%s", d)
	}
	if err := load.Swap(ctx, e.db, live); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([][]string{{"1", "new"}, {"2", "new"}, {"3", "new"}}, e.rows(`SELECT ID, V FROM `+live.Quoted()+` ORDER BY ID`)); d != "" {
		t.Errorf("live after swap (-want +got):\n%s", d)
	}
	left := e.rows(fmt.Sprintf(`SELECT COUNT(*) FROM "%s".INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = '%s'`, e.name, live.Staging().Name))
	if left[0][0] != "0" {
		t.Errorf("staging table still exists after swap")
	}
}

// TestSetSequence replaces a sequence that a column default names, as a
// finalize does: the default must be bound again (until then an INSERT
// using it fails), the comment survives, and both steps are idempotent.
func TestSetSequence(t *testing.T) {
	e := start(t, sfemuNone())
	ctx := context.Background()
	sq := load.Sequence{Database: e.name, Schema: "S", Name: "T_ID_SEQ"}
	tbl := e.table("T_SEQ")
	e.exec(`CREATE SEQUENCE ` + sq.Quoted() + ` START = 1 INCREMENT = 1 COMMENT = 'from public.t_id_seq'`)
	e.exec(`CREATE TABLE ` + tbl.Quoted() + ` (ID NUMBER(10,0) DEFAULT ` + sq.Quoted() + `.NEXTVAL, V VARCHAR)`)
	if info, ok, err := load.ReadSequence(ctx, e.db, sq); err != nil || !ok || info != (load.SequenceInfo{Start: 1, Next: 1, Increment: 1}) {
		t.Fatalf("ReadSequence before = %+v, %t, %v", info, ok, err)
	}
	for range 2 { // twice: idempotent
		if err := load.SetSequence(ctx, e.db, sq.Quoted(), 1001, 5, "from public.t_id_seq"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.db.ExecContext(ctx, `INSERT INTO `+tbl.Quoted()+` (V) VALUES ('before the re-bind')`); err == nil {
		t.Fatal("INSERT through the default of a replaced sequence succeeded before the re-bind")
	}
	for range 2 {
		if err := load.SetDefault(ctx, e.db, tbl, "ID", sq); err != nil {
			t.Fatal(err)
		}
	}
	e.exec(`INSERT INTO ` + tbl.Quoted() + ` (V) VALUES ('a'), ('b')`)
	if d := cmp.Diff([][]string{{"1001", "a"}, {"1006", "b"}}, e.rows(`SELECT ID, V FROM `+tbl.Quoted()+` ORDER BY ID`)); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
	if info, ok, err := load.ReadSequence(ctx, e.db, sq); err != nil || !ok || info != (load.SequenceInfo{Start: 1001, Next: 1011, Increment: 5}) {
		t.Errorf("ReadSequence after = %+v, %t, %v", info, ok, err)
	}
	got := e.rows(fmt.Sprintf(`SELECT COMMENT FROM "%s".INFORMATION_SCHEMA.SEQUENCES WHERE SEQUENCE_NAME = 'T_ID_SEQ'`, e.name))
	if got[0][0] != "from public.t_id_seq" {
		t.Errorf("comment after the replace = %q", got[0][0])
	}
	if _, ok, err := load.ReadSequence(ctx, e.db, load.Sequence{Database: e.name, Schema: "S", Name: "NOPE"}); ok || err != nil {
		t.Errorf("ReadSequence of a missing sequence: ok %t, %v", ok, err)
	}
	if err := load.SetDefault(ctx, e.db, tbl, "V", sq); err == nil {
		t.Error("SetDefault on a column without a sequence default succeeded; Snowflake refuses it")
	}
}

// TestLostAnswerOfCommittedCopy: a COPY committed but its answer never
// arrived; the retry sees "0 files processed". The loader trusts
// LOAD_HISTORY's row count for the file (checked against the extractor's)
// rather than reporting an inconsistency, because its own earlier try
// explains the skip.
func TestLostAnswerOfCommittedCopy(t *testing.T) {
	e := start(t, sfemuNone())
	ctx := context.Background()
	tbl := e.table("LOST")
	e.exec(fmt.Sprintf(`CREATE TABLE %s (ID NUMBER(10,0), V VARCHAR)`, tbl.Quoted()))
	e.stageFile("run1/S.LOST", "s_lost_chunk_0001.csv", "1,a\n2,b\n3,c\n")
	cp := load.Copy{Table: tbl, Stage: e.stage, Prefix: "run1/S.LOST", Name: "s_lost_chunk_0001.csv", FileFormat: csvFormat("NONE"), Rows: 3}
	if _, err := cp.Run(ctx, e.db); err != nil { // the try whose answer is "lost"
		t.Fatal(err)
	}
	got, err := cp.RunAfterLostAnswer(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(load.Loaded{File: cp.Name, Status: "LOADED", RowsParsed: 3, RowsLoaded: 3}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// The same with a count that disagrees is a row-count error.
	cp.Rows = 4
	if _, err := cp.RunAfterLostAnswer(ctx, e.db); !errors.Is(err, load.ErrRowCount) {
		t.Errorf("err = %v, want ErrRowCount", err)
	}
	if n := e.rows(`SELECT COUNT(*) FROM ` + tbl.Quoted()); n[0][0] != "3" {
		t.Errorf("rows = %s, want 3", n[0][0])
	}
}

func TestRemoveFileIsExact(t *testing.T) {
	e := start(t, sfemuNone())
	ctx := context.Background()
	for _, n := range []string{"a.csv", "a.csv.bak", "axcsv"} {
		e.stageFile("run1/S.R", n, "1\n")
	}
	n, err := e.stage.RemoveFile(ctx, e.db, "run1/S.R", "a.csv")
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("removed %d files, want 1", n)
	}
	var left []string
	for _, r := range e.rows("LIST " + e.stage.Ref("run1/S.R")) {
		left = append(left, r[0][strings.LastIndex(r[0], "/")+1:])
	}
	if d := cmp.Diff([]string{"a.csv.bak", "axcsv"}, left); d != "" {
		t.Errorf("left on stage (-want +got):\n%s", d)
	}
	if n, err := e.stage.Remove(ctx, e.db, "run1/S.R"); err != nil || n != 2 {
		t.Errorf("Remove(prefix) = %d, %v; want 2", n, err)
	}
}
