package sfemu

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// session is one Snowflake session: a login, its tokens, its current
// database/schema/warehouse/role and parameters, and a dedicated backing
// PostgreSQL connection (so transactions and session settings are per session).
type session struct {
	srv     *Server
	id      int64
	user    string
	account string

	tokMu   sync.Mutex
	token   string
	master  string
	issued  time.Time
	expired func(string) bool

	mu        sync.Mutex // one statement at a time, as Snowflake serialises a session
	conn      *pgx.Conn
	db        string
	schema    string
	warehouse string
	role      string
	params    map[string]string
	tx        pgx.Tx                    // open explicit transaction (BEGIN … COMMIT)
	results   map[string]*queryResponse // by request ID, so a retried request is answered once
	reqHost   string                    // Host of the current request (for presigned upload URLs)
	kek       []byte                    // stage master key for client-side encrypted uploads
}

// Session parameters the emulator knows, with Snowflake's defaults
// (https://docs.snowflake.com/en/sql-reference/parameters).
var defaultParams = map[string]string{
	"TIMEZONE":                        "America/Los_Angeles",
	"QUOTED_IDENTIFIERS_IGNORE_CASE":  "false",
	"AUTOCOMMIT":                      "true",
	"QUERY_TAG":                       "",
	"TIMESTAMP_TYPE_MAPPING":          "TIMESTAMP_NTZ",
	"DATE_OUTPUT_FORMAT":              "YYYY-MM-DD",
	"BINARY_OUTPUT_FORMAT":            "HEX",
	"CLIENT_SESSION_KEEP_ALIVE":       "false",
	"MULTI_STATEMENT_COUNT":           "1",
	"STATEMENT_TIMEOUT_IN_SECONDS":    "172800",
	"TIMESTAMP_INPUT_FORMAT":          "AUTO",
	"CLIENT_RESULT_CHUNK_SIZE":        "160",
	"JSON_INDENT":                     "2",
	"ERROR_ON_NONDETERMINISTIC_MERGE": "true",
}

func openSession(ctx context.Context, s *Server, u *User, account string, p map[string]any) (*session, error) {
	conn, err := pgx.Connect(ctx, s.cfg.PostgresDSN)
	if err != nil {
		return nil, redactErr(err)
	}
	se := &session{
		srv: s, user: u.Name, account: account,
		token: newToken(), master: newToken(), issued: time.Now(),
		conn: conn, params: map[string]string{}, results: map[string]*queryResponse{},
	}
	se.expired = func(tok string) bool { return se.isExpired(tok) }
	for k, v := range defaultParams {
		se.params[k] = v
	}
	for k, v := range p {
		k = strings.ToUpper(k)
		if _, known := defaultParams[k]; known {
			se.params[k] = strings.Trim(fmt.Sprint(v), "'")
		}
	}
	if err := se.applySettings(ctx); err != nil {
		conn.Close(ctx)
		return nil, err
	}
	return se, nil
}

// applySettings pushes session state into the backing connection: the
// search path (current schema, then helper functions) and the time zone.
func (se *session) applySettings(ctx context.Context) error {
	path := []string{}
	if se.db != "" && se.schema != "" {
		path = append(path, quotePG(pgSchema(se.db, se.schema)))
	}
	path = append(path, fnSchema, "pg_catalog")
	_, err := se.conn.Exec(ctx, "SET search_path = "+strings.Join(path, ", ")+
		"; SET TimeZone = "+quoteLit(se.params["TIMEZONE"])+
		"; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3; SET bytea_output = 'hex'")
	return err
}

func (se *session) validity() time.Duration {
	if ttl := se.srv.cfg.Faults.TokenTTL; ttl > 0 {
		return ttl
	}
	return se.srv.cfg.SessionValidity
}

func (se *session) isExpired(tok string) bool {
	se.tokMu.Lock()
	defer se.tokMu.Unlock()
	return tok != se.token || time.Since(se.issued) > se.validity()
}

// renew issues a new session token; it returns the old and the new one.
func (se *session) renew() (string, string) {
	se.tokMu.Lock()
	defer se.tokMu.Unlock()
	old := se.token
	se.token = newToken()
	se.issued = time.Now()
	return old, se.token
}

func (se *session) close() {
	se.mu.Lock()
	defer se.mu.Unlock()
	if se.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = se.conn.Close(ctx)
		cancel()
		se.conn = nil
	}
}

func (se *session) info() map[string]any {
	return map[string]any{
		"databaseName":  nullIfEmpty(se.db),
		"schemaName":    nullIfEmpty(se.schema),
		"warehouseName": nullIfEmpty(se.warehouse),
		"roleName":      nullIfEmpty(se.role),
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (se *session) paramList() []map[string]any {
	keys := make([]string, 0, len(se.params))
	for k := range se.params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]map[string]any, 0, len(keys))
	for _, k := range keys {
		out = append(out, map[string]any{"name": k, "value": se.params[k]})
	}
	return out
}

// ignoreQuotedCase reports QUOTED_IDENTIFIERS_IGNORE_CASE: when true, quoted
// identifiers fold to upper case too
// (https://docs.snowflake.com/en/sql-reference/identifiers-syntax#controlling-case-using-the-quoted-identifiers-ignore-case-parameter).
func (se *session) ignoreQuotedCase() bool {
	return strings.EqualFold(se.params["QUOTED_IDENTIFIERS_IGNORE_CASE"], "true")
}

// use switches the current database or schema after checking it exists.
func (se *session) use(ctx context.Context, kind, name string) error {
	switch kind {
	case "DATABASE":
		ok, err := se.srv.databaseExists(ctx, se.conn, name)
		if err != nil {
			return err
		}
		if !ok {
			return notExist("Database", name)
		}
		se.db = name
		se.schema = ""
		if ok, _ := se.srv.schemaExists(ctx, se.conn, name, "PUBLIC"); ok {
			se.schema = "PUBLIC"
		}
	case "SCHEMA":
		db, sc := se.db, name
		if i := strings.IndexByte(name, 0); i >= 0 { // db\x00schema from a qualified name
			db, sc = name[:i], name[i+1:]
		}
		if db == "" {
			return noCurrentDB()
		}
		ok, err := se.srv.schemaExists(ctx, se.conn, db, sc)
		if err != nil {
			return err
		}
		if !ok {
			return notExist("Schema", db+"."+sc)
		}
		se.db, se.schema = db, sc
	case "WAREHOUSE":
		se.warehouse = name
	case "ROLE":
		se.role = name
	}
	return se.applySettings(ctx)
}
