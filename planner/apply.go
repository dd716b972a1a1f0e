package planner

import (
	"errors"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Apply runs a correlated subquery that DecorrelateSubqueries cannot turn into a join (its
// reference to the outer query is somewhere other than a filter, e.g. an argument of a
// FROM function: psql's `\d` runs `(SELECT string_agg(attname, ', ') FROM
// generate_series(0, array_upper(pr.prattrs, 1)) s, pg_attribute WHERE ...)`). For every
// input row, the executor replaces Sub's references to the row (OuterRef, Depth 1) with the
// row's values (Bind), plans the result like any query and runs it: a nested loop, fine for
// the catalog queries that need it, slow over large inputs.
//
// The output is the input's columns followed by the subquery's value: a scalar subquery's
// one column (NULL without a row, an error with two), EXISTS's boolean, or for ANY and ALL
// the three-valued combination of the comparisons that Sub's one column computes.
type Apply struct {
	Input Node
	Sub   Node
	Kind  SubqueryKind
	Name  string
	T     types.T
}

func (n *Apply) Columns() []Column {
	in := n.Input.Columns()
	out := make([]Column, len(in), len(in)+1)
	copy(out, in)
	return append(out, Column{Name: n.Name, Type: n.T})
}

func (n *Apply) Inputs() []Node { return []Node{n.Input} }

func (n *Apply) String() string {
	kind := map[SubqueryKind]string{ScalarSubquery: "scalar", ExistsSubquery: "exists", AnySubquery: "any", AllSubquery: "all"}[n.Kind]
	return "Apply kind=" + kind + ", subquery=[" + n.Sub.String() + "]"
}

// applyFallback reports whether a subquery that failed to decorrelate with err should run
// as an Apply instead: it is correlated and the failure is an unsupported shape.
func applyFallback(sq *Subquery, err error) bool {
	var e *sqlerr.Error
	return errors.As(err, &e) && e.Code == sqlerr.FeatureNotSupported && sq.Correlated()
}

// applySubquery puts an Apply for sq over input and returns the new input and the
// expression of the subquery's value over it.
func applySubquery(input Node, sq *Subquery) (Node, Expr, error) {
	sub, err := unnest(sq.Plan)
	if err != nil {
		return nil, nil, err
	}
	a := &Apply{Input: input, Kind: sq.Kind, T: sq.T}
	switch sq.Kind {
	case ScalarSubquery:
		a.Sub, a.Name = sub, sub.Columns()[0].Name
	case ExistsSubquery:
		a.Sub, a.Name = &Limit{Input: sub, Count: 1}, "exists"
	default:
		if hasOuterRef(sq.Cmp) {
			return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "this correlated subquery is not supported yet: its comparison reads a query two levels out")
		}
		// The comparison, computed inside the subquery: its column is the subquery's first,
		// the outer operand an outer reference to the input row.
		inCols := input.Columns()
		cmp := Rewrite(sq.Cmp, func(x Expr) Expr {
			switch c := x.(type) {
			case *SubqueryColumn:
				return &ColumnRef{Index: 0, Name: "subquery", T: c.T}
			case *ColumnRef:
				return &OuterRef{Depth: 1, Index: c.Index, Name: inCols[c.Index].Name, T: c.T}
			}
			return x
		})
		a.Sub = &Project{Input: sub, Exprs: []Expr{cmp}, Cols: []Column{{Name: "cmp", Type: types.BoolT}}}
		a.Name = "mark"
	}
	return a, &ColumnRef{Index: len(input.Columns()), Name: a.Name, T: a.T}, nil
}

// Bind returns Sub with its references to the input row replaced by the row's values:
// row[i] is a one-element array holding input column i's value.
func (n *Apply) Bind(row []arrow.Array) (Node, error) {
	var err error
	sub := mapPlanExprs(n.Sub, func(e Expr) Expr {
		return Rewrite(e, func(x Expr) Expr {
			r, ok := x.(*OuterRef)
			if !ok || r.Depth != 1 {
				return x
			}
			if r.Index >= len(row) {
				err = sqlerr.New(sqlerr.InternalError, "outer reference %s past the input's %d columns", r, len(row))
				return x
			}
			return &Literal{T: r.T, Value: row[r.Index], Text: "outer." + r.Name}
		})
	})
	return sub, err
}

// mapPlanExprs rebuilds the plan under n with fn applied to the expressions nodeExprs
// lists. A nested Apply's Sub is left alone: its outer references are to its own input.
func mapPlanExprs(n Node, fn func(Expr) Expr) Node {
	n, _ = mapChildren(n, func(c Node) (Node, error) { return mapPlanExprs(c, fn), nil })
	all := func(es []Expr) []Expr {
		if es == nil {
			return nil
		}
		out := make([]Expr, len(es))
		for i, e := range es {
			out[i] = fn(e)
		}
		return out
	}
	switch x := n.(type) {
	case *Scan:
		c := *x
		c.Filters = all(x.Filters)
		return &c
	case *Values:
		c := *x
		c.Rows = make([][]Expr, len(x.Rows))
		for i, r := range x.Rows {
			c.Rows[i] = all(r)
		}
		return &c
	case *Filter:
		c := *x
		c.Cond = fn(x.Cond)
		return &c
	case *Project:
		c := *x
		c.Exprs = all(x.Exprs)
		return &c
	case *Aggregate:
		c := *x
		c.GroupBy = all(x.GroupBy)
		c.Aggs = make([]AggCall, len(x.Aggs))
		for i, ag := range x.Aggs {
			ag.Args = all(ag.Args)
			if ag.Filter != nil {
				ag.Filter = fn(ag.Filter)
			}
			c.Aggs[i] = ag
		}
		return &c
	case *Sort:
		c := *x
		c.Keys = make([]SortKey, len(x.Keys))
		for i, k := range x.Keys {
			k.Expr = fn(k.Expr)
			c.Keys[i] = k
		}
		return &c
	case *Join:
		c := *x
		c.LeftKeys, c.RightKeys = all(x.LeftKeys), all(x.RightKeys)
		if x.Cond != nil {
			c.Cond = fn(x.Cond)
		}
		return &c
	case *Unnest:
		c := *x
		c.Arrays = all(x.Arrays)
		return &c
	}
	return n
}

// pruneApply prunes under an Apply without moving the input's columns, which Sub's outer
// references read by position.
func pruneApply(x *Apply, required []bool) (Node, []int) {
	n := len(x.Input.Columns())
	all := make([]bool, n)
	for i := range all {
		all[i] = true
	}
	in, m := prune(x.Input, all)
	for i, to := range m {
		if to != i {
			return x, identity(n + 1)
		}
	}
	if len(in.Columns()) != n {
		return x, identity(n + 1)
	}
	c := *x
	c.Input = in
	return &c, identity(n + 1)
}
