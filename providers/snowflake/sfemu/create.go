package sfemu

import (
	"context"
	"fmt"
)

// onExisting is what CREATE does when an object of that name is already
// there (Snowflake "CREATE <object>"): IF NOT EXISTS succeeds without a
// change (done is the answer), OR REPLACE of a replaceable object goes on,
// anything else fails. With exists false it lets the statement go on.
func onExisting(h createHead, exists, replaceable bool, name string) (done *result, err error) {
	switch {
	case !exists:
		return nil, nil
	case h.ifNotExists:
		return statusResult(stmtDDL, fmt.Sprintf("%s already exists, statement succeeded.", quoteSF(name))), nil
	case !h.orReplace || !replaceable:
		return nil, alreadyExists(quoteSF(name))
	}
	return nil, nil
}

// createCheck runs the checks every CREATE of a schema object shares: the
// schema exists, and a same-named object of kind or of one of the clashing
// kinds (tables and views share a namespace) is handled by onExisting; only
// an object of the same kind can be replaced. replace says the statement
// must drop it first.
func (se *session) createCheck(ctx context.Context, h createHead, r resolved, kind string, clashing ...string) (replace bool, done *result, err error) {
	if err := se.requireSchema(ctx, r); err != nil {
		return false, nil, err
	}
	found, err := objectKind(ctx, se.conn, r, append([]string{kind}, clashing...)...)
	if err != nil {
		return false, nil, err
	}
	if done, err := onExisting(h, found != "", found == kind, r.name); done != nil || err != nil {
		return false, done, err
	}
	return found != "", nil, nil
}
