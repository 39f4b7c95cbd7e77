package sfproxy

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestProxy(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "query") {
			b, _ := io.ReadAll(r.Body)
			if strings.Contains(string(b), "EXPIRED") {
				io.WriteString(w, `{"success":false,"code":"390112","message":"expired","data":{}}`)
				return
			}
		}
		io.WriteString(w, `{"success":true,"data":{}}`)
	}))
	defer up.Close()
	px := Start(t, strings.TrimPrefix(up.URL, "http://"), Hooks{
		Before: func(r Request) bool { return r.Statement == "DROPME" },
		Answer: func(r Request) []byte {
			if r.Statement == "COPY" {
				return Failure("100038", "22018", "refused")
			}
			return nil
		},
		After: func(r Request) bool { return r.Statement == "LOSE" },
	})
	host, port := px.HostPort()
	base := "http://" + host + ":" + strconv.Itoa(port)
	post := func(sql string) (string, error) {
		resp, err := http.Post(base+"/queries/v1/query-request", "application/json", strings.NewReader(`{"sqlText":"`+sql+`"}`))
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	for _, q := range []string{"PUT 'file://x' @s", "DROPME now", "COPY INTO t", "select EXPIRED", "LOSE it"} {
		body, err := post(q)
		t.Logf("%s: %q %v", q, body, err)
	}
	if resp, err := http.Post(base+"/session/v1/login-request", "application/json", strings.NewReader(`{}`)); err == nil {
		resp.Body.Close()
	}
	got := px.Requests()
	want := []Request{
		{Seq: 1, Endpoint: "query", Statement: "PUT", SQL: "PUT 'file://x' @s", Status: 200},
		{Seq: 2, Endpoint: "query", Statement: "DROPME", SQL: "DROPME now", Dropped: true},
		{Seq: 3, Endpoint: "query", Statement: "COPY", SQL: "COPY INTO t", Status: 200, Code: "100038"},
		{Seq: 4, Endpoint: "query", Statement: "SELECT", SQL: "select EXPIRED", Status: 200, Code: "390112"},
		{Seq: 5, Endpoint: "query", Statement: "LOSE", SQL: "LOSE it", Status: 200, Dropped: true},
		{Seq: 6, Endpoint: "login", Status: 200},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if n := len(px.Statements("COPY")); n != 1 {
		t.Errorf("Statements(COPY) = %d, want 1", n)
	}
}
