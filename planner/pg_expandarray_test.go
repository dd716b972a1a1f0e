package planner

import (
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
)

func TestRewriteExpandArray(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SELECT (information_schema._pg_expandarray(i.indkey)).n AS key_seq, information_schema._pg_expandarray(i.indkey) AS keys FROM pg_index i",
			"SELECT generate_subscripts(i.indkey, 1) AS key_seq, unnest(i.indkey) AS keys FROM pg_index i"},
		{"SELECT r.a FROM (SELECT information_schema._pg_expandarray(x) AS keys, 1 AS a FROM t) r WHERE r.a = (r.keys).x",
			"SELECT r.a FROM (SELECT unnest(x) AS keys, 1 AS a FROM t) r WHERE r.a = r.keys"},
		{"SELECT (_pg_expandarray(ARRAY[1, 2])).x",
			"SELECT unnest(ARRAY[1, 2])"},
		// Untouched: no _pg_expandarray, or field selection on something else.
		{"SELECT (r.keys).x FROM r", "SELECT (r.keys).x FROM r"},
	} {
		tree, err := pg.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		sel := tree.Stmts[0].Stmt.GetSelectStmt()
		rewriteExpandArray(sel)
		rewriteExpandArray(sel) // idempotent
		got, err := pg.Deparse(tree)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}
