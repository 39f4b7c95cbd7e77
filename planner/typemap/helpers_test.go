package typemap

import (
	"github.com/pgsnow/pgsnow/providers/catalog"
)

func ip(n int) *int { return &n }

// pgType builds a built-in type by internal name with its declared text.
func pgType(name, declared string) *catalog.Type {
	return &catalog.Type{Declared: declared, Schema: "pg_catalog", Name: name, Kind: catalog.KindBase}
}

func numericT(p, s *int) *catalog.Type {
	t := pgType("numeric", "numeric")
	t.Precision, t.Scale = p, s
	if p != nil {
		t.Declared = "numeric(" + itoa(*p) + "," + itoa(*s) + ")"
	}
	return t
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func withLen(t *catalog.Type, n int) *catalog.Type { t.Length = &n; return t }

func arrayOf(el *catalog.Type) *catalog.Type {
	return &catalog.Type{Declared: el.Declared + "[]", Schema: "pg_catalog", Name: "_" + el.Name, Kind: catalog.KindArray, Element: el, Dims: 1}
}

// oneTable wraps columns in a database with one profiled table public.t.
func oneTable(method catalog.ProfileMethod, cols ...*catalog.Column) *catalog.Database {
	t := &catalog.Table{Schema: "public", Name: "t", Kind: catalog.TableRegular, Columns: cols}
	if method != "" {
		t.Profile = &catalog.TableProfile{Method: method}
	}
	return &catalog.Database{Name: "db", Schemas: []*catalog.Schema{{Name: "public", Tables: []*catalog.Table{t}}}}
}

func col(name string, t *catalog.Type, p *catalog.ColumnProfile) *catalog.Column {
	return &catalog.Column{Name: name, Position: 1, Type: t, Profile: p}
}
