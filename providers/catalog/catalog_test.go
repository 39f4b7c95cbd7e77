package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestResolved(t *testing.T) {
	num := &Type{Schema: "pg_catalog", Name: "numeric", Kind: KindBase}
	inner := &Type{Schema: "public", Name: "amount", Kind: KindDomain, Domain: &DomainInfo{Base: num}}
	outer := &Type{Schema: "public", Name: "positive_amount", Kind: KindDomain, Domain: &DomainInfo{Base: inner}}
	if got := outer.Resolved(); got != num {
		t.Errorf("Resolved() = %+v, want numeric", got)
	}
	if !outer.Resolved().Is("numeric") || outer.Is("numeric") {
		t.Error("Is must match only the built-in type itself")
	}
	arr := &Type{Schema: "pg_catalog", Name: "_numeric", Kind: KindArray, Element: outer}
	list := &Type{Schema: "public", Name: "amounts", Kind: KindDomain, Domain: &DomainInfo{Base: arr}}
	if got := list.ArrayElement(); got != num {
		t.Errorf("ArrayElement() = %+v, want numeric", got)
	}
	if num.ArrayElement() != nil {
		t.Error("ArrayElement of a scalar is not nil")
	}
	var nilType *Type
	if nilType.Resolved() != nil {
		t.Error("Resolved of nil is not nil")
	}
}

func TestLookups(t *testing.T) {
	a := &Table{Schema: "s", Name: "a", Columns: []*Column{{Name: "id"}, {Name: "Name"}}}
	b := &Table{Schema: "t", Name: "b"}
	db := &Database{Schemas: []*Schema{{Name: "s", Tables: []*Table{a}}, {Name: "t", Tables: []*Table{b}}}}
	if db.Table("s", "a") != a || db.Table("t", "b") != b || db.Table("s", "b") != nil || db.Table("x", "a") != nil {
		t.Error("Database.Table lookups are wrong")
	}
	if a.Column("Name") == nil || a.Column("name") != nil {
		t.Error("Column lookup must be exact (PostgreSQL names are case-sensitive)")
	}
	var names []string
	for _, tb := range db.AllTables() {
		names = append(names, tb.QualifiedName().String())
	}
	if d := cmp.Diff([]string{"s.a", "t.b"}, names); d != "" {
		t.Errorf("AllTables (-want +got):\n%s", d)
	}
	v := Volumetrics{HeapBytes: 1, ToastBytes: 2, IndexBytes: 4}
	if v.TotalBytes() != 7 {
		t.Errorf("TotalBytes = %d", v.TotalBytes())
	}
}
