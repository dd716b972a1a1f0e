package planner

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
)

// joinCatalog is a small star schema: a fact table li (6M rows), ord (1.5M), cust (150k),
// nat (25) and reg (5), plus t and u for generic joins.
func joinCatalog() (memCatalog, fakeStats) {
	cat := testCatalog()
	st := fakeStats{}
	add := func(name string, rows float64, spec string) {
		var cols []catalog.Column
		for _, f := range strings.Split(spec, ";") {
			n, typ, _ := strings.Cut(strings.TrimSpace(f), " ")
			cols = append(cols, catalog.Column{Name: n, Type: typ})
		}
		cat["default."+name] = &catalog.Table{DatabaseName: "default", Name: name, TableType: catalog.ExternalTable,
			Parameters:        map[string]string{"classification": "parquet"},
			StorageDescriptor: catalog.StorageDescriptor{Location: "mem://b/" + name + "/", Columns: cols}}
		st[name] = rows
	}
	add("li", 6e6, "l_ok int; l_sk int; l_qty int; l_flag string")
	add("ord", 1.5e6, "o_ok int; o_ck int; o_date date")
	add("cust", 1.5e5, "c_ck int; c_nk int; c_name string")
	add("supp", 1e4, "s_sk int; s_nk int; s_name string")
	add("nat", 25, "n_nk int; n_rk int; n_name string")
	add("reg", 5, "r_rk int; r_name string")
	add("u", 100, "a int; x string")
	st["t"] = 1000
	return cat, st
}

// fakeStats sizes tables by name.
type fakeStats map[string]float64

func (f fakeStats) TableRows(s *Scan) (float64, bool) {
	r, ok := f[s.Table]
	return r, ok
}

// planJoin binds sql against the join catalog and optimizes it with rules (all of
// RulesWithStats when nil).
func planJoin(t *testing.T, sql string, rules []Rule) (Node, error) {
	t.Helper()
	res, err := pg.Parse(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	sel := res.Stmts[0].Stmt.GetSelectStmt()
	cat, st := joinCatalog()
	b := NewBinder(context.Background(), cat, function.New(), "default", sql, &function.Context{})
	n, err := b.BindQuery(sel)
	if err != nil {
		return nil, err
	}
	if rules == nil {
		rules = RulesWithStats(st)
	}
	return Optimize(n, rules)
}

// TestJoinPlans checks the optimized plans of joins and subqueries against
// testdata/joins.txt (the format of TestPlans; -rewrite records).
func TestJoinPlans(t *testing.T) {
	const path = "testdata/joins.txt"
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
		n, err := planJoin(t, sql, nil)
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

// TestJoinRulesFire runs the rules one at a time and checks which of them changed the
// plan.
func TestJoinRulesFire(t *testing.T) {
	cases := []struct {
		sql   string
		fired string
	}{
		{"SELECT t.a FROM t, u WHERE t.a = u.a", "PushDownFilters JoinOrder PruneColumns"},
		{"SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.a = t.a)", "DecorrelateSubqueries PushDownFilters PruneColumns"},
		{"SELECT a FROM t WHERE a NOT IN (SELECT a FROM u)", "DecorrelateSubqueries PruneColumns"},
		{"SELECT c_name FROM cust LEFT JOIN li ON l_sk = c_ck", "PushDownFilters ChooseJoinSides PruneColumns"},
		{"SELECT c_name FROM cust LEFT JOIN li ON l_sk = c_ck WHERE l_qty > 3", "PushDownFilters JoinOrder PruneColumns"},
		{"SELECT l_qty FROM li, ord, cust WHERE l_ok = o_ok AND o_ck = c_ck AND c_name = 'x'", "PushDownFilters JoinOrder PruneColumns"},
	}
	_, st := joinCatalog()
	for _, c := range cases {
		n, err := planJoin(t, c.sql, []Rule{})
		if err != nil {
			t.Fatalf("%s: %v", c.sql, err)
		}
		var fired []string
		for _, r := range RulesWithStats(st) {
			before := Explain(n)
			if n, err = Optimize(n, []Rule{r}); err != nil {
				t.Fatalf("%s: %v", c.sql, err)
			}
			if Explain(n) != before {
				fired = append(fired, r.Name())
			}
		}
		if got := strings.Join(fired, " "); got != c.fired {
			t.Errorf("%s: fired %s, want %s\n%s", c.sql, got, c.fired, Explain(n))
		}
	}
}

func TestJoinBindErrors(t *testing.T) {
	cases := []struct {
		sql, code, msg string
	}{
		{"SELECT a FROM t, u", sqlerr.AmbiguousColumn, `column reference "a" is ambiguous`},
		{"SELECT * FROM t JOIN u USING (x)", sqlerr.UndefinedColumn, `column "x" specified in USING clause does not exist in left table`},
		{"SELECT * FROM t WHERE a = (SELECT a, x FROM u)", sqlerr.SyntaxError, "subquery must return only one column"},
		{"SELECT * FROM t WHERE a IN (SELECT a, x FROM u)", sqlerr.SyntaxError, "subquery has too many columns"},
		{"SELECT * FROM t WHERE a = (SELECT nosuch FROM u)", sqlerr.UndefinedColumn, `column "nosuch" does not exist`},
		{"SELECT * FROM t JOIN u ON t.a = u.a AND EXISTS (SELECT 1)", sqlerr.FeatureNotSupported, "subqueries in JOIN ... ON"},
		{"SELECT (SELECT (SELECT t.a FROM u AS u2) FROM u) FROM t", sqlerr.FeatureNotSupported, "two or more levels out"},
		{"SELECT b, (SELECT count(*) FROM u WHERE u.a = t.a) FROM t GROUP BY b", sqlerr.GroupingError, `subquery uses ungrouped column "a" from outer query`},
	}
	for _, c := range cases {
		_, err := planJoin(t, c.sql, nil)
		if err == nil {
			t.Errorf("%s: no error", c.sql)
			continue
		}
		e := sqlerr.From(err)
		if e.Code != c.code || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: got %s %q, want %s %q", c.sql, e.Code, e.Message, c.code, c.msg)
		}
	}
}

// Sixty-four tables in one FROM (as SQLite's select5 has) are ordered quickly, into 63
// joins with keys and no cross product.
func TestJoinOrderManyTables(t *testing.T) {
	var from, where []string
	for i := 1; i <= 64; i++ {
		from = append(from, fmt.Sprintf("u AS u%d", i))
		if i > 1 {
			where = append(where, fmt.Sprintf("u%d.a = u%d.a", i-1, i))
		}
	}
	sql := "SELECT u1.x FROM " + strings.Join(from, ", ") + " WHERE " + strings.Join(where, " AND ")
	start := time.Now()
	n, err := planJoin(t, sql, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("planning took %s", d)
	}
	joins := 0
	var walk func(Node)
	walk = func(n Node) {
		if j, ok := n.(*Join); ok {
			joins++
			if len(j.LeftKeys) == 0 {
				t.Errorf("a join without keys: %s", j)
			}
		}
		for _, c := range n.Inputs() {
			walk(c)
		}
	}
	walk(n)
	if joins != 63 {
		t.Errorf("%d joins, want 63", joins)
	}
}
