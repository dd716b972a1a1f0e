package pgwire

import (
	"context"

	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/engine"
)

// EngineBackend adapts the engine to Backend: users come from its catalog and each
// connection gets its own engine.Session.
func EngineBackend(e *engine.Engine) Backend { return engineBackend{e: e} }

type engineBackend struct{ e *engine.Engine }

func (b engineBackend) LookupUser(ctx context.Context, name string) (*catalog.User, error) {
	return b.e.LookupUser(ctx, name)
}

func (b engineBackend) Connect(ctx context.Context, user, database string, params map[string]string) (Conn, error) {
	s, err := b.e.NewSession(ctx, user, database, params)
	if err != nil {
		// Returning s itself would hand back a non-nil interface holding a nil pointer.
		return nil, err
	}
	return s, nil
}
