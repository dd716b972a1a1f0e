package engine

import pg "github.com/pganalyze/pg_query_go/v6"

// deallocate answers DEALLOCATE [PREPARE] name | ALL. The prepared statements it drops are
// the extended protocol's, which the front door (pgwire) holds: the result names the
// statement in Deallocate and the front door removes it. psqlODBC deallocates its
// "_PLAN0x..." statements this way before it prepares the next query under the same name.
func deallocate(d *pg.DeallocateStmt) *Result {
	if d.GetIsall() {
		return &Result{Tag: "DEALLOCATE ALL"}
	}
	return &Result{Tag: "DEALLOCATE", Deallocate: d.GetName()}
}
