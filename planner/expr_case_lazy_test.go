package planner

import (
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
)

// TestCaseLazyFolding checks constant folding around lazy CASE and COALESCE: a branch that
// may not be taken keeps a failing constant unfolded for run time, constant conditions drop
// the arms they rule out, and an eager part (the first condition, the first COALESCE
// argument, the coercion of results) still fails at bind time as in PostgreSQL.
func TestCaseLazyFolding(t *testing.T) {
	cases := []struct{ expr, want string }{
		{"CASE WHEN 1 = 1 THEN 1 ELSE 1/0 END", "1"},
		{"CASE WHEN NULL THEN 1/0 WHEN false THEN 2 ELSE 3 END", "3"},
		{"CASE WHEN false THEN 1/0 END", "NULL"},
		{"CASE WHEN a > 0 THEN 1 ELSE 1/0 END", "CASE WHEN (a#0 > 0) THEN 1 ELSE (1 / 0) END"},
		{"CASE WHEN a > 0 THEN 1 WHEN true THEN 2 ELSE 1/0 END", "CASE WHEN (a#0 > 0) THEN 1 ELSE 2 END"},
		{"CASE WHEN a = 0 THEN 0 WHEN 1/0 > 1 THEN 1 END", "CASE WHEN (a#0 = 0) THEN 0 WHEN ((1 / 0) > 1) THEN 1 ELSE NULL END"},
		{"CASE a WHEN 1 THEN 'x' ELSE b END", "CASE WHEN (a#0 = 1) THEN 'x' ELSE b#1 END"},
		{"COALESCE(1, 1/0)", "1"},
		{"COALESCE(NULL, a, 1/0)", "COALESCE(a#0, (1 / 0))"},
		{"COALESCE(a, 2, 1/0)", "COALESCE(a#0, 2)"},
		{"COALESCE(NULL, NULL)", "NULL"},
		{"COALESCE(a)", "a#0"},
		// Constants that fold without error still fold inside a branch.
		{"CASE WHEN a > 0 THEN 6/2 END", "CASE WHEN (a#0 > 0) THEN 3 ELSE NULL END"},
	}
	for _, c := range cases {
		e, err := firstExpr(t, c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if e.String() != c.want {
			t.Errorf("%s: bound to %s, want %s", c.expr, e.String(), c.want)
		}
	}
	errs := []struct{ expr, code string }{
		{"CASE WHEN 1/0 = 1 THEN 1 END", sqlerr.DivisionByZero},
		{"COALESCE(1/0, a)", sqlerr.DivisionByZero},
		{"CASE WHEN a > 0 THEN 1 ELSE 'x' END", sqlerr.InvalidTextRepresentation},
		// Only data errors wait: a bind error in a lazy branch still fails.
		{"CASE WHEN a > 0 THEN 1 ELSE nosuch END", sqlerr.UndefinedColumn},
	}
	for _, c := range errs {
		if _, err := firstExpr(t, c.expr); sqlerr.Code(err) != c.code {
			t.Errorf("%s: got %v, want %s", c.expr, err, c.code)
		}
	}
}
