package exec

import (
	"context"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// The tables of the SQL tests, as VALUES: t (a, b) and s (x, y), each with a NULL key.
const (
	joinT = `(VALUES (1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'none')) AS t (a, b)`
	joinS = `(VALUES (2, 'b'), (3, 'c'), (3, 'cc'), (4, 'd'), (NULL, 'n')) AS s (x, y)`
)

// runSQL binds, optimizes and runs a query whose FROM items are VALUES lists, returning
// its rows sorted.
func runSQL(t *testing.T, sql string) ([]string, error) {
	t.Helper()
	sql = strings.NewReplacer("{t}", joinT, "{s}", joinS).Replace(sql)
	res, err := pg.Parse(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	fctx := &function.Context{}
	b := planner.NewBinder(context.Background(), nil, function.New(), "default", sql, fctx)
	n, err := b.BindQuery(res.Stmts[0].Stmt.GetSelectStmt())
	if err != nil {
		return nil, err
	}
	if n, err = planner.Optimize(n, planner.DefaultRules()); err != nil {
		return nil, err
	}
	op, err := Build(n, joinEnv())
	if err != nil {
		return nil, err
	}
	return rowsOf(t, op)
}

// TestJoinSQL checks joins and subqueries end to end, with the answers PostgreSQL gives.
func TestJoinSQL(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT a, x FROM {t} JOIN {s} ON a = x", "2|2 3|3 3|3"},
		{"SELECT a, x FROM {t}, {s} WHERE a = x AND y <> 'cc'", "2|2 3|3"},
		{"SELECT a, y FROM {t} LEFT JOIN {s} ON a = x AND y <> 'c'", "1|NULL 2|b 3|cc NULL|NULL"},
		{"SELECT b, x FROM {t} RIGHT JOIN {s} ON a = x", "NULL|4 NULL|NULL three|3 three|3 two|2"},
		{"SELECT a, x FROM {t} FULL JOIN {s} ON a = x", "1|NULL 2|2 3|3 3|3 NULL|4 NULL|NULL NULL|NULL"},
		{"SELECT count(*) FROM {t} CROSS JOIN {s}", "20"},
		{"SELECT a, x FROM {t} JOIN {s} ON a < x AND x < 4", "1|2 1|3 1|3 2|3 2|3"},
		{"SELECT a, x FROM {t} FULL JOIN {s} ON a > x", "1|NULL 2|NULL 3|2 NULL|3 NULL|3 NULL|4 NULL|NULL NULL|NULL"},
		{"SELECT a, x, z FROM {t} LEFT JOIN {s} ON a = x LEFT JOIN (VALUES (3, 'z')) AS v (k, z) ON x = k AND y = 'c'",
			"1|NULL|NULL 2|2|NULL 3|3|NULL 3|3|z NULL|NULL|NULL"},
		{"SELECT a, b, y FROM {t} JOIN (VALUES (2, 'b')) AS u (a, y) USING (a)", "2|two|b"},
		{"SELECT * FROM {t} NATURAL JOIN (VALUES (3, 'x')) AS u (a, c)", "3|three|x"},
		{"SELECT a, t.a, u.a FROM {t} FULL JOIN (VALUES (3), (5)) AS u (a) USING (a)", "1|1|NULL 2|2|NULL 3|3|3 5|NULL|5 NULL|NULL|NULL"},
		// A WHERE condition on the padded side makes a left join inner.
		{"SELECT a, y FROM {t} LEFT JOIN {s} ON a = x WHERE y > 'b'", "3|c 3|cc"},
		{"SELECT a FROM {t} WHERE a IN (SELECT x FROM {s})", "2 3"},
		{"SELECT a FROM {t} WHERE a NOT IN (SELECT x FROM {s})", ""},
		{"SELECT a FROM {t} WHERE a NOT IN (SELECT x FROM {s} WHERE x IS NOT NULL)", "1"},
		{"SELECT b FROM {t} WHERE a NOT IN (SELECT x FROM {s} WHERE x > 10)", "none one three two"},
		{"SELECT a, a IN (SELECT x FROM {s}) FROM {t}", "1|NULL 2|true 3|true NULL|NULL"},
		{"SELECT a, a IN (SELECT x FROM {s} WHERE x > 2) FROM {t}", "1|false 2|false 3|true NULL|NULL"},
		{"SELECT a FROM {t} WHERE EXISTS (SELECT 1 FROM {s} WHERE x = a)", "2 3"},
		{"SELECT a FROM {t} WHERE NOT EXISTS (SELECT 1 FROM {s} WHERE x = a)", "1 NULL"},
		{"SELECT a FROM {t} WHERE EXISTS (SELECT 1 FROM {s} WHERE x = a AND y <> 'c')", "2 3"},
		{"SELECT a FROM {t} WHERE NOT EXISTS (SELECT 1 FROM {s} WHERE x = a AND y <> 'cc')", "1 NULL"},
		{"SELECT a, EXISTS (SELECT 1 FROM {s} WHERE x > a) FROM {t}", "1|true 2|true 3|true NULL|false"},
		{"SELECT a FROM {t} WHERE a > ALL (SELECT x FROM {s} WHERE x < 3)", "3"},
		{"SELECT a FROM {t} WHERE a >= ANY (SELECT x FROM {s})", "2 3"},
		{"SELECT a, a < ALL (SELECT x FROM {s} WHERE x IS NOT NULL) FROM {t}", "1|true 2|false 3|false NULL|NULL"},
		{"SELECT a, a = ANY (SELECT x FROM {s} WHERE x = a) FROM {t}", "1|false 2|true 3|true NULL|false"},
		{"SELECT a, (SELECT max(x) FROM {s}) FROM {t}", "1|4 2|4 3|4 NULL|4"},
		{"SELECT a FROM {t} WHERE a = (SELECT min(x) FROM {s})", "2"},
		{"SELECT a, (SELECT y FROM {s} WHERE x = a AND y <> 'cc') FROM {t}", "1|NULL 2|b 3|c NULL|NULL"},
		{"SELECT a, (SELECT count(*) FROM {s} WHERE x = a) FROM {t}", "1|0 2|1 3|2 NULL|0"},
		{"SELECT a, (SELECT count(*) + 10 FROM {s} WHERE x < a) FROM {t}", "1|10 2|10 3|11 NULL|10"},
		{"SELECT a, (SELECT sum(x) FROM {s} WHERE x <= a) FROM {t}", "1|NULL 2|2 3|8 NULL|NULL"},
		{"SELECT a FROM {t} WHERE (SELECT count(*) FROM {s} WHERE x = a) = 2", "3"},
		{"SELECT a FROM {t} WHERE (SELECT count(*) FROM {s} WHERE x = a) = 0", "1 NULL"},
		{"SELECT b FROM {t} WHERE a = 2 OR EXISTS (SELECT 1 FROM {s} WHERE x = a + 1)", "one three two"},
		{"SELECT x, count(*) FROM {s} GROUP BY x HAVING count(*) > (SELECT count(*) FROM {t} WHERE a = 1)", "3|2"},
	}
	for _, c := range cases {
		got, err := runSQL(t, c.sql)
		if err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("%s\n got  %s\n want %s", c.sql, g, c.want)
		}
	}
}

func TestScalarSubqueryTooManyRows(t *testing.T) {
	_, err := runSQL(t, "SELECT a, (SELECT x FROM {s} WHERE x >= a) FROM {t}")
	if e := sqlerr.From(err); err == nil || e.Code != sqlerr.CardinalityViolation {
		t.Fatalf("got %v, want 21000", err)
	}
}
