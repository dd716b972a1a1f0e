package planner

import (
	"errors"
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// SubqueryKind says what a Subquery expression asks of its plan.
type SubqueryKind uint8

const (
	// ScalarSubquery is the single value of a one-column subquery (NULL when it has no
	// rows; an error when it has more than one).
	ScalarSubquery SubqueryKind = iota
	// ExistsSubquery is whether the subquery has a row.
	ExistsSubquery
	// AnySubquery is `x op ANY (subquery)`, and IN as `= ANY`.
	AnySubquery
	// AllSubquery is `x op ALL (subquery)`.
	AllSubquery
)

// Subquery is a subquery inside an expression, as the binder leaves it. The rule
// DecorrelateSubqueries turns every one into a join before any other rule runs, so the
// executor never sees one.
//
// Plan may read the columns of the node the expression is evaluated over through OuterRef
// (Depth 1); it is then correlated. For ANY and ALL, Cmp is the comparison `x op y` bound
// over the enclosing node's columns, with y a SubqueryColumn standing for the subquery's
// one column.
type Subquery struct {
	Kind SubqueryKind
	Plan Node
	Cmp  Expr
	T    types.T
}

func (e *Subquery) Type() types.T { return e.T }
func (e *Subquery) String() string {
	switch e.Kind {
	case ExistsSubquery:
		return "EXISTS(subquery)"
	case AnySubquery:
		return "ANY" + e.Cmp.String()
	case AllSubquery:
		return "ALL" + e.Cmp.String()
	}
	return "(subquery)"
}

// Correlated reports whether the subquery reads columns of the query around it.
func (e *Subquery) Correlated() bool {
	found := false
	walkOuterRefs(e.Plan, 1, func(*OuterRef) { found = true })
	return found
}

// OuterRef reads column Index of the node that a subquery Depth levels out is evaluated
// over (a correlated subquery's reference to the query around it).
type OuterRef struct {
	Depth int
	Index int
	Name  string
	T     types.T
}

func (e *OuterRef) Type() types.T  { return e.T }
func (e *OuterRef) String() string { return fmt.Sprintf("outer(%s#%d)", e.Name, e.Index) }

// SubqueryColumn stands for the single output column of an ANY/ALL subquery inside
// Subquery.Cmp.
type SubqueryColumn struct{ T types.T }

func (e *SubqueryColumn) Type() types.T  { return e.T }
func (e *SubqueryColumn) String() string { return "subquery.col" }

// bindSubLink binds a subquery expression in scope s, which becomes the scope its
// correlated column references resolve in.
func (b *Binder) bindSubLink(sl *pg.SubLink, s *scope) (Expr, error) {
	sel := sl.Subselect.GetSelectStmt()
	if sel == nil {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "this kind of subquery is not supported").WithPosition(b.pos(sl.Location))
	}
	b.outer = append(b.outer, s)
	plan, err := b.bindSelect(sel)
	b.outer = b.outer[:len(b.outer)-1]
	if err != nil {
		return nil, err
	}
	cols := plan.Columns()
	switch sl.SubLinkType {
	case pg.SubLinkType_EXISTS_SUBLINK:
		return &Subquery{Kind: ExistsSubquery, Plan: plan, T: types.BoolT}, nil
	case pg.SubLinkType_EXPR_SUBLINK:
		if len(cols) != 1 {
			return nil, sqlerr.New(sqlerr.SyntaxError, "subquery must return only one column").WithPosition(b.pos(sl.Location))
		}
		return &Subquery{Kind: ScalarSubquery, Plan: plan, T: cols[0].Type}, nil
	case pg.SubLinkType_ANY_SUBLINK, pg.SubLinkType_ALL_SUBLINK:
		if sl.Testexpr.GetRowExpr() != nil || len(cols) != 1 {
			if len(cols) != 1 {
				return nil, sqlerr.New(sqlerr.SyntaxError, "subquery has too many columns").WithPosition(b.pos(sl.Location))
			}
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "row comparisons with subqueries are not supported yet").WithPosition(b.pos(sl.Location))
		}
		test, err := b.expr(sl.Testexpr, s)
		if err != nil {
			return nil, err
		}
		op := "="
		if len(sl.OperName) > 0 {
			op = strVal(sl.OperName[len(sl.OperName)-1])
		}
		cmp, err := b.binary(op, test, &SubqueryColumn{T: cols[0].Type}, sl.Location)
		if err != nil {
			return nil, err
		}
		if cmp.Type().Kind != types.Bool {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "op ANY/ALL (array) requires operator to yield boolean").WithPosition(b.pos(sl.Location))
		}
		kind := AnySubquery
		if sl.SubLinkType == pg.SubLinkType_ALL_SUBLINK {
			kind = AllSubquery
		}
		return &Subquery{Kind: kind, Plan: plan, Cmp: cmp, T: types.BoolT}, nil
	case pg.SubLinkType_ARRAY_SUBLINK:
		return b.arraySublink(sl, s) // expr_array_sublink.go
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s subqueries are not supported yet", strings.ToLower(sl.SubLinkType.String())).WithPosition(b.pos(sl.Location))
}

// resolveOuter resolves a column reference that the current scope does not have in the
// scopes of the queries around a subquery, innermost first. It returns nil when none has it.
func (b *Binder) resolveOuter(qual, name string, pos int) (Expr, error) {
	for d := len(b.outer) - 1; d >= 0; d-- {
		s := b.outer[d]
		depth := len(b.outer) - d
		var idx int
		var err error
		var col Column
		if s.agg != nil {
			idx, err = s.agg.input.resolve(qual, name, pos)
			if err != nil {
				continue
			}
			col = s.agg.input.cols[idx]
			gi := s.agg.groupIndex(&ColumnRef{Index: idx, Name: col.Name, T: col.Type})
			if gi < 0 {
				return nil, sqlerr.New(sqlerr.GroupingError, "subquery uses ungrouped column %q from outer query", name).WithPosition(pos)
			}
			idx = gi
		} else {
			idx, err = s.resolve(qual, name, pos)
			if err != nil {
				if isAmbiguous(err) {
					return nil, err
				}
				continue
			}
			col = s.cols[idx]
		}
		if depth > 1 {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "a subquery that references a query two or more levels out (%s) is not supported yet", name).WithPosition(pos)
		}
		return &OuterRef{Depth: depth, Index: idx, Name: col.Name, T: col.Type}, nil
	}
	return nil, nil
}

func isAmbiguous(err error) bool {
	var e *sqlerr.Error
	return errors.As(err, &e) && e.Code == sqlerr.AmbiguousColumn
}

// nodeExprs returns the expressions a plan node holds (not those of its inputs).
func nodeExprs(n Node) []Expr {
	switch x := n.(type) {
	case *Scan:
		return x.Filters
	case *Values:
		var out []Expr
		for _, r := range x.Rows {
			out = append(out, r...)
		}
		return out
	case *Filter:
		return []Expr{x.Cond}
	case *Unnest:
		return x.Arrays
	case *Project:
		return x.Exprs
	case *Aggregate:
		out := append([]Expr(nil), x.GroupBy...)
		for _, a := range x.Aggs {
			out = append(out, a.Args...)
			if a.Filter != nil {
				out = append(out, a.Filter)
			}
		}
		return out
	case *Sort:
		out := make([]Expr, len(x.Keys))
		for i, k := range x.Keys {
			out[i] = k.Expr
		}
		return out
	case *Join:
		out := append(append([]Expr(nil), x.LeftKeys...), x.RightKeys...)
		if x.Cond != nil {
			out = append(out, x.Cond)
		}
		return out
	}
	return nil
}

// walkOuterRefs calls fn on every OuterRef in the plan under n that points level levels out
// of n (counting the subqueries it is nested in).
func walkOuterRefs(n Node, level int, fn func(*OuterRef)) {
	for _, e := range nodeExprs(n) {
		Walk(e, func(x Expr) bool {
			switch r := x.(type) {
			case *OuterRef:
				if r.Depth == level {
					fn(r)
				}
			case *Subquery:
				walkOuterRefs(r.Plan, level+1, fn)
			}
			return true
		})
	}
	for _, in := range n.Inputs() {
		walkOuterRefs(in, level, fn)
	}
}

// hasSubquery reports whether e contains a Subquery.
func hasSubquery(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*Subquery); ok {
			found = true
		}
		return !found
	})
	return found
}

// hasOuterRef reports whether e reads a column of an enclosing query.
func hasOuterRef(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*OuterRef); ok {
			found = true
		}
		return !found
	})
	return found
}
