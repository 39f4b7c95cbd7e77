package state

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pgsnow/pgsnow/internal/golden"
)

// sample is a state with one of everything, fixed so its encoding is stable.
func sample() *State {
	t0 := time.Date(2026, 11, 27, 4, 0, 0, 0, time.UTC)
	t1 := t0.Add(90 * time.Second)
	exact := int64(3)
	node := uint32(16400)
	s := New("v0.1.0-test")
	s.Lineage = "6f1c2a4e-8a47-4d1e-9b6a-0c2d3e4f5a6b"
	s.Serial = 7
	db := &Object{Kind: KindDatabase, Name: []string{"ANALYTICS"}, CreatedAt: t0, UpdatedAt: t0}
	db.SetDDL("CREATE DATABASE IF NOT EXISTS ANALYTICS")
	sc := &Object{Kind: KindSchema, Name: []string{"ANALYTICS", "APP"}, CreatedAt: t0, UpdatedAt: t0}
	sc.SetDDL("CREATE SCHEMA IF NOT EXISTS ANALYTICS.APP")
	tb := &Object{Kind: KindTable, Name: []string{"ANALYTICS", "APP", "ORDERS"}, Source: "app.public.orders",
		Columns:   []Column{{Name: "ID", Type: "NUMBER(19,0)"}, {Name: "NOTE", Type: "VARCHAR(200)", Nullable: true}},
		CreatedAt: t0, UpdatedAt: t1}
	tb.SetDDL("CREATE TABLE ANALYTICS.APP.ORDERS (\n  ID NUMBER(19,0) NOT NULL,\n  NOTE VARCHAR(200) -- <a & b>\n)")
	odd := &Object{Kind: KindTable, Name: []string{"ANALYTICS", "APP", `Order "Lines"`}, CreatedAt: t0, UpdatedAt: t0}
	odd.SetDDL(`CREATE TABLE ANALYTICS.APP."Order ""Lines""" (X NUMBER)`)
	for _, o := range []*Object{db, sc, tb, odd} {
		s.Objects[ObjectAddress(o.Kind, o.Name...)] = o
	}
	s.Loads[LoadAddress("app", "public", "orders")] = &Load{
		Source: "app", Schema: "public", Table: "orders",
		Target: ObjectAddress(KindTable, "ANALYTICS", "APP", "ORDERS"),
		Status: LoadLoaded, Format: "csv", Compression: "zstd",
		Fingerprint: &Fingerprint{EstimatedRows: 3, ExactRows: &exact, TupInserted: 3, TupUpdated: 1,
			Relfilenode: &node, ColumnsSHA256: HashDDL("id bigint, note text"), TakenAt: t0},
		StartedAt: &t0, FinishedAt: &t1,
		Files: []*File{ // deliberately unsorted: Encode sorts the manifest
			{Name: "orders/part-00001.csv.zst", Chunk: Chunk{By: "ctid", From: "1024", To: ""}, Rows: 1, Bytes: 40,
				SHA256: HashDDL("b"), QueryID: "01b2c3d4-0000-0001-0000-000000000002", LoadedAt: t1},
			{Name: "orders/part-00000.csv.zst", Chunk: Chunk{By: "ctid", From: "0", To: "1024"}, Rows: 2, Bytes: 64,
				SHA256: HashDDL("a"), QueryID: "01b2c3d4-0000-0001-0000-000000000001", LoadedAt: t1},
		},
	}
	s.Loads[LoadAddress("app", "public", "customers")] = &Load{
		Source: "app", Schema: "public", Table: "customers",
		Target: ObjectAddress(KindTable, "ANALYTICS", "APP", "CUSTOMERS"), Status: LoadPending,
	}
	return s
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

func TestEncodeGolden(t *testing.T) {
	got, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "full.json", got)
}

// TestRoundTrip: every valid state in testdata reads and writes back to
// the identical bytes, and decodes to the same value as the model.
func TestRoundTrip(t *testing.T) {
	for _, name := range []string{"full.json", "empty.json", "no_relfilenode.json"} {
		t.Run(name, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			s, err := Decode(in)
			if err != nil {
				t.Fatal(err)
			}
			out, err := Encode(s)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(in), string(out)); diff != "" {
				t.Errorf("read → write changed the bytes (-read +written):\n%s", diff)
			}
		})
	}
	want := sample()
	b, _ := Encode(want)
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("decode(encode(s)) != s (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, want.Clone()); diff != "" {
		t.Errorf("Clone differs (-want +got):\n%s", diff)
	}
}

func TestDecodeRefuses(t *testing.T) {
	full, err := os.ReadFile("testdata/full.json")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string {
		if !bytes.Contains(full, []byte(old)) {
			t.Fatalf("testdata/full.json has no %q", old)
		}
		return strings.Replace(string(full), old, new, 1)
	}
	tests := []struct {
		name, in, want string
	}{
		{"newer format", edit(`"format_version": 1`, `"format_version": 2`),
			"written by pgsnow v0.1.0-test in format_version 2, but this pgsnow reads format_version 1 at most; upgrade pgsnow"},
		{"no format", `{"serial": 1}`, "no format_version: it is not a pgsnow state"},
		{"zero format", `{"format_version": 0}`, "invalid format_version 0"},
		{"not json", `serial = 1`, "not valid JSON"},
		{"unknown field", edit(`"serial": 7,`, `"serial": 7, "colour": "blue",`), `unknown field "colour"`},
		{"trailing data", string(full) + "{}", "not valid JSON"},
		{"bad lineage", edit(`6f1c2a4e-8a47`, `6F1C2A4E-8A47`), "is not a lower-case UUID"},
		{"edited ddl", edit(`CREATE SCHEMA IF NOT EXISTS`, `CREATE SCHEMA`), "snowflake_schema.ANALYTICS.APP: ddl_sha256 does not match"},
		{"wrong address", edit(`"snowflake_database.ANALYTICS"`, `"snowflake_database.OTHER"`), `record says kind "snowflake_database" name ["ANALYTICS"]`},
		{"unknown kind", edit(`"snowflake_database.ANALYTICS"`, `"snowflake_warehouse.ANALYTICS"`), `unknown kind "snowflake_warehouse"`},
		{"bad status", edit(`"status": "loaded"`, `"status": "done"`), `unknown status "done"`},
		{"bad checksum", edit(`"sha256": "ca978112`, `"sha256": "xx978112`), "is not 64 lower-case hex digits"},
		{"duplicate file", edit(`orders/part-00001.csv.zst`, `orders/part-00000.csv.zst`), "listed twice"},
		{"load key", edit(`"load.app.public.orders"`, `"load.app.public.order"`), "record is for load.app.public.orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Decode error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	var tooNew *TooNewError
	_, err = Decode([]byte(edit(`"format_version": 1`, `"format_version": 9`)))
	if !asTooNew(err, &tooNew) || tooNew.FormatVersion != 9 {
		t.Errorf("want *TooNewError with version 9, got %v", err)
	}
}

func asTooNew(err error, target **TooNewError) bool {
	e, ok := err.(*TooNewError)
	*target = e
	return ok
}

func TestEncodeRefusesCredentials(t *testing.T) {
	s := sample()
	o := &Object{Kind: KindStage, Name: []string{"ANALYTICS", "APP", "EXT"}}
	o.SetDDL("CREATE STAGE ANALYTICS.APP.EXT URL='s3://b/' CREDENTIALS = (AWS_KEY_ID='AKIA' AWS_SECRET_KEY='shh')")
	s.Objects[ObjectAddress(o.Kind, o.Name...)] = o
	_, err := Encode(s)
	if err == nil || !strings.Contains(err.Error(), "never stores secrets") {
		t.Fatalf("Encode error = %v, want a refusal", err)
	}
	if strings.Contains(err.Error(), "shh") {
		t.Errorf("the error repeats the secret: %v", err)
	}
	// A column called password is not a credential.
	s = sample()
	tb := s.Objects["snowflake_table.ANALYTICS.APP.ORDERS"]
	tb.SetDDL("CREATE TABLE ANALYTICS.APP.USERS (PASSWORD_HASH VARCHAR, PASSWORD VARCHAR)")
	if _, err := Encode(s); err != nil {
		t.Errorf("a password column was refused: %v", err)
	}
}

// TestNoSecretFields walks the model: no field may be named like something
// that holds a credential or a connection string.
func TestNoSecretFields(t *testing.T) {
	banned := []string{"password", "secret", "token", "dsn", "key", "credential", "conn", "url"}
	var walk func(reflect.Type, string)
	seen := map[reflect.Type]bool{}
	walk = func(ty reflect.Type, path string) {
		for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Map {
			ty = ty.Elem()
		}
		if ty.Kind() != reflect.Struct || seen[ty] || ty.PkgPath() != reflect.TypeFor[State]().PkgPath() {
			return
		}
		seen[ty] = true
		for i := range ty.NumField() {
			f := ty.Field(i)
			tag := strings.Split(f.Tag.Get("json"), ",")[0]
			for _, b := range banned {
				if strings.Contains(strings.ToLower(f.Name+" "+tag), b) {
					t.Errorf("%s.%s (json %q) looks like it could hold a secret", path, f.Name, tag)
				}
			}
			walk(f.Type, path+"."+f.Name)
		}
	}
	walk(reflect.TypeFor[State](), "State")
	walk(reflect.TypeFor[LockInfo](), "LockInfo")
}

func TestAddress(t *testing.T) {
	tests := []struct {
		kind  Kind
		parts []string
		want  string
	}{
		{KindTable, []string{"ANALYTICS", "APP", "ORDERS"}, "snowflake_table.ANALYTICS.APP.ORDERS"},
		{KindSchema, []string{"ANALYTICS", "app"}, "snowflake_schema.ANALYTICS.app"},
		{KindLoad, []string{"app", "public", "order lines"}, `load.app.public."order lines"`},
		{KindTable, []string{"A", "B", `x."y"`}, `snowflake_table.A.B."x.""y"""`},
		{KindDatabase, []string{"DB$1"}, "snowflake_database.DB$1"},
	}
	for _, tt := range tests {
		got := ObjectAddress(tt.kind, tt.parts...)
		if got != tt.want {
			t.Errorf("ObjectAddress(%s, %q) = %s, want %s", tt.kind, tt.parts, got, tt.want)
		}
		kind, parts, err := ParseAddress(got)
		if err != nil {
			t.Errorf("ParseAddress(%s): %v", got, err)
			continue
		}
		if diff := cmp.Diff(tt.parts, parts); kind != tt.kind || diff != "" {
			t.Errorf("ParseAddress(%s) = %s %q", got, kind, parts)
		}
	}
	for _, bad := range []string{"", "snowflake_table", "snowflake_table.A.B", "snowflake_table.A.B.C.D",
		`snowflake_table.A.B."C`, `snowflake_table.A.B."C"x`, "snowflake_table.A.B.my table", "table.A.B.C", "load.a..b"} {
		if _, _, err := ParseAddress(bad); err == nil {
			t.Errorf("ParseAddress(%q) accepted", bad)
		}
	}
}

func TestRecordText(t *testing.T) {
	s := sample()
	if _, err := Encode(s); err != nil { // sorts the manifest
		t.Fatal(err)
	}
	for _, addr := range []string{"snowflake_table.ANALYTICS.APP.ORDERS", "load.app.public.orders", "load.app.public.customers"} {
		r, ok := s.Record(addr)
		if !ok {
			t.Fatalf("no record %s", addr)
		}
		var buf bytes.Buffer
		if err := r.WriteText(&buf); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, "show_"+strings.ReplaceAll(addr, ".", "_")+".txt", buf.Bytes())
	}
	if _, ok := s.Record("load.app.public.nothing"); ok {
		t.Error("Record found a missing address")
	}
}

func TestStateEdits(t *testing.T) {
	s := sample()
	want := []string{
		"load.app.public.customers", "load.app.public.orders", "snowflake_database.ANALYTICS",
		"snowflake_schema.ANALYTICS.APP", `snowflake_table.ANALYTICS.APP."Order ""Lines"""`, "snowflake_table.ANALYTICS.APP.ORDERS",
	}
	if diff := cmp.Diff(want, s.Addresses()); diff != "" {
		t.Errorf("Addresses (-want +got):\n%s", diff)
	}
	if !s.Remove("snowflake_schema.ANALYTICS.APP") || s.Remove("snowflake_schema.ANALYTICS.APP") {
		t.Error("Remove should report true once, then false")
	}
	rows, size := s.Loads["load.app.public.orders"].Totals()
	if rows != 3 || size != 104 {
		t.Errorf("Totals = %d rows %d bytes, want 3 and 104", rows, size)
	}
	if s.Loads["load.app.public.orders"].File("orders/part-00000.csv.zst") == nil {
		t.Error("File did not find a manifest entry")
	}
}

func TestCheckWrite(t *testing.T) {
	stored := SnapshotOf(sample())
	s := sample()
	if err := CheckWrite(&stored, s); err != nil {
		t.Errorf("same serial refused: %v", err)
	}
	s.Serial--
	if err, ok := CheckWrite(&stored, s).(*SerialError); !ok || err.Stored != 7 || err.Given != 6 {
		t.Errorf("stale serial: got %v", CheckWrite(&stored, s))
	}
	s = sample()
	s.Lineage = NewID()
	if _, ok := CheckWrite(&stored, s).(*LineageError); !ok {
		t.Errorf("other lineage: got %v", CheckWrite(&stored, s))
	}
	if err := CheckWrite(nil, New("v")); err != nil {
		t.Errorf("first write refused: %v", err)
	}
	s = New("v")
	s.Serial = 3
	if _, ok := CheckWrite(nil, s).(*SerialError); !ok {
		t.Errorf("serial 3 on an empty store: got %v", CheckWrite(nil, s))
	}
}

func TestPeek(t *testing.T) {
	full, _ := os.ReadFile("testdata/full.json")
	got, err := Peek(full)
	if want := (Snapshot{Lineage: "6f1c2a4e-8a47-4d1e-9b6a-0c2d3e4f5a6b", Serial: 7}); err != nil || got != want {
		t.Errorf("Peek = %+v, %v; want %+v", got, err, want)
	}
	var tooNew *TooNewError
	if _, err := Peek([]byte(`{"format_version": 3}`)); !errors.As(err, &tooNew) {
		t.Errorf("Peek of a newer format: %v", err)
	}
	for _, bad := range []string{"", "{", `{"serial": 1}`} {
		if _, err := Peek([]byte(bad)); err == nil {
			t.Errorf("Peek(%q) accepted", bad)
		}
	}
}
