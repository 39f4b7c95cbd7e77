package sfemu

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Config configures an emulator. PostgresDSN and StageDir are required.
type Config struct {
	// PostgresDSN is the backing database. The emulator creates its metadata
	// schema and helper functions there on start.
	PostgresDSN string
	// StageDir holds internal stage files (one sub-directory per stage).
	StageDir string
	// Accounts lists accepted account names (case-insensitive); empty accepts any.
	Accounts []string
	// Users that may log in.
	Users []User
	// OAuthTokens maps an accepted OAuth access token to the user it belongs
	// to; these never expire (Server.GrantOAuthToken adds ones that do).
	OAuthTokens map[string]string
	// SessionValidity is the lifetime of a session token (default 1h);
	// Faults.TokenTTL overrides it for expiry tests.
	SessionValidity time.Duration
	// PutTransport is how PUT delivers files: "http" (default; the driver
	// uploads to presigned URLs on the emulator, client-side encrypted as for
	// a GCS stage; PUT from a stream works) or "local" (LOCAL_FS: the driver
	// copies into StageDir itself; same machine only, no stream PUT).
	PutTransport string
	// Faults are injected into matching requests.
	Faults Faults
	// Logf, when set, receives one line per request (never credentials).
	Logf func(format string, args ...any)
}

// User is an account user. Password and PublicKey are alternatives; a user
// may have both (key-pair auth verifies JWTs signed by the matching private key).
type User struct {
	Name      string
	Password  string
	PublicKey *rsa.PublicKey
	// Defaults applied at login when the client names none.
	DefaultDatabase, DefaultSchema, DefaultWarehouse, DefaultRole string
}

// Server is a running emulator.
type Server struct {
	cfg    Config
	faults *faultState

	adminMu sync.Mutex
	admin   *pgx.Conn // metadata bootstrap and catalog-wide work

	mu       sync.Mutex
	sessions map[string]*session // by session token
	masters  map[string]*session // by master token
	nextID   int64

	uploads uploads
	oauth   oauthGrants // OAuth tokens granted at run time, with expiry

	httpSrv *http.Server
	ln      net.Listener
	url     string
}

// New connects to the backing database, installs the metadata schema and
// helper functions, and returns a server ready to serve (see Handler, Start).
func New(cfg Config) (*Server, error) {
	if cfg.PostgresDSN == "" {
		return nil, errors.New("sfemu: Config.PostgresDSN is required")
	}
	if cfg.StageDir == "" {
		return nil, errors.New("sfemu: Config.StageDir is required")
	}
	if err := os.MkdirAll(cfg.StageDir, 0o755); err != nil {
		return nil, fmt.Errorf("sfemu: stage dir: %w", err)
	}
	switch cfg.PutTransport {
	case "":
		cfg.PutTransport = putHTTP
	case putHTTP, putLocal:
	default:
		return nil, fmt.Errorf("sfemu: PutTransport %q: want http or local", cfg.PutTransport)
	}
	if cfg.SessionValidity == 0 {
		cfg.SessionValidity = time.Hour
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, cfg.PostgresDSN)
	if err != nil {
		return nil, fmt.Errorf("sfemu: connect to backing PostgreSQL: %w", redactErr(err))
	}
	if err := installCatalog(ctx, conn); err != nil {
		conn.Close(ctx)
		return nil, fmt.Errorf("sfemu: install metadata: %w", err)
	}
	s := &Server{
		cfg:      cfg,
		faults:   newFaultState(cfg.Faults),
		admin:    conn,
		sessions: map[string]*session{},
		masters:  map[string]*session{},
		nextID:   time.Now().UnixNano() % 1e9,
	}
	return s, nil
}

// redactErr drops connection details (which may carry a password) from a connect error.
func redactErr(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "://"); i >= 0 {
		return errors.New("cannot connect (details withheld: the DSN may hold a password)")
	}
	return errors.New(msg)
}

// Handler serves the Snowflake REST endpoints gosnowflake calls.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/session/v1/login-request", s.handleLogin)
	mux.HandleFunc("/queries/v1/query-request", s.handleQuery)
	mux.HandleFunc("/queries/v1/abort-request", s.handleAbort)
	mux.HandleFunc("/session/token-request", s.handleTokenRequest)
	mux.HandleFunc("/session/heartbeat", s.handleHeartbeat)
	mux.HandleFunc("/session", s.handleSession)
	mux.HandleFunc("/telemetry/send", s.handleTelemetry)
	mux.HandleFunc("/sfemu-stage/", s.handleStageUpload)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "sfemu: unknown endpoint "+r.URL.Path, http.StatusNotFound)
	})
	return s.faults.wrap(mux, s.logf)
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the background.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.httpSrv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 30 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	return nil
}

// URL is the base URL after Start ("http://127.0.0.1:PORT").
func (s *Server) URL() string { return s.url }

// Addr is host:port after Start.
func (s *Server) Addr() string {
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops serving, ends all sessions and closes backing connections.
func (s *Server) Close() error {
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = s.httpSrv.Shutdown(ctx)
		cancel()
	}
	s.mu.Lock()
	sess := make([]*session, 0, len(s.sessions))
	for _, se := range s.sessions {
		sess = append(sess, se)
	}
	s.sessions, s.masters = map[string]*session{}, map[string]*session{}
	s.mu.Unlock()
	for _, se := range sess {
		se.close()
	}
	s.adminMu.Lock()
	defer s.adminMu.Unlock()
	return s.admin.Close(context.Background())
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

var randReader = rand.Reader

func newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// newUUID returns a random RFC 4122 UUID, the form of Snowflake query IDs.
func newUUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// writeJSON answers with HTTP 200 and a JSON body: Snowflake reports
// application errors in the body, never with the HTTP status.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(v)
}

func writeFailure(w http.ResponseWriter, e *sfError, queryID string) {
	data := map[string]any{"sqlState": e.SQLState}
	if queryID != "" {
		data["queryId"] = queryID
	}
	writeJSON(w, map[string]any{"data": data, "code": e.Code, "message": e.Message, "success": false, "headers": nil})
}

// sessionFor resolves the Authorization header (Snowflake Token="…").
func (s *Server) sessionFor(r *http.Request) (*session, *sfError) {
	tok := tokenFromHeader(r)
	s.mu.Lock()
	se := s.sessions[tok]
	s.mu.Unlock()
	if se == nil || tok == "" {
		return nil, newErr("390104", "08001", "User must login again to access the service.")
	}
	if se.expired(tok) {
		return nil, newErr("390112", "08001", "Your session has expired. Please login again.")
	}
	return se, nil
}

func tokenFromHeader(r *http.Request) string {
	h := r.Header.Get("Authorization")
	const p = `Snowflake Token="`
	if !strings.HasPrefix(h, p) || !strings.HasSuffix(h, `"`) {
		return ""
	}
	return h[len(p) : len(h)-1]
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
