package pgwire

import "github.com/quarrydb/quarry/engine"

// deallocate applies a DEALLOCATE statement's result to the connection's prepared
// statements (engine/deallocate.go): DEALLOCATE name drops one, DEALLOCATE ALL every one.
// Dropping a statement an open portal was made from leaves the portal usable, as in
// PostgreSQL.
func (c *conn) deallocate(tag string, res *engine.Result) {
	switch tag {
	case "DEALLOCATE":
		delete(c.ext.stmts, res.Deallocate)
	case "DEALLOCATE ALL":
		clear(c.ext.stmts)
	}
}
