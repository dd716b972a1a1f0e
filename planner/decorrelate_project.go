package planner

import "github.com/quarrydb/quarry/types"

// outerProjectJoin decorrelates a scalar subquery whose select list reads the outer query,
// which pullCorrelation cannot move into a join condition. SQLAlchemy's column reflection
// has one: `(SELECT json_build_object('always', a.attidentity = 'a', ...) FROM pg_sequence s
// ... WHERE ... a.attidentity <> empty ...)`. The subquery's projection is lifted above the
// join: the subquery returns a marker and its input's columns, the join pairs them with the
// outer row, and the select-list expression is computed over the joined row, NULL when the
// subquery found no row (the marker is NULL). ok is false when the plan has another shape.
func outerProjectJoin(input Node, sq *Subquery) (Node, Expr, bool, error) {
	plan, err := unnest(sq.Plan)
	if err != nil {
		return nil, nil, false, err
	}
	p, isProject := plan.(*Project)
	if !isProject || len(p.Exprs) == 0 || hasSubquery(p.Exprs[0]) {
		return nil, nil, false, nil
	}
	direct, other := false, false
	Walk(p.Exprs[0], func(x Expr) bool {
		if r, ok := x.(*OuterRef); ok {
			if r.Depth == 1 {
				direct = true
			} else {
				other = true
			}
		}
		return true
	})
	if !direct || other {
		return nil, nil, false, nil
	}
	inCols := p.Input.Columns()
	exprs := make([]Expr, 0, len(inCols)+1)
	cols := make([]Column, 0, len(inCols)+1)
	exprs = append(exprs, NewLiteral(types.BoolT, true))
	cols = append(cols, Column{Name: "matched", Type: types.BoolT})
	for i, c := range inCols {
		exprs = append(exprs, &ColumnRef{Index: i, Name: c.Name, T: c.Type})
		cols = append(cols, Column{Name: c.Name, Type: c.Type, Hidden: true})
	}
	lifted := *sq
	lifted.Plan = &Project{Input: p.Input, Exprs: exprs, Cols: cols}
	pr, err := prepare(input, &lifted)
	if err != nil {
		return nil, nil, false, err
	}
	nIn := pr.nIn
	v := Rewrite(p.Exprs[0], func(x Expr) Expr {
		switch c := x.(type) {
		case *OuterRef:
			return &ColumnRef{Index: c.Index, Name: c.Name, T: c.T}
		case *ColumnRef:
			return &ColumnRef{Index: nIn + 1 + c.Index, Name: c.Name, T: c.T}
		}
		return x
	})
	j := &Join{Kind: SingleJoin, Left: input, Right: pr.plan, Cond: joinCondition(pr.corr)}
	marker := &ColumnRef{Index: nIn, Name: "matched", T: types.BoolT}
	value := &Case{T: v.Type(), Whens: []When{{Cond: &IsNullTest{Arg: marker}, Result: NewLiteral(v.Type(), nil)}}, Else: v}
	return j, value, true, nil
}
