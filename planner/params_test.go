package planner

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func paramBinder(t *testing.T, sql string, p *Params) (*Binder, *pg.SelectStmt) {
	t.Helper()
	res, err := pg.Parse(sql)
	if err != nil {
		t.Fatalf("parse %q: %v", sql, err)
	}
	b := NewBinder(context.Background(), testCatalog(), function.New(), "default", sql, &function.Context{})
	return b.WithParams(p), res.Stmts[0].Stmt.GetSelectStmt()
}

func codeOf(err error) string {
	var e *sqlerr.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// TestDescribeQueryInfersTypes: a parameter takes the type PostgreSQL gives it, from the
// place where an untyped literal would take its type.
func TestDescribeQueryInfersTypes(t *testing.T) {
	cases := []struct {
		sql      string
		declared []types.T
		want     string // parameter types, or the SQLSTATE of the error
	}{
		{"select a from t where a = $1", nil, "integer"},
		{"select a from t where $1 = c", nil, "numeric(15,2)"},
		{"select a from t where d between $1 and $2", nil, "date, date"},
		{"select a from t where b like $1", nil, "text"},
		{"select $1::bigint, $2::date", nil, "bigint, date"},
		{"select $1 + 1", nil, "integer"},
		{"select $1", nil, "text"},
		{"select a from t limit $1 offset $2", nil, "bigint, bigint"},
		{"select a from t where a in (select a from t where b = $1)", nil, "text"},
		{"select a from t group by a having sum(c) > $1", nil, "numeric(38,2)"},
		{"select a from t where a = $1", []types.T{types.Int64T}, "bigint"},
		{"select a from t where a = $2", nil, "42P18"},
		{"select a from t where a = $1", []types.T{types.UnknownT, types.DateT}, "integer, date"},
	}
	for _, tc := range cases {
		t.Run(tc.sql, func(t *testing.T) {
			p := NewParams(tc.declared)
			b, sel := paramBinder(t, tc.sql, p)
			_, err := b.DescribeQuery(sel)
			got := codeOf(err)
			if err == nil {
				parts := make([]string, len(p.Types))
				for i, pt := range p.Types {
					parts[i] = pt.String()
				}
				got = strings.Join(parts, ", ")
			} else if got == "" {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestParamsBindAsLiterals: with values, $n is a literal, which LIMIT and folding read.
func TestParamsBindAsLiterals(t *testing.T) {
	lit := func(t types.T, v any) arrow.Array { return NewLiteral(t, v).Value }
	p := &Params{Types: []types.T{types.Int64T, types.Int32T}, Values: []arrow.Array{lit(types.Int64T, int64(3)), lit(types.Int32T, int32(4))}}
	b, sel := paramBinder(t, "select a + $2 from t limit $1", p)
	n, err := b.BindQuery(sel)
	if err != nil {
		t.Fatal(err)
	}
	got := Explain(n)
	if !strings.Contains(got, "Limit count=3") || !strings.Contains(got, "(a#0 + 4)") {
		t.Fatalf("plan:\n%s", got)
	}
	// Without parameters, and beyond the values given, $n does not exist.
	for _, p := range []*Params{nil, {Types: []types.T{types.Int64T}, Values: []arrow.Array{lit(types.Int64T, int64(1))}}} {
		b, sel := paramBinder(t, "select $2", p)
		if _, err := b.BindQuery(sel); codeOf(err) != sqlerr.UndefinedParameter {
			t.Fatalf("got %v, want 42P02", err)
		}
	}
}
