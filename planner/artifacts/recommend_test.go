package artifacts

import (
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/planner/typemap"
	"github.com/pgsnow/pgsnow/providers/catalog"
)

func TestRecommendations(t *testing.T) {
	ty := func(name, declared string) *catalog.Type {
		return &catalog.Type{Declared: declared, Schema: "pg_catalog", Name: name, Kind: catalog.KindBase}
	}
	rows := int64(250_000_000)
	big := &catalog.Table{Schema: "public", Name: "events", Kind: catalog.TableRegular,
		Columns: []*catalog.Column{
			{Name: "id", Position: 1, Type: ty("int8", "bigint")},
			{Name: "created_at", Position: 2, Type: ty("timestamptz", "timestamp with time zone"), Profile: &catalog.ColumnProfile{Temporal: &catalog.TemporalFacts{}}},
			{Name: "payload", Position: 3, Type: ty("jsonb", "jsonb"), Profile: &catalog.ColumnProfile{JSON: &catalog.JSONFacts{}, Size: &catalog.SizeFacts{MaxOctetLength: 20 << 20}}},
			{Name: "amount", Position: 4, Type: &catalog.Type{Declared: "numeric", Schema: "pg_catalog", Name: "numeric", Kind: catalog.KindBase},
				Profile: &catalog.ColumnProfile{Numeric: &catalog.NumericFacts{MaxIntegerDigits: 3, MaxScale: 4}}},
		},
		PrimaryKey: &catalog.Constraint{Name: "events_pkey", Kind: catalog.ConstraintPrimaryKey, Columns: []string{"id"}},
		Stats:      catalog.Volumetrics{ExactRows: &rows, HeapBytes: 300 << 30},
		Profile:    &catalog.TableProfile{Method: catalog.ProfileFull},
	}
	nopk := &catalog.Table{Schema: "public", Name: "log", Kind: catalog.TableRegular,
		Columns: []*catalog.Column{{Name: "line", Position: 1, Type: ty("text", "text"), Profile: &catalog.ColumnProfile{Size: &catalog.SizeFacts{MaxOctetLength: 40 << 20}}}},
		Profile: &catalog.TableProfile{Method: catalog.ProfileFull}}
	db := &catalog.Database{Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{big, nopk}}}}
	m, err := typemap.Map(db, typemap.Options{Tables: []typemap.TableOverride{{Schema: "public", Table: "events",
		Columns: []typemap.ColumnOverride{{Column: "amount", Type: "NUMBER(12,2)", AllowLossy: true}}}}})
	if err != nil {
		t.Fatal(err)
	}
	got := Recommendations(m, Options{})
	for _, want := range []string{
		`- "PUBLIC"."EVENTS" (250000000 rows, 300.0 GB): ` + "`ALTER TABLE \"PUBLIC\".\"EVENTS\" CLUSTER BY (TO_DATE(\"CREATED_AT\"));`",
		`- "PUBLIC"."LOG" has no primary key`,
		`- "PUBLIC"."LOG"."LINE" is VARCHAR(134217728)`,
		`- "PUBLIC"."EVENTS"."PAYLOAD" (VARIANT from jsonb)`,
		`- "PUBLIC"."EVENTS"."AMOUNT": column override NUMBER(12,2) with allow_lossy loses max scale 4: NUMBER(12,2) rounds to scale 2`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("recommendations lack %q:\n%s", want, got)
		}
	}
}
