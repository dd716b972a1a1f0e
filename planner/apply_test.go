package planner

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// TestApplyFallback checks which correlated subqueries run as an Apply: those whose outer
// reference is where pullCorrelation cannot move it to a join condition (a FROM function's
// argument), and not those it can.
func TestApplyFallback(t *testing.T) {
	const tv = "(VALUES (1, 'x'), (2, 'y')) AS t (a, b)"
	cases := []struct {
		sql  string
		want string // the Apply line, "" for none
	}{
		{"SELECT a, (SELECT sum(g) FROM generate_series(1, t.a) g) FROM " + tv, "Apply kind=scalar"},
		{"SELECT a FROM " + tv + " WHERE EXISTS (SELECT 1 FROM generate_series(1, t.a) g WHERE g > 1)", "Apply kind=exists"},
		{"SELECT a FROM " + tv + " WHERE 2 NOT IN (SELECT g FROM generate_series(1, t.a) g)", "Apply kind=any"},
		{"SELECT a, a > ALL (SELECT g FROM generate_series(1, t.a) g) FROM " + tv, "Apply kind=all"},
		{"SELECT a, (SELECT count(*) FROM (VALUES (1)) AS s (x) WHERE x = t.a) FROM " + tv, ""},
		{"SELECT a FROM " + tv + " WHERE EXISTS (SELECT 1 FROM (VALUES (1)) AS s (x) WHERE x = t.a)", ""},
	}
	for _, c := range cases {
		n, err := plan(t, c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		ex := Explain(n)
		if c.want == "" && strings.Contains(ex, "Apply") || c.want != "" && !strings.Contains(ex, c.want) {
			t.Errorf("%s: want %q in\n%s", c.sql, c.want, ex)
		}
	}
}

// TestApplyBind checks that binding an Apply to a row leaves no reference to the row,
// including the one in the FROM function's arguments.
func TestApplyBind(t *testing.T) {
	n, err := plan(t, "SELECT a, (SELECT sum(g) FROM generate_series(1, t.a) g WHERE g <> t.a) FROM (VALUES (3)) AS t (a)")
	if err != nil {
		t.Fatal(err)
	}
	var ap *Apply
	var find func(Node)
	find = func(x Node) {
		if a, ok := x.(*Apply); ok {
			ap = a
		}
		for _, in := range x.Inputs() {
			find(in)
		}
	}
	find(n)
	if ap == nil {
		t.Fatalf("no Apply in\n%s", Explain(n))
	}
	refs := func(x Node) int {
		k := 0
		walkOuterRefs(x, 1, func(*OuterRef) { k++ })
		return k
	}
	if refs(ap.Sub) < 2 {
		t.Fatalf("Sub has %d outer references, want the FROM function's and the filter's:\n%s", refs(ap.Sub), Explain(ap.Sub))
	}
	row := make([]arrow.Array, len(ap.Input.Columns()))
	for i, c := range ap.Input.Columns() {
		row[i] = NewLiteral(c.Type, nil).Value
		if c.Type.Kind == types.Int32 {
			row[i] = NewLiteral(c.Type, int64(3)).Value
		}
	}
	sub, err := ap.Bind(row)
	if err != nil {
		t.Fatal(err)
	}
	if k := refs(sub); k != 0 {
		t.Fatalf("bound plan still has %d outer references:\n%s", k, Explain(sub))
	}
	if _, err := ap.Bind(nil); err == nil {
		t.Fatal("binding to a row without the referenced column: no error")
	}
}
