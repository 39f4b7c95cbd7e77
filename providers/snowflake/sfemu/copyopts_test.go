package sfemu_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
)

// TestCopyOptions runs COPY INTO with one option set per case against the
// same staged files: good.csv (2 rows), bad.csv (row 2 has a non-number),
// head.csv (a header line, 1 row).
func TestCopyOptions(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE FILE FORMAT skip1 TYPE = CSV SKIP_HEADER = 1 COMMENT = 'header'")
	tests := []struct {
		name     string
		copy     string     // after FROM @st
		want     [][]string // file, status, rows_parsed, rows_loaded (or the single status)
		wantRows string     // SELECT COUNT(*) afterwards
		wantErr  bool
	}{
		{"files list", "FILES = ('good.csv.gz')", [][]string{{"st/good.csv.gz", "LOADED", "2", "2"}}, "2", false},
		{"pattern", "PATTERN = '.*goo.*'", [][]string{{"st/good.csv.gz", "LOADED", "2", "2"}}, "2", false},
		{"named file format", "FILES = ('head.csv.gz') FILE_FORMAT = (FORMAT_NAME = 'skip1')",
			[][]string{{"st/head.csv.gz", "LOADED", "1", "1"}}, "1", false},
		{"header without SKIP_HEADER aborts", "FILES = ('head.csv.gz')", nil, "0", true},
		{"on_error continue", "FILES = ('bad.csv.gz') ON_ERROR = CONTINUE",
			[][]string{{"st/bad.csv.gz", "PARTIALLY_LOADED", "3", "2"}}, "2", false},
		{"on_error skip_file", "PATTERN = '.*(good|bad).*' ON_ERROR = SKIP_FILE",
			// SKIP_FILE stops reading at the first error (sfload decision), so rows_parsed is 2.
			[][]string{{"st/bad.csv.gz", "LOAD_FAILED", "2", "0"}, {"st/good.csv.gz", "LOADED", "2", "2"}}, "2", false},
		{"abort statement (default)", "PATTERN = '.*(good|bad).*'", nil, "0", true},
		{"validation mode", "FILES = ('bad.csv.gz') VALIDATION_MODE = RETURN_ERRORS", nil, "0", false},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tbl, st := fmt.Sprintf("t%d", i), fmt.Sprintf("st%d", i)
			mustExec(t, db, "CREATE TABLE "+tbl+" (id NUMBER(38,0), v VARCHAR)", "CREATE STAGE "+st)
			putFile(t, db, "good.csv", "1,a\n2,b\n", "@"+st)
			putFile(t, db, "bad.csv", "3,c\nx,d\n5,e\n", "@"+st)
			putFile(t, db, "head.csv", "ID,V\n6,f\n", "@"+st)
			q := "COPY INTO " + tbl + " FROM @" + st + " " + tc.copy
			if tc.wantErr {
				if _, err := db.Exec(q); err == nil {
					t.Fatalf("%s succeeded", q)
				}
			} else {
				got := copyRows(t, db, q)
				for _, r := range got {
					if len(r) > 1 {
						r[0] = "st" + r[0][len(st):] // stage name varies per case
					}
				}
				if tc.want != nil {
					if d := cmp.Diff(tc.want, got); d != "" {
						t.Errorf("result (-want +got):\n%s", d)
					}
				} else if len(got) != 1 {
					t.Errorf("validation errors = %v, want 1", got)
				}
			}
			if got := queryStrings(t, db, "SELECT COUNT(*) FROM "+tbl); got[0][0] != tc.wantRows {
				t.Errorf("rows = %s, want %s", got[0][0], tc.wantRows)
			}
		})
	}
}

func TestCopyPurgeTruncateZstd(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE TABLE t (id NUMBER, v VARCHAR)", "CREATE STAGE st FILE_FORMAT = (TYPE = CSV FIELD_DELIMITER = '|')")
	var buf bytes.Buffer
	enc, _ := zstd.NewWriter(&buf)
	enc.Write([]byte("1|a,b\n2|c\n"))
	enc.Close()
	p := filepath.Join(t.TempDir(), "z.csv.zst")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "PUT file://"+p+" @st")
	copyRows(t, db, "COPY INTO t FROM @st")
	mustExec(t, db, "TRUNCATE TABLE t") // forgets load metadata
	got := copyRows(t, db, "COPY INTO t FROM @st PURGE = TRUE")
	if d := cmp.Diff([][]string{{"st/z.csv.zst", "LOADED", "2", "2"}}, got); d != "" {
		t.Errorf("COPY after TRUNCATE (-want +got):\n%s", d)
	}
	if d := cmp.Diff([][]string{{"1", "a,b"}, {"2", "c"}}, queryStrings(t, db, "SELECT * FROM t ORDER BY id")); d != "" {
		t.Error(d)
	}
	if got := queryStrings(t, db, "LIST @st"); len(got) != 0 {
		t.Errorf("files left after PURGE: %v", got)
	}
}

type pqRow struct {
	ID   int64   `parquet:"ID"`
	Name *string `parquet:"NAME,optional"`
	Amt  float64 `parquet:"AMT"`
}

func TestCopyParquet(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE TABLE p (id NUMBER(10,0) NOT NULL, name VARCHAR(10), amt FLOAT, extra VARCHAR)", "CREATE STAGE st")
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[pqRow](&buf, parquet.DataPageVersion(1))
	x := "x"
	if _, err := w.Write([]pqRow{{1, &x, 1.5}, {2, nil, -2}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.parquet")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db, "PUT file://"+path+" @st")
	got := copyRows(t, db, "COPY INTO p FROM @st FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE")
	if d := cmp.Diff([][]string{{"st/p.parquet", "LOADED", "2", "2"}}, got); d != "" {
		t.Errorf("result (-want +got):\n%s", d)
	}
	want := [][]string{{"1", "x", "1.5", "NULL"}, {"2", "NULL", "-2", "NULL"}}
	if d := cmp.Diff(want, queryStrings(t, db, "SELECT * FROM p ORDER BY id")); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}
}
