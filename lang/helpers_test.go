package lang

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		err  string
	}{
		{in: "200MB", want: 200_000_000},
		{in: "200mb", want: 200_000_000},
		{in: "1GiB", want: 1 << 30},
		{in: "1.5GiB", want: 1610612736},
		{in: "512 KiB", want: 512 << 10},
		{in: "5GB", want: 5_000_000_000},
		{in: "1048576", want: 1048576},
		{in: "10B", want: 10},
		{in: "0.5B", err: "whole number"},
		{in: "200 megabytes", err: "not a size"},
		{in: "-1MB", err: "not a size"},
		{in: "MB", err: "not a size"},
		{in: "1..2MB", err: "not a size"},
		{in: "", err: "not a size"},
		{in: "99999999999TB", err: "too large"},
	}
	for _, tc := range tests {
		got, err := ParseByteSize(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseByteSize(%q) = %d, %v; want error containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for n, want := range map[int64]string{200_000_000: "200MB", 1 << 30: "1GiB", 1536: "1536B", 3 << 20: "3MiB", 0: "0B"} {
		if got := FormatByteSize(n); got != want {
			t.Errorf("FormatByteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseTableAddress(t *testing.T) {
	tests := []struct {
		in   string
		want TableAddress
		err  string
	}{
		{in: "app.public.orders", want: TableAddress{"app", "public", "orders"}},
		{in: `app.Sales."odd.name"`, want: TableAddress{"app", "Sales", "odd.name"}},
		{in: `app."my ""quoted"" schema".t`, want: TableAddress{"app", `my "quoted" schema`, "t"}},
		{in: "app.public", err: "three parts"},
		{in: "a.b.c.d", err: "three parts"},
		{in: "app..orders", err: "empty schema"},
		{in: ".public.orders", err: "empty source"},
		{in: "app.public.tmp_*", err: "glob character"},
		{in: "app.public.t[12]", err: "glob character"},
		{in: `app.public."open`, err: "unterminated"},
		{in: `app.public."a"b`, err: "unexpected text"},
		{in: `app.pub"lic.t`, err: "misplaced double quote"},
	}
	for _, tc := range tests {
		got, err := ParseTableAddress(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseTableAddress(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseTableAddress(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseTableAddress(%q) (-want +got):\n%s", tc.in, diff)
		}
		again, err := ParseTableAddress(got.String())
		if err != nil || again != got {
			t.Errorf("round trip of %q via %q = %v, %v", tc.in, got.String(), again, err)
		}
	}
}

func TestCheckWhere(t *testing.T) {
	ok := []string{
		"created_at >= '2020-01-01'",
		"(a = 1 OR b = 'x;y') AND c <> 'it''s'",
		`"Weird;Col" IS NOT NULL`,
		"price - 1 > 0",
		"a / 2 > 1",
	}
	for _, w := range ok {
		if msg := checkWhere(w); msg != "" {
			t.Errorf("checkWhere(%q) = %q, want ok", w, msg)
		}
	}
	bad := map[string]string{
		"1=1; DROP TABLE x": "';'",
		"a = 1) OR (1=1":    "unbalanced ')'",
		"(a = 1":            "unbalanced '('",
		"a = 'x":            "unterminated quote",
		"a = 1 -- c":        "-- comment",
		"a = 1 /* c */":     "/* comment",
		"a = $$x$$":         "dollar quoting",
		"a = $tag$x$tag$":   "dollar quoting",
	}
	for w, want := range bad {
		if msg := checkWhere(w); !strings.Contains(msg, want) {
			t.Errorf("checkWhere(%q) = %q, want it to mention %q", w, msg, want)
		}
	}
}

func TestCanonicalPostgresType(t *testing.T) {
	for in, want := range map[string]string{
		"int4": "integer", "INTEGER": "integer", "timestamptz": "timestamp with time zone",
		"Timestamp  With Time Zone": "timestamp with time zone", "varchar": "character varying",
		"money": "money", "billing.Currency": "billing.Currency", `"MyType"`: `"MyType"`,
	} {
		if got := CanonicalPostgresType(in); got != want {
			t.Errorf("CanonicalPostgresType(%q) = %q, want %q", in, got, want)
		}
	}
}
