package sfemu

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/pgsnow/pgsnow/providers/snowflake/sfemu/sftype"
)

// colSource is what the metadata knows about a result column that comes
// straight from a table column.
type colSource struct {
	typ               sftype.Type
	notNull           bool
	db, schema, table string
}

// runQuery executes translated SQL on tx and returns the JSON rowset result.
func (se *session) runQuery(ctx context.Context, tx pgx.Tx, sql string) (*result, error) {
	rr := tx.Conn().PgConn().ExecParams(ctx, sql, nil, nil, nil, nil)
	fds := append([]pgconn.FieldDescription{}, rr.FieldDescriptions()...)
	var raw [][][]byte
	for rr.NextRow() {
		vals := rr.Values()
		row := make([][]byte, len(vals))
		for i, v := range vals {
			if v != nil {
				row[i] = append([]byte{}, v...)
			}
		}
		raw = append(raw, row)
	}
	if _, err := rr.Close(); err != nil {
		return nil, err
	}
	srcs, err := columnSources(ctx, tx, fds)
	if err != nil {
		return nil, err
	}
	res := &result{stmtType: stmtSelect}
	kinds := make([]sftype.Type, len(fds))
	for i, fd := range fds {
		var t sftype.Type
		rt := rowType{Name: fd.Name, Nullable: true}
		if src, ok := srcs[i]; ok {
			t = src.typ
			rt.Nullable = !src.notNull
			rt.Database, rt.Schema, rt.Table = src.db, src.schema, src.table
		} else {
			t = typeFromPG(fd.DataTypeOID, fd.TypeModifier)
			if t.Kind == sftype.Number && fd.DataTypeOID == 1700 && fd.TypeModifier < 0 {
				t.Scale = maxScale(raw, i)
			}
		}
		kinds[i] = t
		res.cols = append(res.cols, rowTypeFor(rt, t))
	}
	res.rows = make([][]*string, len(raw))
	for r, row := range raw {
		out := make([]*string, len(row))
		for i, v := range row {
			if v == nil {
				continue
			}
			s, err := encodeCell(kinds[i], string(v))
			if err != nil {
				return nil, err
			}
			out[i] = &s
		}
		res.rows[r] = out
	}
	return res, nil
}

func maxScale(raw [][][]byte, col int) int {
	m := 0
	for _, row := range raw {
		if v := row[col]; v != nil {
			if i := strings.IndexByte(string(v), '.'); i >= 0 {
				m = max(m, len(v)-i-1)
			}
		}
	}
	return min(m, 37)
}

func i64(v int) *int64 { x := int64(v); return &x }

func rowTypeFor(rt rowType, t sftype.Type) rowType {
	rt.Type = t.RowType()
	switch t.Kind {
	case sftype.Number:
		rt.Precision, rt.Scale = i64(t.Precision), i64(t.Scale)
	case sftype.Varchar, sftype.Geography, sftype.Geometry:
		rt.Length, rt.ByteLength = i64(t.Length), i64(min(t.Length*4, 16777216))
		if t.Length == 0 {
			rt.Length, rt.ByteLength = i64(16777216), i64(16777216)
		}
	case sftype.Binary:
		rt.Length, rt.ByteLength = i64(t.Length), i64(t.Length)
	case sftype.Time, sftype.TimestampNTZ, sftype.TimestampLTZ, sftype.TimestampTZ:
		rt.Precision, rt.Scale = i64(0), i64(t.Precision)
	case sftype.Variant, sftype.Object, sftype.Array:
		rt.Length, rt.ByteLength = i64(16777216), i64(16777216)
	}
	return rt
}

// columnSources finds the Snowflake type of result columns that are plain
// table columns, so the rowtype says VARCHAR(5) or TIMESTAMP_TZ rather than
// what the backing PostgreSQL type would suggest.
func columnSources(ctx context.Context, tx pgx.Tx, fds []pgconn.FieldDescription) (map[int]colSource, error) {
	var oids []uint32
	var nums []int32
	for _, fd := range fds {
		if fd.TableOID != 0 {
			oids = append(oids, fd.TableOID)
			nums = append(nums, int32(fd.TableAttributeNumber))
		}
	}
	out := map[int]colSource{}
	if len(oids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT k.rel, k.att, m.sftype, a.attnotnull, s.db, s.name, m.tbl
		FROM unnest($1::oid[], $2::int2[]) AS k(rel, att)
		JOIN pg_class c ON c.oid = k.rel JOIN pg_namespace n ON n.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = k.rel AND a.attnum = k.att
		JOIN sfemu_meta.columns m ON m.pgschema = n.nspname AND m.tbl = c.relname AND m.name = a.attname
		JOIN sfemu_meta.schemas s ON s.pgschema = n.nspname`, oids, nums)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		rel uint32
		att int16
	}
	found := map[key]colSource{}
	for rows.Next() {
		var k key
		var ts string
		var src colSource
		if err := rows.Scan(&k.rel, &k.att, &ts, &src.notNull, &src.db, &src.schema, &src.table); err != nil {
			return nil, err
		}
		t, err := sftype.Parse(ts)
		if err != nil {
			return nil, err
		}
		src.typ = t
		found[k] = src
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, fd := range fds {
		if src, ok := found[key{fd.TableOID, int16(fd.TableAttributeNumber)}]; ok {
			// Only when the column's PostgreSQL type is unchanged (not an expression over it).
			out[i] = src
		}
	}
	return out, nil
}

// typeFromPG maps a PostgreSQL result type to the Snowflake type an
// equivalent Snowflake expression would have.
func typeFromPG(oid uint32, typmod int32) sftype.Type {
	switch oid {
	case 16:
		return sftype.Type{Kind: sftype.Boolean}
	case 20:
		return sftype.Type{Kind: sftype.Number, Precision: 18}
	case 21, 23, 26:
		return sftype.Type{Kind: sftype.Number, Precision: 38}
	case 1700:
		if typmod < 4 {
			return sftype.Type{Kind: sftype.Number, Precision: 38}
		}
		return sftype.Type{Kind: sftype.Number, Precision: int((typmod - 4) >> 16 & 0xffff), Scale: int((typmod - 4) & 0xffff)}
	case 700, 701:
		return sftype.Type{Kind: sftype.Float}
	case 17:
		return sftype.Type{Kind: sftype.Binary, Length: 8388608}
	case 1082:
		return sftype.Type{Kind: sftype.Date}
	case 1083:
		return sftype.Type{Kind: sftype.Time, Precision: precOf(typmod)}
	case 1114:
		return sftype.Type{Kind: sftype.TimestampNTZ, Precision: precOf(typmod)}
	case 1184:
		return sftype.Type{Kind: sftype.TimestampLTZ, Precision: precOf(typmod)}
	case 114, 3802:
		return sftype.Type{Kind: sftype.Variant}
	case 2950:
		return sftype.Type{Kind: sftype.Varchar, Length: 36}
	case 1043, 1042:
		if typmod > 4 {
			return sftype.Type{Kind: sftype.Varchar, Length: int(typmod - 4)}
		}
	}
	return sftype.Type{Kind: sftype.Varchar, Length: 16777216}
}

func precOf(typmod int32) int {
	if typmod < 0 {
		return 9
	}
	return int(typmod)
}

// encodeCell turns PostgreSQL's text output into the string gosnowflake's
// JSON converter expects for the column's rowtype (converter.go stringToValue).
func encodeCell(t sftype.Type, v string) (string, error) {
	switch t.Kind {
	case sftype.Float:
		switch v {
		case "Infinity":
			return "inf", nil
		case "-Infinity":
			return "-inf", nil
		}
		return v, nil
	case sftype.Boolean:
		if v == "t" {
			return "1", nil
		}
		return "0", nil
	case sftype.Binary:
		return strings.ToUpper(strings.TrimPrefix(v, `\x`)), nil
	case sftype.Date:
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			return "", fmt.Errorf("date %q out of the emulator's range: %w", v, err)
		}
		return strconv.FormatInt(d.Unix()/86400, 10), nil
	case sftype.Time:
		d, err := time.Parse("15:04:05.999999999", v)
		if err != nil {
			return "", err
		}
		secs := d.Hour()*3600 + d.Minute()*60 + d.Second()
		return fmt.Sprintf("%d.%09d", secs, d.Nanosecond()), nil
	case sftype.TimestampNTZ:
		ts, err := time.Parse("2006-01-02 15:04:05.999999999", v)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%d.%09d", ts.Unix(), ts.Nanosecond()), nil
	case sftype.Variant, sftype.Object, sftype.Array:
		return indentJSON(v)
	case sftype.TimestampLTZ, sftype.TimestampTZ:
		ts, err := parseTZ(v)
		if err != nil {
			return "", err
		}
		s := fmt.Sprintf("%d.%09d", ts.Unix(), ts.Nanosecond())
		if t.Kind == sftype.TimestampTZ {
			_, off := ts.Zone()
			s += " " + strconv.Itoa(off/60+1440)
		}
		return s, nil
	}
	return v, nil
}

func parseTZ(v string) (time.Time, error) {
	var err error
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07", "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999-07:00:00"} {
		var ts time.Time
		if ts, err = time.Parse(layout, v); err == nil {
			return ts, nil
		}
	}
	return time.Time{}, err
}

// indentJSON prints semi-structured values the way Snowflake's JSON result
// format does: keys sorted, two-space indentation (JSON_INDENT = 2), numbers
// exactly as stored.
func indentJSON(v string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(v))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return "", err
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// hexUpper is Snowflake's default BINARY_OUTPUT_FORMAT.
func hexUpper(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }
