package ident

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMap(t *testing.T) {
	tests := []struct {
		name string
		mode CaseMode
		want string
	}{
		{"customer", Upper, "CUSTOMER"},
		{"_tmp$1", Upper, "_TMP$1"},
		{"order_items2", Upper, "ORDER_ITEMS2"},
		{"CamelCase", Upper, "CamelCase"},
		{"Order", Upper, "Order"},
		{"ORDER", Upper, "ORDER"},
		{"1abc", Upper, "1abc"}, // starts with a digit: PostgreSQL needed quotes, keep it
		{"with space", Upper, "with space"},
		{"été", Upper, "été"}, // non-ASCII is outside the folded pattern
		{"$x", Upper, "$x"},
		{"", Upper, ""},
		{"customer", Preserve, "customer"},
		{"CamelCase", Preserve, "CamelCase"},
	}
	for _, tt := range tests {
		if got := Map(tt.name, tt.mode); got != tt.want {
			t.Errorf("Map(%q, %s) = %q, want %q", tt.name, tt.mode, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	tests := map[string]string{
		"ORDER":      `"ORDER"`,
		"CamelCase":  `"CamelCase"`,
		`a"b`:        `"a""b"`,
		`""`:         `""""""`,
		"with space": `"with space"`,
		"":           `""`,
	}
	for in, want := range tests {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
	if got, want := Qualified("DB", "public", `x"y`), `"DB"."public"."x""y"`; got != want {
		t.Errorf("Qualified = %s, want %s", got, want)
	}
}

func TestReserved(t *testing.T) {
	for _, w := range []string{"select", "SELECT", "Order", "qualify", "try_cast", "current_date", "minus", "asof", "match_condition"} {
		if !IsReserved(w) {
			t.Errorf("IsReserved(%q) = false, want true", w)
		}
	}
	for _, w := range []string{"customer", "a", "b", "date", "char", "name", "id", "user"} {
		if IsReserved(w) {
			t.Errorf("IsReserved(%q) = true, want false (%s)", w, ReservedReason(w))
		}
	}
	if ReservedReason("cross") == "" {
		t.Error("ReservedReason(cross) is empty")
	}
	kw := Keywords()
	if len(kw) < 80 || kw[0] != "ACCOUNT" {
		t.Errorf("Keywords() = %d words starting %q", len(kw), kw[0])
	}
}

func TestCollisions(t *testing.T) {
	names := []string{"order", "ORDER", "Order", "customer", "CUSTOMER", "CamelCase", "camelcase", "x"}
	got := Collisions(names, Upper)
	want := []Collision{
		{Target: "CUSTOMER", Sources: []string{"CUSTOMER", "customer"}},
		{Target: "ORDER", Sources: []string{"ORDER", "order"}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Collisions(upper) mismatch (-want +got):\n%s", d)
	}
	if got := Collisions(names, Preserve); len(got) != 0 {
		t.Errorf("Collisions(preserve) = %v, want none", got)
	}
	// Duplicates of the same source name are not a collision.
	if got := Collisions([]string{"a", "a"}, Upper); len(got) != 0 {
		t.Errorf("Collisions(dup) = %v, want none", got)
	}
}

func TestParseCaseMode(t *testing.T) {
	for in, want := range map[string]CaseMode{"": Upper, "upper": Upper, "preserve": Preserve} {
		got, err := ParseCaseMode(in)
		if err != nil || got != want {
			t.Errorf("ParseCaseMode(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseCaseMode("lower"); err == nil {
		t.Error("ParseCaseMode(lower) succeeded")
	}
}
