package sfproxy

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Request is one request seen by the proxy.
type Request struct {
	Seq       int    // 1-based order of arrival
	Endpoint  string // "login", "query", "token", "session", "heartbeat", "abort", "telemetry", "other"
	Statement string // a query's first word, upper case ("PUT", "COPY", …)
	SQL       string // a query's text
	Status    int    // HTTP status of the answer; 0 when there was none
	Code      string // the Snowflake error code of a failed answer ("390112", …)
	Dropped   bool   // the connection was closed without an answer
}

// Hooks act on requests. Before runs before the request is forwarded;
// when it returns true the request is not forwarded and the client's
// connection is closed, as on a network failure. Answer runs next; a
// non-nil body is sent back (HTTP 200, JSON) instead of forwarding, e.g.
// a Snowflake error made with Failure. After runs once the upstream
// answered (or failed), before the client gets the answer; when it
// returns true the client's connection is closed instead.
type Hooks struct {
	Before func(Request) (drop bool)
	Answer func(Request) (body []byte)
	After  func(Request) (drop bool)
}

// Failure is a query answer in Snowflake's error shape (HTTP 200,
// success false), as the driver reads it.
func Failure(code, sqlState, message string) []byte {
	return mustJSON(map[string]any{"data": map[string]any{"sqlState": sqlState}, "code": code,
		"message": message, "success": false, "headers": nil})
}

// Proxy forwards to an upstream (the emulator) and records.
type Proxy struct {
	ln    net.Listener
	srv   *http.Server
	hooks Hooks

	mu       sync.Mutex
	upstream *url.URL
	reqs     []Request
}

// Start listens on a free local port, forwarding to upstream
// ("host:port"), and stops when the test ends.
func Start(t testing.TB, upstream string, hooks Hooks) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{ln: ln, hooks: hooks}
	p.SetUpstream(upstream)
	rp := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			p.mu.Lock()
			r.SetURL(p.upstream)
			p.mu.Unlock()
		},
		ModifyResponse: p.answered,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// Pass a dropped upstream connection on as one: a 502 would
			// be a different fault.
			rec := p.finish(r, func(q *Request) { q.Dropped = true })
			if p.hooks.After != nil {
				p.hooks.After(rec)
			}
			panic(http.ErrAbortHandler)
		},
	}
	p.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := p.arrive(r)
		if p.hooks.Before != nil && p.hooks.Before(req) {
			p.finish(r, func(q *Request) { q.Dropped = true })
			panic(http.ErrAbortHandler)
		}
		if p.hooks.Answer != nil {
			if body := p.hooks.Answer(req); body != nil {
				var a struct {
					Code string `json:"code"`
				}
				_ = json.Unmarshal(body, &a)
				p.finish(r, func(q *Request) { q.Status, q.Code = http.StatusOK, a.Code })
				w.Header().Set("Content-Type", "application/json")
				w.Write(body)
				return
			}
		}
		rp.ServeHTTP(w, r)
	})}
	go p.srv.Serve(ln)
	t.Cleanup(func() { p.srv.Close() })
	return p
}

// SetUpstream points the proxy at another emulator ("host:port").
func (p *Proxy) SetUpstream(hostport string) {
	p.mu.Lock()
	p.upstream = &url.URL{Scheme: "http", Host: hostport}
	p.mu.Unlock()
}

// HostPort is the address clients connect to.
func (p *Proxy) HostPort() (string, int) {
	a := p.ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

// Requests returns what the proxy has seen so far, in order of arrival.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.reqs...)
}

// Statements returns the recorded query requests whose statement is stmt.
func (p *Proxy) Statements(stmt string) []Request {
	var out []Request
	for _, r := range p.Requests() {
		if r.Endpoint == "query" && r.Statement == stmt {
			out = append(out, r)
		}
	}
	return out
}

type seqKey struct{}

// arrive records a request and tags it with its sequence number.
func (p *Proxy) arrive(r *http.Request) Request {
	req := Request{Endpoint: endpoint(r.URL.Path)}
	if req.Endpoint == "query" {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var q struct {
			SQLText string `json:"sqlText"`
		}
		_ = json.Unmarshal(body, &q)
		req.SQL = q.SQLText
		if f := strings.Fields(q.SQLText); len(f) > 0 {
			req.Statement = strings.ToUpper(f[0])
		}
	}
	p.mu.Lock()
	req.Seq = len(p.reqs) + 1
	p.reqs = append(p.reqs, req)
	p.mu.Unlock()
	r.Header.Set("X-Sfproxy-Seq", strconv.Itoa(req.Seq))
	return req
}

// finish updates the record of r and returns it.
func (p *Proxy) finish(r *http.Request, set func(*Request)) Request {
	seq, _ := strconv.Atoi(r.Header.Get("X-Sfproxy-Seq"))
	p.mu.Lock()
	defer p.mu.Unlock()
	if seq < 1 || seq > len(p.reqs) {
		return Request{}
	}
	set(&p.reqs[seq-1])
	return p.reqs[seq-1]
}

// answered records the upstream's answer and runs the After hook.
func (p *Proxy) answered(resp *http.Response) error {
	var code string
	if resp.StatusCode == http.StatusOK && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		var a struct {
			Success bool   `json:"success"`
			Code    any    `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &a) == nil && !a.Success && a.Code != nil {
			code = strings.Trim(string(mustJSON(a.Code)), `"`)
		}
	}
	rec := p.finish(resp.Request, func(q *Request) { q.Status, q.Code = resp.StatusCode, code })
	if p.hooks.After != nil && p.hooks.After(rec) {
		p.finish(resp.Request, func(q *Request) { q.Dropped = true })
		resp.Body.Close()
		panic(http.ErrAbortHandler)
	}
	return nil
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// endpoint names a Snowflake REST path as sfemu's fault rules do.
func endpoint(path string) string {
	switch path {
	case "/session/v1/login-request":
		return "login"
	case "/queries/v1/query-request":
		return "query"
	case "/session/token-request":
		return "token"
	case "/session/heartbeat":
		return "heartbeat"
	case "/session":
		return "session"
	case "/queries/v1/abort-request":
		return "abort"
	case "/telemetry/send":
		return "telemetry"
	}
	return "other"
}
