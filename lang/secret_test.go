package lang

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("hunter2")
	type holder struct {
		Password Secret
		Nested   struct{ DSN Secret }
	}
	h := holder{Password: s}
	h.Nested.DSN = s
	outs := []string{
		s.String(), s.GoString(),
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %X %d", s, s, s, s, s, s, s, s),
		fmt.Sprintf("%v %+v %#v", h, h, &h),
		fmt.Errorf("connect: %w", errors.New(fmt.Sprint(s))).Error(),
	}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, string(b))
	txt, _ := s.MarshalText()
	outs = append(outs, string(txt))
	var logBuf bytes.Buffer
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("x", "password", s, "holder", h)
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("x", "password", s)
	outs = append(outs, logBuf.String())
	for _, o := range outs {
		if strings.Contains(o, "hunter2") {
			t.Errorf("secret leaked: %s", o)
		}
		if !strings.Contains(o, "(sensitive)") {
			t.Errorf("output lacks the mask: %s", o)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Error("Reveal does not return the value")
	}
	if Secret("").String() != "" || !s.IsSet() || Secret("").IsSet() {
		t.Error("empty secret handling")
	}
}

func TestRedactDSN(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://app:pw@db:5432/app?sslmode=require", "postgres://app@db:5432/app?sslmode=require"},
		{"postgresql://app@db/app", "postgresql://app@db/app"},
		{"postgres://db/app?password=pw&sslmode=disable", "postgres://db/app?sslmode=disable"},
		{"postgres://app:p%40ss@db/app", "postgres://app@db/app"},
		{"host=db user=app password=pw dbname=app", "host=db user=app dbname=app"},
		{"host=db password='p w\\'x' sslpassword=k user=app", "host=db user=app"},
		{"host = db  user=  'a b'", "host=db user='a b'"},
		{"host=db password='unterminated", "(sensitive)"},
		{"postgres://app:pw@[::1", "postgres://(sensitive)"},
	}
	for _, tc := range tests {
		got := RedactDSN(tc.in)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("RedactDSN(%q) (-want +got):\n%s", tc.in, diff)
		}
		if strings.Contains(got, "pw") || strings.Contains(got, "p w") {
			t.Errorf("RedactDSN(%q) = %q still holds the password", tc.in, got)
		}
	}
	src := &Source{Host: "db", Port: 5433, Database: "app", User: "u", Password: "pw", SSLMode: "require"}
	if got, want := src.ConnString().Reveal(), "postgres://u:pw@db:5433/app?sslmode=require"; got != want {
		t.Errorf("ConnString = %q, want %q", got, want)
	}
	if got, want := src.RedactedDSN(), "postgres://u@db:5433/app?sslmode=require"; got != want {
		t.Errorf("RedactedDSN = %q, want %q", got, want)
	}
}

func TestCheckDSNNeverQuotes(t *testing.T) {
	for _, dsn := range []string{"postgres://u:pw@[::1", "mysql://u:pw@h/db", "host=h password='pw", "pw", " "} {
		err := checkDSN(dsn)
		if err == nil {
			t.Errorf("checkDSN(%q): want an error", dsn)
			continue
		}
		if strings.Contains(err.Error(), "pw") {
			t.Errorf("checkDSN(%q) = %q quotes the DSN", dsn, err)
		}
	}
}
