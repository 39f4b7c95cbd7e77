package sfemu

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Faults configures injected failures, so that clients' retry, renewal and
// resume paths run against real failures.
type Faults struct {
	Rules []FaultRule
	// Latency is added before every request is handled.
	Latency time.Duration
	// TokenTTL makes session tokens expire after this long (the driver then
	// gets 390112 and renews with the master token).
	TokenTTL time.Duration
}

// FaultRule fails matching requests.
type FaultRule struct {
	// Endpoint is "login", "query", "token", "heartbeat", "session", "abort",
	// "telemetry" or "" for any.
	Endpoint string
	// Statement matches the first word of a query request's SQL
	// ("COPY", "PUT", "SELECT", …; case-insensitive); "" for any.
	Statement string
	// Nth fails the Nth matching request (1-based) only; Every fails every
	// Every-th matching request. With neither set, every match fails.
	Nth, Every int
	// Mode is "503" (HTTP 503 Service Unavailable) or "drop" (the connection
	// is closed without an answer).
	Mode string
}

// Counters are what a test can read back.
type Counters struct {
	Requests map[string]int64 // by endpoint name
	Injected int64            // failures injected
	Renewals int64            // session token renewals served
}

type faultState struct {
	cfg      Faults
	mu       sync.Mutex
	matched  []int
	requests map[string]int64
	injected atomic.Int64
	renewals atomic.Int64
}

func newFaultState(cfg Faults) *faultState {
	return &faultState{cfg: cfg, matched: make([]int, len(cfg.Rules)), requests: map[string]int64{}}
}

// Counters returns a snapshot of request and fault counters.
func (s *Server) Counters() Counters {
	f := s.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	c := Counters{Requests: map[string]int64{}, Injected: f.injected.Load(), Renewals: f.renewals.Load()}
	for k, v := range f.requests {
		c.Requests[k] = v
	}
	return c
}

func endpointName(path string) string {
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

// decide counts the request and returns the fault mode to inject, if any.
func (f *faultState) decide(ep, stmt string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests[ep]++
	for i, r := range f.cfg.Rules {
		if r.Endpoint != "" && !strings.EqualFold(r.Endpoint, ep) {
			continue
		}
		if r.Statement != "" && !strings.EqualFold(r.Statement, stmt) {
			continue
		}
		f.matched[i]++
		n := f.matched[i]
		hit := (r.Nth == 0 && r.Every == 0) || (r.Nth > 0 && n == r.Nth) || (r.Every > 0 && n%r.Every == 0)
		if hit {
			return r.Mode
		}
	}
	return ""
}

func (f *faultState) wrap(next http.Handler, logf func(string, ...any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.cfg.Latency > 0 {
			time.Sleep(f.cfg.Latency)
		}
		ep := endpointName(r.URL.Path)
		stmt := ""
		if ep == "query" && len(f.cfg.Rules) > 0 {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, "read body", http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			var req struct {
				SQLText string `json:"sqlText"`
			}
			_ = jsonUnmarshal(body, &req)
			stmt = statementKind(req.SQLText)
		}
		switch f.decide(ep, stmt) {
		case "503":
			f.injected.Add(1)
			logf("sfemu: fault: 503 on %s %s", ep, stmt)
			http.Error(w, "injected fault", http.StatusServiceUnavailable)
			return
		case "drop":
			f.injected.Add(1)
			logf("sfemu: fault: dropped connection on %s %s", ep, stmt)
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					_ = conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		next.ServeHTTP(w, r)
	})
}
