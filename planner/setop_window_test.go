package planner

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
)

// viewCatalog is testCatalog with views over its tables: v (a, b of t where a > 0), w over
// v with a column list, a view of a missing table, and a view that reads itself.
func viewCatalog() memCatalog {
	cat := testCatalog()
	view := func(name, text string, cols ...string) {
		t := &catalog.Table{DatabaseName: "default", Name: name, TableType: catalog.VirtualView, ViewOriginalText: text}
		for _, c := range cols {
			n, typ, _ := strings.Cut(c, " ")
			t.StorageDescriptor.Columns = append(t.StorageDescriptor.Columns, catalog.Column{Name: n, Type: typ})
		}
		cat["default."+name] = t
	}
	view("v", "SELECT a, b FROM t WHERE a > 0", "a int", "b string")
	view("w", "SELECT a * 2, b FROM v", "twice int", "label string")
	view("broken", "SELECT x FROM gone", "x int")
	view("loop", "SELECT * FROM loop", "x int")
	view("wide", "SELECT a, b, c FROM t", "a bigint", "b string")
	return cat
}

// planIn binds and optimizes a SELECT against cat.
func planIn(t *testing.T, cat Catalog, sql string) (Node, error) {
	t.Helper()
	res, err := pg.Parse(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	sel := res.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil {
		t.Fatalf("%q is not a SELECT", sql)
	}
	b := NewBinder(context.Background(), cat, function.New(), "default", sql, &function.Context{})
	n, err := b.BindQuery(sel)
	if err != nil {
		return nil, err
	}
	return Optimize(n, DefaultRules())
}

// TestSetOpWindowPlans checks the EXPLAIN output of set operations, CTEs, views and window
// functions against testdata/setops_windows.txt (the format of TestPlans; -rewrite records).
func TestSetOpWindowPlans(t *testing.T) {
	const path = "testdata/setops_windows.txt"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cat := viewCatalog()
	var out strings.Builder
	for _, block := range strings.Split(strings.TrimSpace(string(data)), "\n\n") {
		var comments []string
		for strings.HasPrefix(block, "#") {
			line, rest, _ := strings.Cut(block, "\n")
			comments = append(comments, line)
			block = rest
		}
		sql, want, ok := strings.Cut(block, "\n----\n")
		if !ok {
			sql = strings.TrimSuffix(block, "\n----")
		}
		n, err := planIn(t, cat, sql)
		got := ""
		if err != nil {
			e := sqlerr.From(err)
			got = fmt.Sprintf("error %s: %s\n", e.Code, e.Message)
		} else {
			got = Explain(n)
		}
		for _, c := range comments {
			out.WriteString(c + "\n")
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

// The binder's errors for set operations, CTEs, views and windows: PostgreSQL's codes,
// messages and positions.
func TestSetOpWindowBindErrors(t *testing.T) {
	cases := []struct {
		sql  string
		code string
		pos  int
		msg  string
	}{
		{"SELECT 1 UNION SELECT 1, 2", sqlerr.SyntaxError, 0, "each UNION query must have the same number of columns"},
		{"SELECT 1 INTERSECT SELECT 1, 2", sqlerr.SyntaxError, 0, "each INTERSECT query must have the same number of columns"},
		{"SELECT a FROM t EXCEPT SELECT b FROM t", sqlerr.DatatypeMismatch, 0, "EXCEPT types integer and text cannot be matched"},
		{"SELECT NULL UNION SELECT NULL UNION SELECT 1", sqlerr.DatatypeMismatch, 0, "UNION types text and integer cannot be matched"},
		{"SELECT a FROM t UNION SELECT 1 ORDER BY a + 1", sqlerr.FeatureNotSupported, 41, "invalid UNION/INTERSECT/EXCEPT ORDER BY clause"},
		{"SELECT a FROM t UNION SELECT 1 ORDER BY b", sqlerr.UndefinedColumn, 41, `column "b" does not exist`},
		{"SELECT a FROM t UNION SELECT 1 ORDER BY 2", sqlerr.InvalidColumnReference, 41, "ORDER BY position 2 is not in select list"},
		{"WITH x AS (SELECT 1), x AS (SELECT 2) SELECT * FROM x", "42712", 23, `WITH query name "x" specified more than once`},
		{"WITH x(a, b) AS (SELECT 1) SELECT * FROM x", sqlerr.InvalidColumnReference, 6, `WITH query "x" has 1 columns available but 2 columns specified`},
		{"WITH RECURSIVE x AS (SELECT 1) SELECT * FROM x", sqlerr.FeatureNotSupported, 1, "WITH RECURSIVE is not supported"},
		{"WITH x AS (SELECT * FROM y), y AS (SELECT 1) SELECT * FROM x", sqlerr.UndefinedTable, 26, `relation "y" does not exist`},
		{"SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) s, x", sqlerr.UndefinedTable, 57, `relation "x" does not exist`},
		{"SELECT * FROM broken", sqlerr.UndefinedTable, 15, `view "default.broken": relation "gone" does not exist`},
		{"SELECT 1 FROM t JOIN loop ON true", "42P17", 22, `view "default.loop": infinite recursion detected in rules for relation "loop"`},
		{"SELECT a FROM t WHERE rank() OVER () > 1", "42P20", 23, "window functions are not allowed in WHERE"},
		{"SELECT count(*) FROM t GROUP BY rank() OVER ()", "42P20", 33, "window functions are not allowed in GROUP BY"},
		{"SELECT count(*) FROM t HAVING rank() OVER () > 1", "42P20", 31, "window functions are not allowed in HAVING"},
		{"SELECT sum(rank() OVER ()) FROM t", sqlerr.GroupingError, 12, "aggregate function calls cannot contain window function calls"},
		{"SELECT sum(rank() OVER ()) OVER () FROM t", "42P20", 8, "window function calls cannot be nested"},
		{"SELECT abs(a) OVER () FROM t", sqlerr.WrongObjectType, 8, "OVER specified, but abs is not a window function nor an aggregate function"},
		{"SELECT rank() OVER w FROM t", sqlerr.UndefinedObject, 20, `window "w" does not exist`},
		{"SELECT rank() OVER w FROM t WINDOW w AS (), w AS ()", "42P20", 50, `window "w" is already defined`},
		{"SELECT rank() OVER (w PARTITION BY a) FROM t WINDOW w AS (ORDER BY a)", "42P20", 20, `cannot override PARTITION BY clause of window "w"`},
		{"SELECT rank() OVER (w ORDER BY b) FROM t WINDOW w AS (ORDER BY a)", "42P20", 20, `cannot override ORDER BY clause of window "w"`},
		{"SELECT sum(a) OVER (w) FROM t WINDOW w AS (ORDER BY a ROWS 1 PRECEDING)", "42P20", 20, `cannot copy window "w" because it has a frame clause`},
		{"SELECT sum(a) OVER (ORDER BY a, b RANGE 1 PRECEDING) FROM t", "42P20", 20, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column"},
		{"SELECT sum(a) OVER (ORDER BY b RANGE 1 PRECEDING) FROM t", sqlerr.FeatureNotSupported, 38, "RANGE with offset PRECEDING/FOLLOWING is not supported for column type text"},
		{"SELECT sum(a) OVER (GROUPS 1 PRECEDING) FROM t", "42P20", 20, "GROUPS mode requires an ORDER BY clause"},
		{"SELECT sum(a) OVER (ORDER BY a ROWS -1 PRECEDING) FROM t", "22013", 0, "frame starting offset must not be negative"},
		{"SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND NULL FOLLOWING) FROM t", "22004", 0, "frame ending offset must not be null"},
		{"SELECT sum(a) OVER (ORDER BY a ROWS a PRECEDING) FROM t", sqlerr.InvalidColumnReference, 37, "argument of ROWS must not contain variables"},
		{"SELECT sum(a) OVER (ORDER BY a ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW) FROM t", sqlerr.FeatureNotSupported, 20, "frame exclusion"},
		{"SELECT count(DISTINCT a) OVER () FROM t", sqlerr.FeatureNotSupported, 8, "DISTINCT is not implemented for window functions"},
		{"SELECT rank() FILTER (WHERE a > 1) OVER () FROM t", sqlerr.FeatureNotSupported, 8, "FILTER is not implemented for non-aggregate window functions"},
		{"SELECT b, sum(a) OVER () FROM t GROUP BY b", sqlerr.GroupingError, 15, `column "a" must appear in the GROUP BY clause`},
		{"SELECT rank() FROM t", sqlerr.WrongObjectType, 8, "window function rank requires an OVER clause"},
		{"SELECT a FROM t JOIN t u ON rank() OVER () > 1", "42P20", 29, "window functions are not allowed here"},
		{"SELECT ntile(1, 2) OVER () FROM t", sqlerr.UndefinedFunction, 8, "function ntile(integer, integer) does not exist"},
	}
	cat := viewCatalog()
	for _, c := range cases {
		_, err := planIn(t, cat, c.sql)
		if err == nil {
			t.Errorf("%s: no error", c.sql)
			continue
		}
		e := sqlerr.From(err)
		if e.Code != c.code || !strings.Contains(e.Message, c.msg) || (c.pos != 0 && e.Position != c.pos) {
			t.Errorf("%s: got %s %q at %d, want %s %q at %d", c.sql, e.Code, e.Message, e.Position, c.code, c.msg, c.pos)
		}
	}
}

// PruneColumns drops the window functions and union columns nobody reads, down to the
// scans.
func TestPruneSetOpWindow(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT a FROM (SELECT a, rank() OVER (ORDER BY b) r FROM t) s", "Window"},
		{"SELECT count(*) FROM (SELECT a, b FROM t UNION ALL SELECT a, b FROM t) s", "columns=[a"},
	}
	for _, c := range cases {
		n, err := planIn(t, viewCatalog(), c.sql)
		if err != nil {
			t.Fatal(err)
		}
		if s := Explain(n); strings.Contains(s, c.want) {
			t.Errorf("PruneColumns left %q in\n%s", c.want, s)
		}
	}
}

// Binding never panics, whatever set operations, CTEs, views and windows a query mixes.
func FuzzBindSetOpWindow(f *testing.F) {
	for _, s := range []string{
		"SELECT a FROM t UNION SELECT 1 ORDER BY 1 LIMIT 2",
		"(SELECT a FROM t INTERSECT ALL SELECT NULL) EXCEPT SELECT a FROM v",
		"WITH x(p) AS (SELECT a FROM t), y AS (SELECT * FROM x) SELECT * FROM y, w",
		"SELECT a, sum(c) OVER (PARTITION BY b ORDER BY d RANGE BETWEEN INTERVAL '1 day' PRECEDING AND CURRENT ROW) FROM t",
		"SELECT b, rank() OVER w, lag(a, 2, 0) OVER (w) FROM t GROUP BY b, a WINDOW w AS (ORDER BY sum(c))",
		"SELECT ntile(2) OVER (ORDER BY a GROUPS 1 PRECEDING), nth_value(b, 2) OVER () FROM loop",
	} {
		f.Add(s)
	}
	cat := viewCatalog()
	f.Fuzz(func(t *testing.T, sql string) {
		res, err := pg.Parse(sql)
		if err != nil || len(res.Stmts) != 1 {
			return
		}
		sel := res.Stmts[0].Stmt.GetSelectStmt()
		if sel == nil {
			return
		}
		b := NewBinder(context.Background(), cat, function.New(), "default", sql, &function.Context{})
		if n, err := b.BindQuery(sel); err == nil {
			if _, err := Optimize(n, DefaultRules()); err != nil {
				t.Errorf("%s: %v", sql, err)
			}
		}
	})
}
