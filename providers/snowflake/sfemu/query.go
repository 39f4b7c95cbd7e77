package sfemu

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Statement type IDs as Snowflake reports them in statementTypeId; the driver
// uses them to tell DML (row counts) from queries.
const (
	stmtSelect   = 0x1000
	stmtInsert   = 0x3100
	stmtUpdate   = 0x3200
	stmtDelete   = 0x3300
	stmtCopy     = 0x3600
	stmtAlterSes = 0x4100
	stmtUse      = 0x4300
	stmtShow     = 0x4400
	stmtDescribe = 0x4500
	stmtTCL      = 0x5000
	stmtDDL      = 0x6000
	stmtStage    = 0x7000
)

type queryRequest struct {
	SQLText      string               `json:"sqlText"`
	AsyncExec    bool                 `json:"asyncExec"`
	SequenceID   uint64               `json:"sequenceId"`
	DescribeOnly bool                 `json:"describeOnly"`
	Parameters   map[string]any       `json:"parameters"`
	Bindings     map[string]bindParam `json:"bindings"`
	BindStage    string               `json:"bindStage"`
}

type bindParam struct {
	Type  string `json:"type"`
	Value any    `json:"value"`
	Fmt   string `json:"fmt"`
}

// rowType is one column of a JSON rowset's rowtype.
type rowType struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	Precision  *int64 `json:"precision"`
	Scale      *int64 `json:"scale"`
	Length     *int64 `json:"length"`
	ByteLength *int64 `json:"byteLength"`
	Nullable   bool   `json:"nullable"`
	Database   string `json:"database"`
	Schema     string `json:"schema"`
	Table      string `json:"table"`
}

// result is what one statement produced.
type result struct {
	cols     []rowType
	rows     [][]*string
	stmtType int64
	extra    map[string]any // PUT: file transfer instructions merged into data
}

type queryResponse struct {
	body map[string]any
}

func (s *Server) handleQuery(w http.ResponseWriter, r *http.Request) {
	se, e := s.sessionFor(r)
	if e != nil {
		writeFailure(w, e, "")
		return
	}
	var req queryRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeFailure(w, newErr("000400", "08000", "Malformed query request."), "")
		return
	}
	reqID := r.URL.Query().Get("requestId")
	se.mu.Lock()
	defer se.mu.Unlock()
	if se.conn == nil {
		writeFailure(w, newErr("390112", "08001", "Your session has expired. Please login again."), "")
		return
	}
	// A retried request (same requestId) gets the answer of the first execution:
	// Snowflake deduplicates retries the same way.
	if prev, ok := se.results[reqID]; ok && reqID != "" {
		writeJSON(w, prev.body)
		return
	}
	qid := newUUID()
	se.reqHost = r.Host
	res, err := se.execute(r.Context(), req, qid)
	if err != nil {
		sfe := asSF(err)
		s.logf("sfemu: session %d query %s failed: %s", se.id, qid, sfe.Code)
		writeFailure(w, sfe, qid)
		return
	}
	body := se.response(res, qid)
	if reqID != "" && res.stmtType != stmtStage {
		if len(se.results) > 64 {
			clear(se.results)
		}
		se.results[reqID] = &queryResponse{body}
	}
	writeJSON(w, body)
}

func (se *session) response(res *result, qid string) map[string]any {
	rows := res.rows
	if rows == nil {
		rows = [][]*string{}
	}
	data := map[string]any{
		"parameters":         se.paramList(),
		"rowtype":            res.cols,
		"rowset":             rows,
		"total":              len(rows),
		"returned":           len(rows),
		"queryId":            qid,
		"databaseProvider":   nil,
		"finalDatabaseName":  nullIfEmpty(se.db),
		"finalSchemaName":    nullIfEmpty(se.schema),
		"finalWarehouseName": nullIfEmpty(se.warehouse),
		"finalRoleName":      nullIfEmpty(se.role),
		"numberOfBinds":      0,
		"statementTypeId":    res.stmtType,
		"version":            1,
		"queryResultFormat":  "json",
	}
	for k, v := range res.extra {
		data[k] = v
	}
	return map[string]any{"data": data, "code": nil, "message": nil, "success": true}
}

// execute runs the statement(s) of one request.
func (se *session) execute(ctx context.Context, req queryRequest, qid string) (*result, error) {
	if req.BindStage != "" {
		return nil, unsupported("array binding through a bind stage")
	}
	toks, err := tokenize(req.SQLText)
	if err != nil {
		return nil, err
	}
	stmts := splitStatements(toks)
	want := 1
	if v, ok := req.Parameters["MULTI_STATEMENT_COUNT"]; ok {
		want, _ = strconv.Atoi(strings.TrimSpace(toString(v)))
	}
	if len(stmts) == 0 {
		return nil, newErr("000900", "42000", "SQL compilation error:\nEmpty SQL statement.")
	}
	if len(stmts) != 1 {
		if want == 1 {
			return nil, newErr("000008", "0A000", "Actual statement count %d did not match the desired statement count %d.", len(stmts), want)
		}
		return nil, unsupported("multi-statement requests")
	}
	stmt := stmts[0]
	if len(req.Bindings) > 0 {
		if stmt, err = bindTokens(stmt, req.Bindings); err != nil {
			return nil, err
		}
	}
	p := &parser{toks: stmt, se: se, sql: req.SQLText}
	return se.dispatch(ctx, p)
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// statementKind is the first word(s) of a statement, used to name
// unsupported statements and to match fault rules ("COPY", "PUT", "SELECT", …).
func statementKind(sqlText string) string {
	toks, err := tokenize(sqlText)
	if err != nil || len(toks) == 0 {
		return ""
	}
	return strings.ToUpper(toks[0].text)
}
