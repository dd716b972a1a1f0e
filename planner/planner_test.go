package planner

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/catalog"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
)

var rewrite = flag.Bool("rewrite", false, "rewrite golden files")

// memCatalog serves a fixed set of tables.
type memCatalog map[string]*catalog.Table

func (m memCatalog) GetTable(ctx context.Context, db, name string) (*catalog.Table, error) {
	if t, ok := m[db+"."+name]; ok {
		return t, nil
	}
	return nil, fmt.Errorf("%s.%s: %w", db, name, catalog.ErrTableNotFound)
}

func testCatalog() memCatalog {
	cols := func(spec string) []catalog.Column {
		var out []catalog.Column
		for _, f := range strings.Split(spec, ";") {
			name, typ, _ := strings.Cut(strings.TrimSpace(f), " ")
			out = append(out, catalog.Column{Name: name, Type: typ})
		}
		return out
	}
	return memCatalog{
		"default.t": {DatabaseName: "default", Name: "t", TableType: catalog.ExternalTable,
			Parameters:        map[string]string{"classification": "parquet"},
			StorageDescriptor: catalog.StorageDescriptor{Location: "mem://b/t/", Columns: cols("a int; b string; c decimal(15,2); d date")}},
		"sales.orders": {DatabaseName: "sales", Name: "orders", TableType: catalog.ExternalTable,
			Parameters:        map[string]string{"classification": "csv"},
			StorageDescriptor: catalog.StorageDescriptor{Location: "mem://b/o/", Columns: cols("id bigint; amount decimal(12,2); status string")},
			PartitionKeys:     cols("dt date")},
	}
}

// plan binds and optimizes one statement.
func plan(t *testing.T, sql string) (Node, error) {
	t.Helper()
	res, err := pg.Parse(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	sel := res.Stmts[0].Stmt.GetSelectStmt()
	if sel == nil {
		t.Fatalf("%q is not a SELECT", sql)
	}
	b := NewBinder(context.Background(), testCatalog(), function.New(), "default", sql, &function.Context{})
	n, err := b.BindQuery(sel)
	if err != nil {
		return nil, err
	}
	return Optimize(n, DefaultRules())
}

// TestPlans checks EXPLAIN output of optimized plans against testdata/plans.txt, a file of
// `sql` blocks each followed by `----` and the expected plan, blocks separated by blank
// lines. Run with -rewrite to record the current output.
func TestPlans(t *testing.T) {
	data, err := os.ReadFile("testdata/plans.txt")
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
		if err := os.WriteFile("testdata/plans.txt", []byte(strings.TrimSpace(out.String())+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBindErrors(t *testing.T) {
	cases := []struct {
		sql  string
		code string
		pos  int
		msg  string
	}{
		{"SELECT x FROM t", sqlerr.UndefinedColumn, 8, `column "x" does not exist`},
		{"SELECT t.x FROM t", sqlerr.UndefinedColumn, 8, "column t.x does not exist"},
		{"SELECT u.a FROM t", sqlerr.UndefinedTable, 8, `missing FROM-clause entry for table "u"`},
		{"SELECT * FROM nosuch", sqlerr.UndefinedTable, 15, `relation "nosuch" does not exist`},
		{"SELECT * FROM sales.nosuch", sqlerr.UndefinedTable, 15, `relation "sales.nosuch" does not exist`},
		{"SELECT a, count(*) FROM t", sqlerr.GroupingError, 8, `column "a" must appear in the GROUP BY clause or be used in an aggregate function`},
		{"SELECT b FROM t GROUP BY a", sqlerr.GroupingError, 8, `column "b" must appear in the GROUP BY clause`},
		{"SELECT a FROM t WHERE count(*) > 1", sqlerr.GroupingError, 23, "aggregate functions are not allowed in WHERE"},
		{"SELECT sum(count(*)) FROM t", sqlerr.GroupingError, 8, "aggregate function calls cannot be nested"},
		{"SELECT a FROM t WHERE a", sqlerr.DatatypeMismatch, 23, "argument of WHERE must be type boolean, not type integer"},
		{"SELECT a + b FROM t", sqlerr.UndefinedFunction, 10, "operator does not exist: integer + text"},
		{"SELECT nosuchfn(a) FROM t", sqlerr.UndefinedFunction, 8, "function nosuchfn(integer) does not exist"},
		{"SELECT a FROM t ORDER BY 3", sqlerr.InvalidColumnReference, 26, "ORDER BY position 3 is not in select list"},
		{"SELECT DISTINCT a FROM t ORDER BY b", sqlerr.InvalidColumnReference, 35, "for SELECT DISTINCT, ORDER BY expressions must appear in select list"},
		{"SELECT 'abc'::int", sqlerr.InvalidTextRepresentation, 0, `invalid input syntax for type integer: "abc"`},
		{"SELECT 1/0", sqlerr.DivisionByZero, 0, "division by zero"},
		{"SELECT 2147483647 + 1", sqlerr.NumericValueOutOfRange, 0, "integer out of range"},
	}
	for _, c := range cases {
		_, err := plan(t, c.sql)
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

// The rules narrow the scan to the columns the query reads and move the WHERE clause into
// the scan.
func TestRulesFire(t *testing.T) {
	n, err := plan(t, "SELECT b FROM t WHERE a > 1")
	if err != nil {
		t.Fatal(err)
	}
	var scan *Scan
	var walk func(Node)
	walk = func(n Node) {
		if s, ok := n.(*Scan); ok {
			scan = s
		}
		if _, ok := n.(*Filter); ok {
			t.Errorf("a Filter node is left above the scan:\n%s", Explain(n))
		}
		for _, c := range n.Inputs() {
			walk(c)
		}
	}
	walk(n)
	if scan == nil {
		t.Fatal("no scan")
	}
	if len(scan.Filters) != 1 {
		t.Errorf("PushFilterIntoScan: scan has %d filters, want 1", len(scan.Filters))
	}
	if got := fmt.Sprint(scan.Projection); got != "[0 1]" {
		t.Errorf("PruneColumns: scan reads columns %s, want [0 1] (a and b)", got)
	}
}
