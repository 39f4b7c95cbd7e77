package postgres

import (
	"strings"

	"github.com/pgsnow/pgsnow/providers/catalog"
)

// typeRow is one pg_type row from qTypes.
type typeRow struct {
	oid           uint32
	schema, name  string
	typtype       string
	category      string
	formatted     string // format_type(oid, NULL)
	elem          uint32
	base          uint32
	baseTypmod    int32
	ndims         int32
	notNull       bool
	dflt          string
	baseDeclared  string
	extension     string
	enumLabels    []string
	checkNames    []string
	checkDefs     []string
	fieldNames    []string
	fieldTypes    []uint32
	fieldMods     []int32
	fieldDecl     []string
	rangeSub      uint32
	comment       string
	freeComposite bool
	inSelected    bool
}

// typeBuilder turns pg_type rows into catalog.Type trees.
type typeBuilder struct {
	rows map[uint32]*typeRow
}

var categories = map[string]catalog.TypeCategory{
	"A": catalog.CategoryArray, "B": catalog.CategoryBoolean, "C": catalog.CategoryComposite,
	"D": catalog.CategoryDateTime, "E": catalog.CategoryEnum, "G": catalog.CategoryGeometric,
	"I": catalog.CategoryNetwork, "N": catalog.CategoryNumeric, "P": catalog.CategoryPseudo,
	"R": catalog.CategoryRange, "S": catalog.CategoryString, "T": catalog.CategoryTimespan,
	"U": catalog.CategoryUser, "V": catalog.CategoryBitString, "X": catalog.CategoryUnknown,
	"Z": catalog.CategoryInternal,
}

// build returns the type oid with modifier typmod; declared is
// format_type(oid, typmod) when known ("" to derive it).
func (b *typeBuilder) build(oid uint32, typmod int32, declared string, depth int) *catalog.Type {
	r := b.rows[oid]
	if r == nil || depth > 32 {
		// Not expected: qTypes follows every reference. Keep what we know.
		return &catalog.Type{Declared: declared, Kind: catalog.KindBase, Category: catalog.CategoryUnknown}
	}
	if declared == "" {
		declared = r.formatted
	}
	t := &catalog.Type{
		Declared:  declared,
		Schema:    r.schema,
		Name:      r.name,
		Category:  categories[r.category],
		Extension: r.extension,
	}
	if t.Category == "" {
		t.Category = catalog.CategoryUser
	}
	switch {
	case r.elem != 0:
		t.Kind = catalog.KindArray
		// format_type prints an array as its element followed by "[]".
		t.Element = b.build(r.elem, typmod, strings.TrimSuffix(declared, "[]"), depth+1)
	case r.typtype == "e":
		t.Kind = catalog.KindEnum
		t.EnumLabels = append([]string{}, r.enumLabels...)
	case r.typtype == "d":
		t.Kind = catalog.KindDomain
		t.Domain = &catalog.DomainInfo{
			Base:    b.build(r.base, r.baseTypmod, r.baseDeclared, depth+1),
			NotNull: r.notNull,
			Default: r.dflt,
		}
		if t.Domain.Base.Kind == catalog.KindArray && r.ndims > 0 {
			t.Domain.Base.Dims = int(r.ndims)
		}
		for i := range r.checkNames {
			t.Domain.Checks = append(t.Domain.Checks, catalog.Check{Name: r.checkNames[i], Expression: r.checkDefs[i]})
		}
	case r.typtype == "c":
		t.Kind = catalog.KindComposite
		t.Fields = b.fields(r, depth)
	case r.typtype == "r":
		t.Kind = catalog.KindRange
		if r.rangeSub != 0 {
			t.RangeSubtype = b.build(r.rangeSub, -1, "", depth+1)
		}
	case r.typtype == "m":
		t.Kind = catalog.KindMultirange
		if r.rangeSub != 0 {
			t.RangeSubtype = b.build(r.rangeSub, -1, "", depth+1)
		}
	case r.typtype == "p":
		t.Kind = catalog.KindPseudo
	default:
		t.Kind = catalog.KindBase
		applyTypmod(t, typmod)
	}
	return t
}

func (b *typeBuilder) fields(r *typeRow, depth int) []catalog.Field {
	out := make([]catalog.Field, 0, len(r.fieldNames))
	for i, n := range r.fieldNames {
		out = append(out, catalog.Field{Name: n, Type: b.build(r.fieldTypes[i], r.fieldMods[i], r.fieldDecl[i], depth+1)})
	}
	return out
}

func intp(v int) *int { return &v }

// applyTypmod decodes atttypmod for the built-in types that have
// modifiers (the encodings of PostgreSQL's *typmodin functions).
func applyTypmod(t *catalog.Type, typmod int32) {
	if t.Schema != "pg_catalog" || typmod < 0 {
		return
	}
	switch t.Name {
	case "numeric":
		if typmod < 4 {
			return
		}
		m := typmod - 4
		t.Precision = intp(int((m >> 16) & 0xffff))
		// PostgreSQL 15 allows a negative scale: 11-bit two's complement.
		t.Scale = intp(int(((m & 0x7ff) ^ 0x400) - 0x400))
	case "varchar", "bpchar":
		if typmod >= 4 {
			t.Length = intp(int(typmod - 4))
		}
	case "bit", "varbit":
		t.Length = intp(int(typmod))
	case "time", "timetz", "timestamp", "timestamptz":
		t.TimePrecision = intp(int(typmod))
	case "interval":
		if p := typmod & 0xffff; p != 0xffff {
			t.TimePrecision = intp(int(p))
		}
		t.IntervalFields = intervalFields[int((typmod>>16)&0x7fff)]
	}
}

// intervalFields maps the INTERVAL_MASK bits of an interval typmod
// (YEAR=1<<2, MONTH=1<<1, DAY=1<<3, HOUR=1<<10, MINUTE=1<<11, SECOND=1<<12).
var intervalFields = map[int]string{
	1 << 2:                       "YEAR",
	1 << 1:                       "MONTH",
	1 << 3:                       "DAY",
	1 << 10:                      "HOUR",
	1 << 11:                      "MINUTE",
	1 << 12:                      "SECOND",
	1<<2 | 1<<1:                  "YEAR TO MONTH",
	1<<3 | 1<<10:                 "DAY TO HOUR",
	1<<3 | 1<<10 | 1<<11:         "DAY TO MINUTE",
	1<<3 | 1<<10 | 1<<11 | 1<<12: "DAY TO SECOND",
	1<<10 | 1<<11:                "HOUR TO MINUTE",
	1<<10 | 1<<11 | 1<<12:        "HOUR TO SECOND",
	1<<11 | 1<<12:                "MINUTE TO SECOND",
}
