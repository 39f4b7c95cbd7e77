package sfemu_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sf "github.com/snowflakedb/gosnowflake"
)

// TestStageEncryption: a SNOWFLAKE_SSE stage gets no encryption material,
// so gosnowflake uploads files as they are (the emulator refuses a
// client-side encrypted upload to it); the default stage still gets the
// client-side encrypted upload. Both load the same rows.
func TestStageEncryption(t *testing.T) {
	e := startEmu(t, sfemuFaultsNone())
	db := e.db()
	mustExec(t, db,
		"CREATE STAGE full_st",
		"CREATE STAGE full2 ENCRYPTION = (TYPE = 'SNOWFLAKE_FULL')",
		"CREATE STAGE sse ENCRYPTION = (TYPE = 'snowflake_sse') COMMENT = 'server side'",
		"CREATE TABLE t (id NUMBER(38,0), v VARCHAR)")
	const content = "1,one\n2,two\n"
	for _, stage := range []string{"full_st", "full2", "sse"} {
		p := filepath.Join(t.TempDir(), stage+".csv")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, "PUT file://"+p+" @"+stage+" AUTO_COMPRESS = FALSE")
		ctx := sf.WithFileStream(context.Background(), strings.NewReader(content))
		if _, err := db.ExecContext(ctx, "PUT 'file://"+stage+"_stream.csv' @"+stage+" AUTO_COMPRESS = FALSE"); err != nil {
			t.Fatalf("stream PUT to %s: %v", stage, err)
		}
		got := queryStrings(t, db, "LIST @"+stage)
		if len(got) != 2 || got[0][1] != "12" || got[1][1] != "12" {
			t.Fatalf("LIST @%s = %v", stage, got)
		}
		mustExec(t, db, "TRUNCATE TABLE t")
		copyRows(t, db, "COPY INTO t FROM @"+stage)
		want := [][]string{{"1", "one"}, {"1", "one"}, {"2", "two"}, {"2", "two"}}
		if d := cmp.Diff(want, queryStrings(t, db, "SELECT * FROM t ORDER BY 1, 2")); d != "" {
			t.Errorf("@%s: %s", stage, d)
		}
	}
	for stmt, want := range map[string]string{
		"CREATE STAGE bad ENCRYPTION = (TYPE = 'SNOWFLAKE_HALF')": "invalid value 'SNOWFLAKE_HALF' for property 'TYPE'",
		"CREATE STAGE ext ENCRYPTION = (TYPE = 'AWS_SSE_S3')":     "AWS_SSE_S3",
		"CREATE STAGE bad2 ENCRYPTION = (KIND = 'SNOWFLAKE_SSE')": "syntax error",
	} {
		if _, err := db.Exec(stmt); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want an error with %q", stmt, err, want)
		}
	}
}
