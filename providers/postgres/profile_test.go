package postgres

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

// TestProfileAllTypes checks every fact of FIDELITY.md's "Rule zero" on
// the edge values of testdata/alltypes.sql and testdata/special_arrays.sql.
func TestProfileAllTypes(t *testing.T) {
	ctx := context.Background()
	dsn := loadFixture(t)
	execFile(t, dsn, "testdata/special_arrays.sql")
	src := mustSource(t, dsn)
	db, err := src.Inspect(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	kinds := map[ProgressKind]int{}
	opts := ProfileOptions{Concurrency: 3, Progress: func(ev ProgressEvent) {
		mu.Lock()
		kinds[ev.Kind]++
		mu.Unlock()
	}}
	if err := src.Profile(ctx, db, opts); err != nil {
		t.Fatal(err)
	}
	got := map[string]*catalog.ColumnProfile{}
	for _, c := range db.Table("public", "all_scalars").Columns {
		got[c.Name] = c.Profile
	}
	for _, c := range db.Table("public", "special_arrays").Columns {
		got["special_arrays."+c.Name] = c.Profile
	}
	for _, c := range db.Table("public", "typed_things").Columns {
		got["typed_things."+c.Name] = c.Profile
	}
	size := func(n int64) *catalog.SizeFacts { return &catalog.SizeFacts{MaxOctetLength: n} }
	want := map[string]*catalog.ColumnProfile{
		"c_numeric_12_2":  {Nulls: 2, Numeric: &catalog.NumericFacts{MaxIntegerDigits: 10, MaxScale: 2}},
		"c_numeric":       {Nulls: 1, Numeric: &catalog.NumericFacts{MaxIntegerDigits: 2, MaxScale: 1, NaN: 1, PosInfinity: 1, NegInfinity: 1}},
		"c_numeric_50_10": {Nulls: 1, Numeric: &catalog.NumericFacts{MaxIntegerDigits: 30, MaxScale: 10, NaN: 1}},
		"c_real":          {Nulls: 1, Float: &catalog.FloatFacts{NaN: 1, PosInfinity: 2}},
		"c_double":        {Nulls: 1, Float: &catalog.FloatFacts{NaN: 1, PosInfinity: 1, NegInfinity: 1}},
		"c_money":         {Nulls: 2},
		"c_text":          {Nulls: 2, Size: size(1000)},
		"c_varchar_40":    {Nulls: 2, Size: size(23)}, // 'ends with a backslash \'
		"c_varchar":       {Nulls: 2, Size: size(9)},
		"c_char_5":        {Nulls: 2, Size: size(5)},
		"c_bytea":         {Nulls: 2, Size: size(500)},
		"c_date":          {Nulls: 1, Temporal: &catalog.TemporalFacts{PosInfinity: 1, YearBefore1: 1, YearAfter9999: 1}},
		"c_timestamp":     {Nulls: 1, Temporal: &catalog.TemporalFacts{PosInfinity: 1, NegInfinity: 1, YearAfter9999: 1}},
		"c_timestamp_3":   {Nulls: 2, Temporal: &catalog.TemporalFacts{NegInfinity: 1}}, // 0001-01-01 is in range
		"c_timestamptz":   {Nulls: 2, Temporal: &catalog.TemporalFacts{PosInfinity: 1, NegInfinity: 1}},
		"c_time":          {Nulls: 2, Time: &catalog.TimeFacts{Hour24: 1}},
		"c_timetz":        {Nulls: 2},
		"c_json":          {Nulls: 2, Size: size(27)},
		"c_jsonb":         {Nulls: 2, Size: size(61), JSON: &catalog.JSONFacts{LongNumbers: 2}},
		"c_int_array":     {Nulls: 2, Array: &catalog.ArrayFacts{LowerBoundNot1: 1, MaxDims: 2}},
		"c_text_2d":       {Nulls: 2, Array: &catalog.ArrayFacts{LowerBoundNot1: 1, MaxDims: 2}},
		"c_xml":           {Nulls: 2, Size: size(8)},
		"c_point":         {Nulls: 2},
		// Array elements Snowflake cannot hold (array_to_json makes strings of them).
		"special_arrays.nums":    {Array: &catalog.ArrayFacts{MaxDims: 2, SpecialElements: 2}},
		"special_arrays.floats":  {Array: &catalog.ArrayFacts{MaxDims: 2, SpecialElements: 2}},
		"special_arrays.days":    {Array: &catalog.ArrayFacts{MaxDims: 1, SpecialElements: 2}},
		"special_arrays.stamps":  {Nulls: 1, Array: &catalog.ArrayFacts{MaxDims: 1, SpecialElements: 1}},
		"special_arrays.times":   {Nulls: 1, Array: &catalog.ArrayFacts{MaxDims: 1, SpecialElements: 1}},
		"special_arrays.amounts": {Nulls: 1, Array: &catalog.ArrayFacts{MaxDims: 1}},
		// Domains are profiled as their base type.
		"typed_things.amount":  {Numeric: &catalog.NumericFacts{MaxIntegerDigits: 2, MaxScale: 2}},
		"typed_things.zip":     {Nulls: 1, Size: size(5)},
		"typed_things.numbers": {Array: &catalog.ArrayFacts{LowerBoundNot1: 1, MaxDims: 1}},
		"typed_things.feeling": {},
	}
	for name, w := range want {
		if d := cmp.Diff(w, got[name]); d != "" {
			t.Errorf("profile of %s (-want +got):\n%s", name, d)
		}
	}
	tb := db.Table("public", "all_scalars")
	if d := cmp.Diff(&catalog.TableProfile{Method: catalog.ProfileFull, RowsScanned: 5}, tb.Profile); d != "" {
		t.Errorf("all_scalars table profile (-want +got):\n%s", d)
	}
	if tb.Stats.ExactRows == nil || *tb.Stats.ExactRows != 5 {
		t.Errorf("all_scalars exact rows = %v, want 5", tb.Stats.ExactRows)
	}
	// A partitioned parent is read through its partitions, which are skipped.
	if p := db.Table("public", "measurements").Profile; p.Method != catalog.ProfileFull || p.RowsScanned != 4 {
		t.Errorf("measurements profile = %+v, want full with 4 rows", p)
	}
	if p := db.Table("public", "measurements_2023").Profile; p.Method != catalog.ProfileSkipped || p.Reason == "" {
		t.Errorf("measurements_2023 profile = %+v, want skipped with a reason", p)
	}
	// An inheritance parent is read with ONLY: its child's row is not counted.
	if p := db.Table("public", "cities").Profile; p.RowsScanned != 1 {
		t.Errorf("cities rows scanned = %d, want 1 (ONLY)", p.RowsScanned)
	}
	if kinds[ProgressStart] == 0 || kinds[ProgressStart] != kinds[ProgressDone] {
		t.Errorf("progress events = %v, want one start and one done per scanned table", kinds)
	}
}

func TestProfileLimits(t *testing.T) {
	ctx := context.Background()
	src := mustSource(t, loadFixture(t))
	db, err := src.Inspect(ctx, Options{Filter: Filter{Include: []string{"public.all_scalars", "public.people", "public.bookings", "public.measurements*"}}})
	if err != nil {
		t.Fatal(err)
	}
	opts := ProfileOptions{
		Default: TableProfileOptions{SamplePercent: 100},
		Tables: map[string]TableProfileOptions{
			"public.all_scalars":  {Skip: true},
			"public.people":       {SamplePercent: 50},
			"public.measurements": {SamplePercent: 10},
		},
	}
	if err := src.Profile(ctx, db, opts); err != nil {
		t.Fatal(err)
	}
	skipped := db.Table("public", "all_scalars")
	if d := cmp.Diff(&catalog.TableProfile{Method: catalog.ProfileSkipped, Reason: "profile = false in the spec"}, skipped.Profile); d != "" {
		t.Errorf("skipped table profile (-want +got):\n%s", d)
	}
	if skipped.Columns[1].Profile != nil || skipped.Stats.ExactRows != nil {
		t.Error("a skipped table has column profiles or exact rows")
	}
	sampled := db.Table("public", "people")
	if p := sampled.Profile; p.Method != catalog.ProfileSample || p.SamplePercent != 50 || p.RowsScanned > 2 {
		t.Errorf("sampled profile = %+v", p)
	}
	if sampled.Stats.ExactRows != nil {
		t.Error("a sampled table claims exact rows")
	}
	if p := db.Table("public", "bookings").Profile; p.Method != catalog.ProfileFull || p.RowsScanned != 1 {
		t.Errorf("bookings (100%% = full) profile = %+v", p)
	}
	// TABLESAMPLE works through a partitioned parent.
	if p := db.Table("public", "measurements").Profile; p.Method != catalog.ProfileSample || p.RowsScanned > 4 {
		t.Errorf("sampled partitioned parent profile = %+v", p)
	}
	if err := src.Profile(ctx, db, ProfileOptions{Default: TableProfileOptions{SamplePercent: 150}}); err == nil {
		t.Error("sample percent 150 accepted")
	}
}

// TestProfileQuerySplit checks that a table with more probes than one
// SELECT may hold is profiled with several queries and nothing is lost.
func TestProfileQuerySplit(t *testing.T) {
	tb := &catalog.Table{Schema: "s", Name: "t", Kind: catalog.TableRegular}
	for i := 0; i < 400; i++ {
		tb.Columns = append(tb.Columns, &catalog.Column{Name: "c", Type: &catalog.Type{Schema: "pg_catalog", Name: "numeric", Kind: catalog.KindBase}})
	}
	qs := buildProfileQueries(tb, 150000, 0)
	total := 0
	for _, q := range qs {
		if len(q.probes) > maxTargets {
			t.Errorf("query with %d probes", len(q.probes))
		}
		total += len(q.probes)
	}
	if len(qs) < 2 || total != 400*6 {
		t.Errorf("got %d queries with %d probes, want >= 2 queries with %d", len(qs), total, 400*6)
	}
}
