package sfemu_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sf "github.com/snowflakedb/gosnowflake"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu"
)

// putFile writes content to a temp file and PUTs it into stage.
func putFile(t *testing.T, db *sql.DB, name, content, stage string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "PUT file://"+p+" "+stage+" OVERWRITE = TRUE")
}

// copyRows runs COPY INTO and returns (file, status, rows_parsed, rows_loaded) per file.
func copyRows(t *testing.T, db *sql.DB, stmt string) [][]string {
	t.Helper()
	rows := queryStrings(t, db, stmt)
	var out [][]string
	for _, r := range rows {
		if len(r) == 1 {
			out = append(out, r)
			continue
		}
		out = append(out, r[:4])
	}
	return out
}

func TestCSVSemantics(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE STAGE st", "CREATE TABLE t (id NUMBER(3,0) NOT NULL, v VARCHAR(20))")
	// Each line: id, then a field exercising one rule.
	data := "1,\"\"\n2,\n3,\\N\n4,\"ends in backslash\\\\\"\n5,\"say \"\"hi\"\", ok\"\n6,\"two\r\nlines\"\n7,plain\\\\\n"
	putFile(t, db, "cases.csv", data, "@st")
	tests := []struct {
		name   string
		format string
		extra  string // more copy options
		want   [][]string
	}{
		{
			// Pure defaults: no enclosure (quotes are data), ESCAPE_UNENCLOSED_FIELD='\\',
			// NULL_IF=('\\N'), EMPTY_FIELD_AS_NULL=TRUE, CRLF ends a record. The quoted comma
			// gives line 5 three fields and the quoted CRLF splits line 6; with
			// ON_ERROR=CONTINUE those records are skipped as column-count errors.
			name:   "pure defaults",
			format: `TYPE = CSV`,
			extra:  "ON_ERROR = CONTINUE",
			want: [][]string{{"1", `""`}, {"2", "NULL"}, {"3", "NULL"}, {"4", `"ends in backslash\"`}, {"6", `"two`},
				{"7", `plain\`}},
		},
		{
			name:   "explicit quoting",
			format: `TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"' ESCAPE = NONE ESCAPE_UNENCLOSED_FIELD = NONE NULL_IF = () EMPTY_FIELD_AS_NULL = TRUE`,
			want: [][]string{{"1", ""}, {"2", "NULL"}, {"3", `\N`}, {"4", `ends in backslash\\`}, {"5", `say "hi", ok`},
				{"6", "two\r\nlines"}, {"7", `plain\\`}},
		},
		{
			name:   "default options with quotes enclosure",
			format: `TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"'`,
			want: [][]string{{"1", ""}, {"2", "NULL"}, {"3", "NULL"}, {"4", `ends in backslash\\`}, {"5", `say "hi", ok`},
				{"6", "two\r\nlines"}, {"7", `plain\`}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustExec(t, db, "TRUNCATE TABLE t")
			copyRows(t, db, "COPY INTO t FROM @st FILE_FORMAT = ("+tc.format+") FORCE = TRUE "+tc.extra)
			got := queryStrings(t, db, "SELECT id, v FROM t ORDER BY id")
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("rows (-want +got):\n%s", d)
			}
		})
	}
}

func TestCopyLoadMetadata(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE STAGE st", "CREATE TABLE t (id NUMBER(38,0), v VARCHAR)")
	putFile(t, db, "a.csv", "1,x\n2,y\n", "@st/in")
	first := copyRows(t, db, "COPY INTO t FROM @st/in")
	if d := cmp.Diff([][]string{{"st/in/a.csv.gz", "LOADED", "2", "2"}}, first); d != "" {
		t.Errorf("first COPY (-want +got):\n%s", d)
	}
	again := copyRows(t, db, "COPY INTO t FROM @st/in")
	if d := cmp.Diff([][]string{{"Copy executed with 0 files processed."}}, again); d != "" {
		t.Errorf("second COPY (-want +got):\n%s", d)
	}
	forced := copyRows(t, db, "COPY INTO t FROM @st/in FORCE = TRUE")
	if d := cmp.Diff([][]string{{"st/in/a.csv.gz", "LOADED", "2", "2"}}, forced); d != "" {
		t.Errorf("forced COPY (-want +got):\n%s", d)
	}
	if got := queryStrings(t, db, "SELECT COUNT(*) FROM t"); got[0][0] != "4" {
		t.Errorf("rows after FORCE reload = %s, want 4", got[0][0])
	}
	hist := queryStrings(t, db, "SELECT schema_name, table_name, file_name, row_count FROM information_schema.load_history")
	want := [][]string{{"PUBLIC", "T", "st/in/a.csv.gz", "2"}, {"PUBLIC", "T", "st/in/a.csv.gz", "2"}}
	if d := cmp.Diff(want, hist); d != "" {
		t.Errorf("LOAD_HISTORY (-want +got):\n%s", d)
	}
}

func TestCopyAbortStatement(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE STAGE st", "CREATE TABLE t (id NUMBER(38,0) NOT NULL, v VARCHAR(3))")
	putFile(t, db, "good.csv", "1,a\n2,b\n", "@st")
	putFile(t, db, "bad.csv", "3,c\n4,toolong\n5,e\n", "@st")
	_, err := db.Exec("COPY INTO t FROM @st ON_ERROR = ABORT_STATEMENT")
	if err == nil {
		t.Fatal("COPY with a bad row succeeded")
	}
	if !strings.Contains(err.Error(), "toolong") {
		t.Errorf("error does not name the bad value: %v", err)
	}
	if got := queryStrings(t, db, "SELECT COUNT(*) FROM t"); got[0][0] != "0" {
		t.Errorf("rows after aborted COPY = %s, want 0", got[0][0])
	}
	// The failed statement recorded no load metadata: fixing the table loads both files.
	mustExec(t, db, "ALTER TABLE t ALTER COLUMN v SET DATA TYPE VARCHAR(10)")
	copyRows(t, db, "COPY INTO t FROM @st")
	if got := queryStrings(t, db, "SELECT COUNT(*) FROM t"); got[0][0] != "5" {
		t.Errorf("rows after fixed COPY = %s, want 5", got[0][0])
	}
}

// TestStageListRemove covers PUT (AUTO_COMPRESS off), LIST with PATTERN and
// REMOVE, over both PUT transports.
func TestStageListRemove(t *testing.T) {
	for _, transport := range []string{"http", "local"} {
		t.Run(transport, func(t *testing.T) { testStageListRemove(t, startEmuWith(t, sfemu.Config{PutTransport: transport})) })
	}
}

func testStageListRemove(t *testing.T, e *emu) {
	db := e.db()
	mustExec(t, db, "CREATE STAGE st", "CREATE TABLE t (id NUMBER(38,0), v VARCHAR)")
	p := filepath.Join(t.TempDir(), "one.csv")
	if err := os.WriteFile(p, []byte("1,filed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "PUT file://"+p+" @st/dir AUTO_COMPRESS = FALSE")
	putFile(t, db, "two.csv", "2,second\n", "@st/dir")
	got := queryStrings(t, db, "LIST @st PATTERN = '.*one.*'")
	if len(got) != 1 || got[0][0] != "st/dir/one.csv" || got[0][1] != "8" {
		t.Fatalf("LIST = %v", got)
	}
	copyRows(t, db, "COPY INTO t FROM @st/dir")
	if d := cmp.Diff([][]string{{"1", "filed"}, {"2", "second"}}, queryStrings(t, db, "SELECT * FROM t ORDER BY 1")); d != "" {
		t.Error(d)
	}
	rm := queryStrings(t, db, "REMOVE @st/dir/one.csv")
	if d := cmp.Diff([][]string{{"st/dir/one.csv", "removed"}}, rm); d != "" {
		t.Error(d)
	}
	if got := queryStrings(t, db, "LIST @st"); len(got) != 1 || got[0][0] != "st/dir/two.csv.gz" {
		t.Errorf("LIST after REMOVE = %v", got)
	}
}

// TestPutFromStream: PUT with gosnowflake's WithFileStream, compressed by the
// driver (AUTO_COMPRESS) and as-is.
func TestPutFromStream(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE STAGE st", "CREATE TABLE t (id NUMBER(38,0), v VARCHAR)")
	for _, put := range []string{"PUT file://a.csv @st", "PUT 'file://b.csv' @st AUTO_COMPRESS = FALSE"} {
		ctx := sf.WithFileStream(context.Background(), strings.NewReader("1,streamed\n2,"+put[:5]+"\n"))
		if _, err := db.ExecContext(ctx, put); err != nil {
			t.Fatalf("%s: %v", put, err)
		}
	}
	got := queryStrings(t, db, "LIST @st")
	if len(got) != 2 || got[0][0] != "st/a.csv.gz" || got[1][0] != "st/b.csv" || got[1][1] != "19" {
		t.Fatalf("LIST = %v", got)
	}
	copyRows(t, db, "COPY INTO t FROM @st")
	want := [][]string{{"1", "streamed"}, {"1", "streamed"}, {"2", "PUT '"}, {"2", "PUT f"}} // code-point order
	if d := cmp.Diff(want, queryStrings(t, db, "SELECT * FROM t ORDER BY 1, 2")); d != "" {
		t.Error(d)
	}
}
