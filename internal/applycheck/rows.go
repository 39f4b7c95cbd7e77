package applycheck

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/pgsnow/pgsnow/planner/plan"
	"github.com/pgsnow/pgsnow/providers/snowflake/ident"
)

// Rows compares every row of every table p loads, value by value, and
// returns the number of rows of each load (by address). Rows are
// compared as sorted multisets, so a row loaded twice or lost shows.
func Rows(t testing.TB, pg *pgx.Conn, sf *sql.DB, p *plan.Plan) map[string]int {
	t.Helper()
	// Timestamps with time zone print in UTC, as FIDELITY.md's canonical
	// form wants and as the extraction session does.
	if _, err := pg.Exec(context.Background(), "SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	total := 0
	for _, c := range p.Changes {
		if c.Load == nil {
			continue
		}
		want := SourceRows(t, pg, c.Load)
		got := TargetRows(t, sf, p, c.Load)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: rows differ (-source +snowflake):\n%s", c.Address, diff)
		}
		out[c.Address] = len(want)
		total += len(want)
	}
	t.Logf("compared %d tables, %d rows, every value", len(out), total)
	return out
}

// SourceRows are the table's rows in canonical text, sorted.
func SourceRows(t testing.TB, pg *pgx.Conn, ld *plan.LoadDetail) []string {
	t.Helper()
	var cols []string
	for _, m := range ld.Columns {
		c := pgx.Identifier{m.Source}.Sanitize()
		switch {
		case strings.HasPrefix(m.SourceType, "timestamp"):
			c = fmt.Sprintf("to_char(%s, 'YYYY-MM-DD HH24:MI:SS.US')", c)
		case m.SourceType == "boolean":
			c = c + "::int"
		case m.SourceType == "bytea":
			c = fmt.Sprintf("encode(%s, 'hex')", c)
		}
		cols = append(cols, c+"::text")
	}
	q := fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), pgx.Identifier{ld.Source.Schema, ld.Source.Table}.Sanitize())
	rows, err := pg.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]*string, len(cols))
		dst := make([]any, len(cols))
		for i := range vals {
			dst[i] = &vals[i]
		}
		if err := rows.Scan(dst...); err != nil {
			t.Fatal(err)
		}
		out = append(out, Row(vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TargetRows reads the same columns through gosnowflake, in the same
// canonical text.
func TargetRows(t testing.TB, sf *sql.DB, p *plan.Plan, ld *plan.LoadDetail) []string {
	t.Helper()
	tc := p.Change(ld.Target)
	if tc == nil {
		t.Fatalf("the plan has no change %s", ld.Target)
	}
	var cols []string
	for _, m := range ld.Columns {
		cols = append(cols, ident.Quote(m.Target))
	}
	q := fmt.Sprintf("SELECT %s FROM %s", strings.Join(cols, ", "), ident.Qualified(tc.Name...))
	return QueryRows(t, sf, q, func(col int, v any) string { return targetText(ld.Columns[col].TargetType, v) })
}

// QueryRows runs q on Snowflake and returns its rows in FIDELITY.md's row
// form, sorted, each non-NULL value written by canon (col is its index).
func QueryRows(t testing.TB, sf *sql.DB, q string, canon func(col int, v any) string) []string {
	t.Helper()
	rows, err := sf.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		raw := make([]any, len(cols))
		dst := make([]any, len(cols))
		for i := range raw {
			dst[i] = &raw[i]
		}
		if err := rows.Scan(dst...); err != nil {
			t.Fatal(err)
		}
		vals := make([]*string, len(cols))
		for i, v := range raw {
			if v == nil {
				continue
			}
			s := canon(i, v)
			vals[i] = &s
		}
		out = append(out, Row(vals))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// targetText is a Snowflake value in the canonical text of SourceRows.
func targetText(typ string, v any) string {
	switch v := v.(type) {
	case time.Time:
		if strings.HasPrefix(typ, "DATE") {
			return v.Format("2006-01-02")
		}
		return v.UTC().Format("2006-01-02 15:04:05.000000")
	case []byte:
		if strings.HasPrefix(typ, "BINARY") {
			return hex.EncodeToString(v)
		}
		return string(v)
	case bool:
		if v {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}

// Row is FIDELITY.md's row string: N for NULL, V<len>:<value>.
func Row(vals []*string) string {
	var b strings.Builder
	for _, v := range vals {
		if v == nil {
			b.WriteString("N")
			continue
		}
		fmt.Fprintf(&b, "V%d:%s", len(*v), *v)
	}
	return b.String()
}
