package planner

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
)

// TestGroupingSetPlans checks the optimized plans of grouping sets and ordered aggregates
// against testdata/grouping_sets.txt (same format as plans.txt; -rewrite records them).
func TestGroupingSetPlans(t *testing.T) {
	const path = "testdata/grouping_sets.txt"
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

// TestGroupingSetsExpand checks the sets GROUP BY items expand to, as positions of the
// grouping expressions in order of first mention (a=0, b=1, d=2).
func TestGroupingSetsExpand(t *testing.T) {
	cases := []struct{ groupBy, want string }{
		{"ROLLUP (a, b)", "[[0 1] [0] []]"},
		{"CUBE (a, b)", "[[0 1] [0] [1] []]"},
		{"GROUPING SETS ((a, b), (a), ())", "[[0 1] [0] []]"},
		{"a, ROLLUP (b, d)", "[[0 1 2] [0 1] [0]]"},
		{"ROLLUP (a), ROLLUP (b)", "[[0 1] [0] [1] []]"},
		{"ROLLUP ((a, b), d)", "[[0 1 2] [0 1] []]"},
		{"GROUPING SETS (ROLLUP (a), CUBE (b))", "[[0] [] [1] []]"},
		{"GROUPING SETS ((a), (a))", "[[0] [0]]"},
		{"a, ROLLUP (a)", "[[0] [0]]"},
		{"GROUPING SETS ((a, b))", "[]"}, // one set: a plain GROUP BY
		{"a, b", "[]"},
	}
	for _, c := range cases {
		n, err := plan(t, "SELECT count(*) FROM t GROUP BY "+c.groupBy)
		if err != nil {
			t.Errorf("%s: %v", c.groupBy, err)
			continue
		}
		got := "[]"
		var walk func(Node)
		walk = func(n Node) {
			if g, ok := n.(*GroupId); ok {
				got = fmt.Sprint(g.Sets)
			}
			for _, in := range n.Inputs() {
				walk(in)
			}
		}
		walk(n)
		if got != c.want {
			t.Errorf("GROUP BY %s: sets %s, want %s", c.groupBy, got, c.want)
		}
	}
}

func TestGroupingSetErrors(t *testing.T) {
	cases := []struct {
		sql, code, msg string
	}{
		{"SELECT grouping(b) FROM t GROUP BY ROLLUP (a)", sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level"},
		{"SELECT grouping(a) FROM t", sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions"},
		{"SELECT a FROM t WHERE grouping(a) = 0 GROUP BY a", sqlerr.GroupingError, "not allowed in WHERE"},
		{"SELECT b FROM t GROUP BY ROLLUP (a)", sqlerr.GroupingError, `column "b" must appear in the GROUP BY clause`},
		{"SELECT count(*) FROM t GROUP BY CUBE (a, b, c, d, a, b, c, d, a, b, c, d, a)", codeStatementTooComplex, "too many grouping sets present (maximum 4096)"},
		{"SELECT array_agg(DISTINCT a ORDER BY b) FROM t", sqlerr.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list"},
		{"SELECT array_agg(a ORDER BY count(*)) FROM t", sqlerr.GroupingError, "aggregate function calls cannot be nested"},
	}
	for _, c := range cases {
		_, err := plan(t, c.sql)
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
