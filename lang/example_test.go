package lang_test

import (
	"fmt"
	"os"

	"github.com/pgsnow/pgsnow/lang"
)

func ExampleLoadDir() {
	os.Setenv("PGSNOW_SOURCE_DSN", "postgres://app:pw@db.internal/app")
	os.Setenv("SNOWFLAKE_PASSWORD", "pw")
	spec, files, diags := lang.LoadDir("../examples/full")
	if diags.HasErrors() {
		_ = files.WriteDiagnostics(os.Stderr, diags, false)
		return
	}
	src := spec.Source("app")
	fmt.Println(src.Name, src.DSN, src.RedactedDSN())
	fmt.Println(spec.Target.Account, spec.Target.Auth.Method, spec.Target.Auth.Password)
	ts := spec.EffectiveTableSettings("app", "public", "orders")
	fmt.Println(ts.ChunkRows, lang.FormatByteSize(ts.ChunkSize), ts.Where)
	fmt.Println(spec.TargetSchema("app", "public"), spec.TargetSchema("app", "billing"))
	fmt.Println(spec.TypeOverride("money").SFType)
	// Output:
	// app (sensitive) postgres://app@db.internal/app
	// xy12345 password (sensitive)
	// 250000 200MB created_at >= '2020-01-01'
	// APP BILLING
	// NUMBER(19,4)
}
