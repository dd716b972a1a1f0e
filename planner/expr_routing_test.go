package planner

import (
	"testing"

	"github.com/quarrydb/quarry/sqlerr"
)

// firstExpr plans `SELECT <expr> FROM t` and returns the bound select-list expression.
func firstExpr(t *testing.T, expr string) (Expr, error) {
	t.Helper()
	n, err := plan(t, "SELECT "+expr+" FROM t")
	if err != nil {
		return nil, err
	}
	for n != nil {
		if p, ok := n.(*Project); ok {
			return p.Exprs[0], nil
		}
		in := n.Inputs()
		if len(in) == 0 {
			break
		}
		n = in[0]
	}
	t.Fatalf("%s: no projection in the plan", expr)
	return nil, nil
}

// TestExprRouting checks that syntax the binder routes to existing kernels binds to the
// expected expression: constants fold to PostgreSQL's value and display scale, COLLATE "C"
// disappears, TRY stays a Try node so its error waits for run time.
func TestExprRouting(t *testing.T) {
	cases := []struct{ expr, want, typ string }{
		// Division of constants: PostgreSQL's select_div_scale.
		{"1.0/3", "0.33333333333333333333", "numeric(22,20)"},
		{"10.00/4", "2.5000000000000000", ""},
		{"100000.0/3", "33333.333333333333", ""},
		{"2/7.0", "0.28571428571428571429", ""},
		{"123456789.0/0.001", "123456789000.00000000", ""},
		{"0.001/123456789", "0.0000000000081000000737100007", ""},
		{"-1.0/3", "-0.33333333333333333333", ""},
		// A column operand keeps the type's scale, max(16, s1, s2).
		{"c/3", "(c#0 / 3)", "numeric(29,16)"},
		// round/trunc with a constant digit count: scale max(n, 0).
		{"round(2.345, 2)", "2.35", "numeric(4,2)"},
		{"round(2.3, 5)", "2.30000", ""},
		{"round(1234.5678, -2)", "1200", ""},
		{"trunc(2.345, 2)", "2.34", ""},
		{"trunc(-2.999, 1)", "-2.9", ""},
		{"round(42, 2)", "42.00", ""},
		{"round(2.5)", "3", ""},
		{"round(c, 1)", "CAST(round(c#0, 1) AS numeric(15,1))", ""},
		// COLLATE "C" and its synonyms: Quarry compares bytewise already.
		{`b COLLATE "C"`, "b#0", ""},
		{`b COLLATE pg_catalog.default`, "b#0", ""},
		{`b COLLATE pg_catalog."POSIX"`, "b#0", ""},
		{`'x' COLLATE "C"`, "'x'", "text"},
		// psql's \d pattern match.
		{`b OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default`, "(b#0 ~ '^(t)$')", "boolean"},
		{`b !~* 'X'`, "(b#0 !~* 'X')", "boolean"},
		// JSON operators take a text key or an integer index, not the json operand's type.
		{`'{"a":[1,2]}'::json -> 'a' ->> 1`, "'2'", "text"},
		{`'{"a":[1,2]}'::json #> '{a,0}'`, "'1'", "json"},
		{`'{"a":{"b":"x"}}'::json #>> '{a,b}'`, "'x'", "text"},
		// TRY: a data error while folding waits for run time.
		{"try(1/0)", "TRY((1 / 0))", "integer"},
		{"try(a/0)", "TRY((a#0 / 0))", "integer"},
		{"try(CAST('x' AS integer))", "TRY(CAST('x' AS integer))", "integer"},
		{"try(6/2)", "3", "integer"},
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
		if c.typ != "" && e.Type().String() != c.typ {
			t.Errorf("%s: type %s, want %s", c.expr, e.Type(), c.typ)
		}
	}
}

func TestExprRoutingErrors(t *testing.T) {
	cases := []struct{ expr, code, msg string }{
		{`b COLLATE "en_US"`, sqlerr.UndefinedObject, `collation "en_US" for encoding "UTF8" does not exist`},
		{`b COLLATE "c"`, sqlerr.UndefinedObject, `collation "c" for encoding "UTF8" does not exist`},
		{`b COLLATE public."C"`, sqlerr.UndefinedObject, `collation "public.C" for encoding "UTF8" does not exist`},
		{`a COLLATE "C"`, sqlerr.DatatypeMismatch, "collations are not supported by type integer"},
		{"try(1, 2)", sqlerr.SyntaxError, "TRY takes exactly one expression"},
		// TRY hides data errors only: a bind error inside it still fails.
		{"try(nosuch)", sqlerr.UndefinedColumn, `column "nosuch" does not exist`},
		{"1/0", sqlerr.DivisionByZero, "division by zero"},
	}
	for _, c := range cases {
		_, err := firstExpr(t, c.expr)
		if err == nil {
			t.Errorf("%s: no error", c.expr)
			continue
		}
		e := sqlerr.From(err)
		if e.Code != c.code || e.Message != c.msg {
			t.Errorf("%s: got %s %q, want %s %q", c.expr, e.Code, e.Message, c.code, c.msg)
		}
	}
}
