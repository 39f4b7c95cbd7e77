package sfemu

import "context"

func (se *session) alterTable(ctx context.Context, p *parser) (*result, error) { return nil, unsupportedStmt(p) }
func (se *session) truncate(ctx context.Context, p *parser) (*result, error)   { return nil, unsupportedStmt(p) }
func (se *session) comment(ctx context.Context, p *parser) (*result, error)    { return nil, unsupportedStmt(p) }
func (se *session) show(ctx context.Context, p *parser) (*result, error)       { return nil, unsupportedStmt(p) }
func (se *session) describe(ctx context.Context, p *parser) (*result, error)   { return nil, unsupportedStmt(p) }
func (se *session) put(ctx context.Context, p *parser) (*result, error)        { return nil, unsupportedStmt(p) }
func (se *session) list(ctx context.Context, p *parser) (*result, error)       { return nil, unsupportedStmt(p) }
func (se *session) remove(ctx context.Context, p *parser) (*result, error)     { return nil, unsupportedStmt(p) }
func (se *session) copyInto(ctx context.Context, p *parser) (*result, error)   { return nil, unsupportedStmt(p) }
func (se *session) createStage(ctx context.Context, p *parser, h createHead) (*result, error) {
	return nil, unsupportedStmt(p)
}
func (se *session) createFileFormat(ctx context.Context, p *parser, h createHead) (*result, error) {
	return nil, unsupportedStmt(p)
}
func (s *Server) removeStageDir(r resolved) error { return nil }
