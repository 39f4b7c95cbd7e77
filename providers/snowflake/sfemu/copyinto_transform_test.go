package sfemu_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
)

type pqItem struct {
	ID  int64   `parquet:"ID"`
	Doc *string `parquet:"DOC,optional"`
}

// TestCopyTransformParquet runs COPY INTO … FROM (SELECT … FROM @stage)
// through the driver: the documented Parquet form, an alias, and the
// documented restrictions.
func TestCopyTransformParquet(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db, "CREATE STAGE st", "CREATE TABLE t (id NUMBER(10,0) NOT NULL, doc VARIANT, s VARCHAR)")
	doc := `{"a": [1, "x"]}`
	p := filepath.Join(t.TempDir(), "f.parquet")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[pqItem](f, parquet.DataPageVersion(1))
	if _, err := w.Write([]pqItem{{1, &doc}, {2, nil}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	mustExec(t, db, "PUT file://"+p+" @st/in AUTO_COMPRESS = FALSE")

	got := copyRows(t, db, `COPY INTO t (id, doc, s) FROM (SELECT f.$1:ID::NUMBER(10,0), PARSE_JSON(f.$1:"DOC"::VARCHAR), GET($1, 'DOC')::VARCHAR
		FROM @st/in f) FILES = ('f.parquet') FILE_FORMAT = (TYPE = PARQUET USE_VECTORIZED_SCANNER = TRUE)`)
	if d := cmp.Diff([][]string{{"st/in/f.parquet", "LOADED", "2", "2"}}, got); d != "" {
		t.Errorf("COPY (-want +got):\n%s", d)
	}
	rows := queryStrings(t, db, "SELECT id, doc IS NULL, s FROM t ORDER BY id")
	if d := cmp.Diff([][]string{{"1", "0", doc}, {"2", "1", "NULL"}}, rows); d != "" {
		t.Errorf("rows (-want +got):\n%s", d)
	}

	for _, c := range []struct{ stmt, want string }{
		{`COPY INTO t (id) FROM (SELECT $1:ID FROM @st/in) FILE_FORMAT = (TYPE = PARQUET) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE`,
			"match_by_column_name is not supported with copy transform"},
		{`COPY INTO t (id) FROM (SELECT $1:ID FROM @st/in) FILE_FORMAT = (TYPE = PARQUET) VALIDATION_MODE = RETURN_ERRORS`,
			"VALIDATION_MODE does not support"},
		{`COPY INTO t (id) FROM (SELECT $1:ID FROM @st/in WHERE $1:ID > 1) FILE_FORMAT = (TYPE = PARQUET)`, "unexpected 'WHERE'"},
		{`COPY INTO t (id) FROM (SELECT $1 FROM @st/in) FILE_FORMAT = (TYPE = CSV)`, "the emulator transforms Parquet only"},
		{`COPY INTO t (id, s) FROM (SELECT $1:ID FROM @st/in) FILE_FORMAT = (TYPE = PARQUET) FORCE = TRUE`, "expecting 2 but got 1"},
	} {
		_, err := db.Exec(c.stmt)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.stmt, err, c.want)
		}
	}
}
