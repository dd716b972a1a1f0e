package planner

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
)

// TestCTEPlans checks the optimized plans of WITH queries, materialized and inlined,
// against testdata/cte.txt (same format as plans.txt; -rewrite records them).
func TestCTEPlans(t *testing.T) {
	const path = "testdata/cte.txt"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, block := range strings.Split(strings.TrimSpace(string(data)), "\n\n") {
		sql, want, ok := strings.Cut(block, "\n----\n")
		if !ok {
			sql = strings.TrimSuffix(block, "\n----")
		}
		n, err := plan(t, sql)
		got := ""
		if err != nil {
			e := sqlerr.From(err)
			got = fmt.Sprintf("error %s: %s\n", e.Code, e.Message)
		} else {
			got = Explain(n)
		}
		out.WriteString(sql + "\n----\n" + got + "\n")
		if !*rewrite && strings.TrimSpace(got) != strings.TrimSpace(want) {
			t.Errorf("%s\n got:\n%s\nwant:\n%s", sql, got, want)
		}
	}
	if *rewrite {
		if err := os.WriteFile(path, []byte(strings.TrimSpace(out.String())+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCTEShared checks that every scan of a materialized CTE reads the one CTE, after
// optimization too, so that the executor computes it once.
func TestCTEShared(t *testing.T) {
	n, err := plan(t, "WITH c AS (SELECT a, sum(c) s FROM t GROUP BY a) SELECT * FROM c x JOIN c y ON x.a = y.a WHERE x.s > (SELECT max(s) FROM c)")
	if err != nil {
		t.Fatal(err)
	}
	ctes := CTEs(n)
	if len(ctes) != 1 {
		t.Fatalf("got %d CTEs, want 1:\n%s", len(ctes), Explain(n))
	}
	scans := 0
	var walk func(Node)
	walk = func(n Node) {
		if s, ok := n.(*CteScan); ok {
			scans++
			if s.CTE != ctes[0] {
				t.Errorf("scan %s reads another copy of the CTE", s)
			}
		}
		for _, in := range n.Inputs() {
			walk(in)
		}
	}
	walk(n)
	if scans != 3 {
		t.Errorf("got %d CTE scans, want 3:\n%s", scans, Explain(n))
	}
}

// TestCTERefCount checks the reference counts read from the parse tree.
func TestCTERefCount(t *testing.T) {
	cases := []struct {
		sql  string
		want []int // per WITH query
	}{
		{"WITH c AS (SELECT 1) SELECT * FROM c", []int{1}},
		{"WITH c AS (SELECT 1) SELECT * FROM c, c d", []int{2}},
		{"WITH c AS (SELECT 1) SELECT (SELECT * FROM c) FROM c", []int{2}},
		{"WITH c AS (SELECT 1) SELECT * FROM t", []int{0}},
		{"WITH c AS (SELECT 1), d AS (SELECT * FROM c) SELECT * FROM c, d", []int{2, 1}},
		{"WITH c AS (SELECT 1) SELECT * FROM sales.c, c", []int{1}},
		// The inner c hides the outer one from the inner statement, not from its own body.
		{"WITH c AS (SELECT 1) SELECT * FROM (WITH c AS (SELECT * FROM c) SELECT * FROM c, c) s", []int{1}},
		{"WITH c AS (SELECT 1) SELECT * FROM c UNION ALL SELECT * FROM c", []int{2}},
	}
	for _, c := range cases {
		res, err := pg.Parse(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		sel := res.Stmts[0].Stmt.GetSelectStmt()
		got := make([]int, len(sel.WithClause.Ctes))
		for i, n := range sel.WithClause.Ctes {
			got[i] = cteRefCount(sel, i, n.GetCommonTableExpr().Ctename)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: got %v, want %v", c.sql, got, c.want)
		}
	}
}

// A CTE that reads a column of the query around it is inlined however often it is
// referenced: its rows depend on the outer row. An uncorrelated one inside a subquery is
// shared.
func TestCTECorrelatedInlined(t *testing.T) {
	cases := []struct {
		sql   string
		scans int
	}{
		{"SELECT (WITH c AS (SELECT t.a AS v) SELECT count(*) FROM c c1, c c2) FROM t", 0},
		{"SELECT (WITH c AS MATERIALIZED (SELECT t.a AS v) SELECT count(*) FROM c) FROM t", 0},
		{"SELECT (WITH c AS (SELECT a AS v FROM t) SELECT count(*) FROM c c1, c c2) FROM t", 2},
	}
	for _, c := range cases {
		res, err := pg.Parse(c.sql)
		if err != nil {
			t.Fatal(err)
		}
		b := NewBinder(context.Background(), testCatalog(), function.New(), "default", c.sql, &function.Context{})
		n, err := b.BindQuery(res.Stmts[0].Stmt.GetSelectStmt())
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		if got := countCteScans(n); got != c.scans {
			t.Errorf("%s: %d CTE scans, want %d", c.sql, got, c.scans)
		}
	}
}

// countCteScans counts the CteScans under n, in subquery expressions too.
func countCteScans(n Node) int {
	count := 0
	if _, ok := n.(*CteScan); ok {
		count++
	}
	for _, e := range nodeExprs(n) {
		Walk(e, func(x Expr) bool {
			if sq, ok := x.(*Subquery); ok {
				count += countCteScans(sq.Plan)
			}
			return true
		})
	}
	for _, in := range n.Inputs() {
		count += countCteScans(in)
	}
	return count
}
