package lang

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const lookupSpec = `
source "postgres" "app" {
  dsn            = "postgres://u@h/app"
  schemas        = ["public", "billing"]
  exclude_tables = ["public.tmp_*"]
  schema_map     = { billing = "Billing_Data" }
}
target "snowflake" "main" {
  account  = "xy12345"
  database = "DB"
  user     = "U"
  auth {
    method   = "password"
    password = "pw"
  }
}
settings {
  chunk_rows = 100
  chunk_by   = "primary_key"
}
table "app.public.orders" {
  chunk_size = "10MB"
  where      = "id > 0"
  profile    = false
  column "amount" { type = "NUMBER(18,2)" }
}
type_override "int8" { type = "NUMBER(19,0)" }
`

func TestLookups(t *testing.T) {
	spec, _, diags := Parse(map[string][]byte{"x.pgsnow.hcl": []byte(lookupSpec)})
	if diags.HasErrors() || len(diags) != 1 || diags[0].Summary != "Secret written into the spec" {
		t.Fatalf("want only the literal-password warning, got %v", diags)
	}
	if spec.Source("app") == nil || spec.Source("nope") != nil {
		t.Error("Source lookup")
	}
	if spec.TableConfig("app", "public", "orders") == nil || spec.TableConfig("app", "public", "Orders") != nil {
		t.Error("TableConfig lookup (names are case-sensitive)")
	}
	if o := spec.TypeOverride("BIGINT"); o == nil || o.Type != "NUMBER(19,0)" {
		t.Errorf("TypeOverride(BIGINT) = %+v", o)
	}

	got := spec.EffectiveTableSettings("app", "public", "orders")
	want := TableSettings{ChunkRows: 100, ChunkSize: 10_000_000, ChunkBy: "primary_key", Where: "id > 0",
		Profile: false, ProfileSamplePercent: 100, Columns: spec.Tables[0].Columns}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Column{}, "Decl", "NameRange", "TypeRange")); diff != "" {
		t.Errorf("orders settings (-want +got):\n%s", diff)
	}
	got = spec.EffectiveTableSettings("app", "public", "customers")
	want = TableSettings{ChunkRows: 100, ChunkSize: DefaultChunkSize, ChunkBy: "primary_key", Profile: true, ProfileSamplePercent: 100}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("customers settings (-want +got):\n%s", diff)
	}

	src := spec.Source("app")
	for _, tc := range []struct {
		schema, table string
		want          bool
	}{
		{"public", "orders", true}, {"public", "tmp_x", false}, {"billing", "tmp_x", true},
		{"other", "orders", false}, {"Public", "orders", false},
	} {
		if got := src.Selects(tc.schema, tc.table); got != tc.want {
			t.Errorf("Selects(%s, %s) = %v, want %v", tc.schema, tc.table, got, tc.want)
		}
	}

	if got := spec.TargetSchema("app", "public"); got != "PUBLIC" {
		t.Errorf("TargetSchema(public) = %q", got)
	}
	if got := spec.TargetSchema("app", "billing"); got != "Billing_Data" {
		t.Errorf("TargetSchema(billing) = %q (schema_map is used as written)", got)
	}
	spec.Settings.IdentifierCase = "preserve"
	if got := spec.TargetSchema("app", "public"); got != "public" {
		t.Errorf("TargetSchema(public) with preserve = %q", got)
	}
	if got := spec.Tables[0].Range("where"); got.Start.Line != 23 {
		t.Errorf("Range(where) line = %d, want 23", got.Start.Line)
	}
	if got := spec.Tables[0].Range("target_name"); got != spec.Tables[0].DeclRange {
		t.Error("Range of an unset attribute must fall back to DeclRange")
	}
}

func TestNoFiles(t *testing.T) {
	spec, files, diags := Parse(nil)
	if !diags.HasErrors() || spec == nil || files == nil {
		t.Fatalf("Parse(nil) = %v, %v, %v", spec, files, diags)
	}
	_, _, diags = LoadDir(t.TempDir())
	if !diags.HasErrors() || diags[0].Summary != "No spec files" {
		t.Errorf("LoadDir(empty) = %v", diags)
	}
	_, _, diags = LoadDir("/no/such/dir")
	if !diags.HasErrors() {
		t.Error("LoadDir(missing dir): want an error")
	}
}
