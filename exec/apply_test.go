package exec

import (
	"context"
	"errors"
	"strings"
	"testing"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/sqlerr"
)

// TestApplySQL checks correlated subqueries that run as an Apply (their outer reference is
// an argument of a FROM function), with the answers PostgreSQL gives.
func TestApplySQL(t *testing.T) {
	cases := []struct{ sql, want string }{
		{"SELECT a, (SELECT sum(g) FROM generate_series(1, a) g) FROM {t}", "1|1 2|3 3|6 NULL|NULL"},
		{"SELECT a, (SELECT count(*) FROM generate_series(1, a) g JOIN {s} ON x = g) FROM {t}", "1|0 2|1 3|3 NULL|0"},
		{"SELECT a, EXISTS (SELECT 1 FROM generate_series(1, a) g WHERE g = 2) FROM {t}", "1|false 2|true 3|true NULL|false"},
		{"SELECT a FROM {t} WHERE NOT EXISTS (SELECT 1 FROM generate_series(2, a) g)", "1 NULL"},
		{"SELECT a FROM {t} WHERE 3 IN (SELECT g FROM generate_series(1, a) g)", "3"},
		// NOT IN over no rows is true, even for a NULL operand.
		{"SELECT a FROM {t} WHERE a NOT IN (SELECT g + 1 FROM generate_series(1, a) g)", "1 NULL"},
		{"SELECT a, a - 1 = ANY (SELECT NULLIF(g, 1) FROM generate_series(1, a) g) FROM {t}", "1|NULL 2|NULL 3|true NULL|false"},
		{"SELECT a, a > ALL (SELECT g FROM generate_series(1, a - 1) g) FROM {t}", "1|true 2|true 3|true NULL|true"},
		{"SELECT a, a > ALL (SELECT g FROM generate_series(1, a) g) FROM {t}", "1|false 2|false 3|false NULL|true"},
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

func TestApplyTooManyRows(t *testing.T) {
	_, err := runSQL(t, "SELECT a, (SELECT g FROM generate_series(1, a) g) FROM {t}")
	if e := sqlerr.From(err); err == nil || e.Code != sqlerr.CardinalityViolation {
		t.Fatalf("got %v, want 21000", err)
	}
}

// TestApplyCanceled checks that a canceled query stops between outer rows.
func TestApplyCanceled(t *testing.T) {
	sql := strings.NewReplacer("{t}", joinT).Replace("SELECT a, (SELECT sum(g) FROM generate_series(1, a) g) FROM {t}")
	res, err := pg.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	b := planner.NewBinder(context.Background(), nil, function.New(), "default", sql, &function.Context{})
	n, err := b.BindQuery(res.Stmts[0].Stmt.GetSelectStmt())
	if err != nil {
		t.Fatal(err)
	}
	if n, err = planner.Optimize(n, planner.DefaultRules()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(planner.Explain(n), "Apply kind=scalar") {
		t.Fatalf("plan has no Apply:\n%s", planner.Explain(n))
	}
	op, err := Build(n, joinEnv())
	if err != nil {
		t.Fatal(err)
	}
	defer op.Close()
	ctx, cancel := context.WithCancel(context.Background())
	if err := op.Open(ctx); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := op.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
