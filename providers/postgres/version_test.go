package postgres

import (
	"strings"
	"testing"

	"github.com/pgsnow/pgsnow/providers/catalog"
)

// TestVersionGuards: SQL sent to PostgreSQL 12 and 13 must not name what
// only exists from 14 (only 15 runs here, so the text is checked).
func TestVersionGuards(t *testing.T) {
	if q := qTypes(130000); strings.Contains(q, "rngmultitypid") {
		t.Error("qTypes for PostgreSQL 13 uses pg_range.rngmultitypid (PostgreSQL 14+)")
	}
	if q := qTypes(140000); !strings.Contains(q, "rngmultitypid") {
		t.Error("qTypes for PostgreSQL 14 does not follow multirange subtypes")
	}
	num := &catalog.Column{Name: "n", Type: &catalog.Type{Schema: "pg_catalog", Name: "numeric", Kind: catalog.KindBase}}
	arr := &catalog.Column{Name: "a", Type: &catalog.Type{Schema: "pg_catalog", Name: "_numeric", Kind: catalog.KindArray, Element: num.Type}}
	for _, c := range []*catalog.Column{num, arr} {
		for _, p := range columnProbes(c, 130000) {
			if strings.Contains(p.expr, "Infinity") {
				t.Errorf("probe for PostgreSQL 13 compares numeric with Infinity (invalid before 14): %s", p.expr)
			}
		}
		found := false
		for _, p := range columnProbes(c, 140000) {
			found = found || strings.Contains(p.expr, "'Infinity'")
		}
		if !found {
			t.Errorf("column %s: no Infinity probe for PostgreSQL 14", c.Name)
		}
	}
}
