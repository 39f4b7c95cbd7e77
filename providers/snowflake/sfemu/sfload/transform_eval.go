package sfload

import (
	"encoding/hex"
	"fmt"
	"unicode/utf8"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// tkind is what an item's value is at a step of its conversion.
type tkind int

const (
	tvString  tkind = iota + 1 // a VARIANT string or a VARCHAR
	tvNative                   // a VARIANT of a Parquet logical/physical type (number, date, timestamp…)
	tvBinary                   // raw bytes (BYTE_ARRAY without a logical type, vectorized scanner)
	tvBinText                  // TO_BINARY's input text and format
	tvJSON                     // PARSE_JSON's result
	tvTyped                    // the result of a cast to a non-text type
)

type tvalue struct {
	kind   tkind
	text   []byte
	f      *pqField
	typ    sftype.Type
	format string // tvBinText
}

// transformRow converts one Parquet row through the items into l.row.
func (l *loader) transformRow(fields []pqField, index []int, text [][]byte, null []bool) *rowErr {
	l.row = l.row[:0]
	co := sftype.CoerceOptions{BinaryFormat: "HEX", TimeZone: l.opts.TimeZone} // casts ignore the file format's formats
	for ci, it := range l.opts.Transform {
		if ci > 0 {
			l.row = append(l.row, '\t')
		}
		fi := index[ci]
		if fi < 0 || null[fi] {
			// A missing field and a JSON null both become SQL NULL: every
			// step maps NULL to NULL.
			if e := l.value(ci, true, nil); e != nil {
				return e
			}
			continue
		}
		f := &fields[fi]
		v := tvalue{kind: tvNative, text: text[fi], f: f}
		switch {
		case f.str:
			v.kind = tvString
		case f.rawBinary():
			v.kind = tvBinary
		}
		for _, op := range it.Ops {
			var e *rowErr
			if v, e = l.apply(ci, it, v, op, &co); e != nil {
				return e
			}
		}
		if e := l.assign(ci, it, v); e != nil {
			return e
		}
	}
	l.row = append(l.row, '\n')
	return nil
}

func (l *loader) limit(ci int, it Item, format string, args ...any) *rowErr {
	return &rowErr{msg: fmt.Sprintf("emulator: unsupported in COPY transformation item %s: ", it.Text) + fmt.Sprintf(format, args...),
		code: sftype.CodeEmulatorLimit, state: "0A000", category: "conversion", col: ci}
}

func convErr(ci int, err error) *rowErr {
	e := &rowErr{msg: err.Error(), code: 100999, state: "22000", category: "conversion", col: ci}
	if ve, ok := err.(*sftype.ValueError); ok {
		e.code, e.state = ve.Code, ve.SQLState
	}
	return e
}

// apply runs one step. Casts are checked here, where Snowflake evaluates
// them; the value keeps the text it was cast from, and assign converts
// that text into the column.
func (l *loader) apply(ci int, it Item, v tvalue, op Op, co *sftype.CoerceOptions) (tvalue, *rowErr) {
	switch op.Kind {
	case OpCast:
		t := op.Type
		if t.Kind == sftype.Varchar {
			switch v.kind {
			case tvString, tvNative:
			default:
				return v, l.limit(ci, it, "cast of a %s value to VARCHAR", v.describe())
			}
			if utf8.RuneCount(v.text) > t.Length {
				return v, &rowErr{msg: fmt.Sprintf("String '%s' is too long and would be truncated", v.text),
					code: sftype.CodeStringTooLong, state: "22000", category: "conversion", col: ci}
			}
			return tvalue{kind: tvString, text: v.text}, nil
		}
		switch {
		case v.kind == tvJSON && (t.Kind == sftype.Variant || t.Kind == sftype.Object || t.Kind == sftype.Array),
			v.kind == tvBinary && t.Kind == sftype.Binary,
			v.kind == tvString || v.kind == tvNative:
		default:
			return v, l.limit(ci, it, "cast of a %s value to %s", v.describe(), t)
		}
		if v.kind != tvBinary {
			var err error
			if l.val, err = sftype.AppendCoerce(l.val[:0], t, v.text, co); err != nil {
				return v, convErr(ci, err)
			}
		}
		if v.kind == tvJSON || v.kind == tvBinary {
			v.typ = t
			return v, nil
		}
		return tvalue{kind: tvTyped, text: v.text, typ: t}, nil
	case OpParseJSON:
		if v.kind != tvString {
			return v, l.limit(ci, it, "PARSE_JSON of a %s value", v.describe())
		}
		var err error
		if l.val, err = sftype.AppendCoerce(l.val[:0], sftype.MustParse("VARIANT"), v.text, co); err != nil {
			return v, convErr(ci, err)
		}
		return tvalue{kind: tvJSON, text: v.text, typ: sftype.MustParse("VARIANT")}, nil
	case OpToBinary:
		if v.kind != tvString {
			return v, l.limit(ci, it, "TO_BINARY of a %s value", v.describe())
		}
		bco := *co
		bco.BinaryFormat = op.Format
		var err error
		if l.val, err = sftype.AppendCoerce(l.val[:0], sftype.MustParse("BINARY"), v.text, &bco); err != nil {
			return v, convErr(ci, err)
		}
		return tvalue{kind: tvBinText, text: v.text, format: op.Format}, nil
	}
	return v, l.limit(ci, it, "operation %d", op.Kind)
}

// assign converts the item's final value into its column, as an
// assignment (implicit cast) does.
func (l *loader) assign(ci int, it Item, v tvalue) *rowErr {
	ct := l.cols[ci].Type
	semi := ct.Kind == sftype.Variant || ct.Kind == sftype.Object || ct.Kind == sftype.Array
	switch v.kind {
	case tvString:
		if semi {
			// A string assigned to a VARIANT is a JSON string, not parsed:
			// that is what PARSE_JSON is for.
			return l.value(ci, false, appendJSONQuoted(nil, v.text))
		}
		return l.value(ci, false, v.text)
	case tvNative:
		if semi {
			if v.f.isJSONLiteral() {
				return l.value(ci, false, v.text)
			}
			return l.value(ci, false, appendJSONQuoted(nil, v.text))
		}
		return l.value(ci, false, v.text)
	case tvBinary:
		if ct.Kind != sftype.Binary {
			return l.limit(ci, it, "binary value into a %s column", ct)
		}
		return l.withBinaryFormat("HEX", func() *rowErr { return l.value(ci, false, []byte(hex.EncodeToString(v.text))) })
	case tvBinText:
		if ct.Kind != sftype.Binary {
			return l.limit(ci, it, "TO_BINARY result into a %s column", ct)
		}
		return l.withBinaryFormat(v.format, func() *rowErr { return l.value(ci, false, v.text) })
	case tvJSON:
		if !semi {
			return l.limit(ci, it, "semi-structured value into a %s column", ct)
		}
		return l.value(ci, false, v.text)
	case tvTyped:
		same := v.typ.Kind == ct.Kind && (ct.Kind == sftype.Binary || v.typ.String() == ct.String())
		if !same {
			return l.limit(ci, it, "a %s value into a %s column", v.typ, ct)
		}
		return l.value(ci, false, v.text)
	}
	return l.limit(ci, it, "value kind %d", v.kind)
}

func (l *loader) withBinaryFormat(f string, fn func() *rowErr) *rowErr {
	saved := l.co.BinaryFormat
	l.co.BinaryFormat = f
	defer func() { l.co.BinaryFormat = saved }()
	return fn()
}

func (v tvalue) describe() string {
	switch v.kind {
	case tvString:
		return "string"
	case tvNative:
		return "non-string VARIANT"
	case tvBinary:
		return "binary"
	case tvBinText:
		return "binary"
	case tvJSON:
		return "semi-structured"
	}
	return v.typ.String()
}

// appendJSONQuoted appends s as a JSON string literal.
func appendJSONQuoted(dst, s []byte) []byte {
	const hexdigits = "0123456789abcdef"
	dst = append(dst, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hexdigits[c>>4], hexdigits[c&15])
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
