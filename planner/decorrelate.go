package planner

import (
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// DecorrelateSubqueries turns every subquery expression into a join with the node the
// expression is evaluated over, so that the executor runs each subquery once, as a hash
// join, whatever it references:
//
//   - [NOT] EXISTS and IN / op ANY / op ALL as a conjunct of a filter become semi and anti
//     joins; NOT IN without correlation is a null-aware anti join (no row when the
//     subquery yields a NULL).
//   - Elsewhere in an expression they become mark joins, whose boolean column replaces
//     them (two marks give ANY and ALL their three-valued answers).
//   - A scalar subquery becomes a single join (an error for a second match); a correlated
//     one over an aggregate becomes a left join with the aggregate grouped by the
//     correlated columns, with the aggregate's value over no rows (count's 0) for the
//     outer rows without a group.
//
// The correlation conditions, found in the filters at the top of the subquery (under its
// projections and sorts), become the join's condition; their `=` pairs become its keys.
//
// A correlated subquery of another shape (an outer reference in a FROM function's
// arguments, under an aggregate, ...) becomes an Apply instead, run once per outer row
// (apply.go).
type DecorrelateSubqueries struct{}

func (DecorrelateSubqueries) Name() string { return "DecorrelateSubqueries" }

func (DecorrelateSubqueries) Apply(n Node) (Node, error) { return unnest(n) }

// unnest removes the subqueries of n and everything under it.
func unnest(n Node) (Node, error) {
	n, err := mapChildren(n, unnest)
	if err != nil {
		return nil, err
	}
	switch x := n.(type) {
	case *Filter:
		if hasSubquery(x.Cond) {
			return unnestFilter(x)
		}
	case *Project:
		for _, e := range x.Exprs {
			if hasSubquery(e) {
				return unnestProject(x)
			}
		}
	case *Aggregate:
		for _, e := range nodeExprs(x) {
			if hasSubquery(e) {
				return unnestAggregate(x)
			}
		}
	default:
		for _, e := range nodeExprs(n) {
			if hasSubquery(e) {
				return nil, sqlerr.New(sqlerr.FeatureNotSupported, "subqueries are not supported in this position yet")
			}
		}
	}
	return n, nil
}

func unnestFilter(f *Filter) (Node, error) {
	input := f.Input
	cols := input.Columns()
	var keep []Expr
	for _, c := range conjuncts(f.Cond) {
		if !hasSubquery(c) {
			keep = append(keep, c)
			continue
		}
		e, neg := c, false
		if n, ok := c.(*Not); ok {
			e, neg = n.Arg, true
		}
		if sq, ok := e.(*Subquery); ok && sq.Kind != ScalarSubquery {
			in, err := semiJoin(input, sq, neg)
			if err == nil {
				input = in
				continue
			}
			if !applyFallback(sq, err) {
				return nil, err
			}
			// Not decorrelatable: an Apply's mark, filtered on below (apply.go).
		}
		in, rewritten, err := unnestExpr(input, c)
		if err != nil {
			return nil, err
		}
		input = in
		keep = append(keep, rewritten)
	}
	var out Node = input
	if len(keep) > 0 {
		out = &Filter{Input: input, Cond: joinCondition(keep)}
	}
	return keepColumns(out, cols), nil
}

func unnestProject(p *Project) (Node, error) {
	input := p.Input
	exprs := make([]Expr, len(p.Exprs))
	for i, e := range p.Exprs {
		in, rewritten, err := unnestExpr(input, e)
		if err != nil {
			return nil, err
		}
		input, exprs[i] = in, rewritten
	}
	return &Project{Input: input, Exprs: exprs, Cols: p.Cols}, nil
}

func unnestAggregate(a *Aggregate) (Node, error) {
	input := a.Input
	c := *a
	var err error
	rewrite := func(e Expr) Expr {
		if err != nil || e == nil {
			return e
		}
		var in Node
		in, e, err = unnestExpr(input, e)
		if err == nil {
			input = in
		}
		return e
	}
	c.GroupBy = make([]Expr, len(a.GroupBy))
	for i, g := range a.GroupBy {
		c.GroupBy[i] = rewrite(g)
	}
	c.Aggs = make([]AggCall, len(a.Aggs))
	for i, ag := range a.Aggs {
		args := make([]Expr, len(ag.Args))
		for k, x := range ag.Args {
			args[k] = rewrite(x)
		}
		ag.Args = args
		ag.Filter = rewrite(ag.Filter)
		c.Aggs[i] = ag
	}
	if err != nil {
		return nil, err
	}
	c.Input = input
	return &c, nil
}

// keepColumns narrows n to its first len(cols) columns when subquery joins added some.
func keepColumns(n Node, cols []Column) Node {
	if len(n.Columns()) == len(cols) {
		return n
	}
	exprs := make([]Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &ColumnRef{Index: i, Name: c.Name, T: c.Type}
	}
	return &Project{Input: n, Exprs: exprs, Cols: cols}
}

// unnestExpr replaces each subquery in e with a column of a join added over input; it
// returns the new input (input's columns followed by the added ones) and e over it.
func unnestExpr(input Node, e Expr) (Node, Expr, error) {
	var err error
	out := Rewrite(e, func(x Expr) Expr {
		sq, ok := x.(*Subquery)
		if !ok || err != nil {
			return x
		}
		var in Node
		var v Expr
		switch sq.Kind {
		case ScalarSubquery:
			in, v, err = scalarJoin(input, sq)
		case ExistsSubquery:
			in, v, err = existsMark(input, sq)
		default:
			in, v, err = anyAllMark(input, sq)
		}
		if err != nil && applyFallback(sq, err) {
			in, v, err = applySubquery(input, sq) // apply.go
		}
		if err != nil {
			return x
		}
		input = in
		return v
	})
	if err != nil {
		return nil, nil, err
	}
	return input, out, nil
}

// prepared is a subquery plan with its correlation pulled out: plan has no outer
// references, and corr are conditions over the outer input's columns followed by plan's.
type prepared struct {
	plan Node
	corr []Expr
	nIn  int
}

func prepare(input Node, sq *Subquery) (*prepared, error) {
	plan, err := unnest(sq.Plan)
	if err != nil {
		return nil, err
	}
	nIn := len(input.Columns())
	plan, corr, err := pullCorrelation(plan, nIn)
	if err != nil {
		return nil, err
	}
	return &prepared{plan: plan, corr: corr, nIn: nIn}, nil
}

// cmpOver returns an ANY/ALL comparison over the join's columns: the outer input's, then
// the subquery's (whose first column the SubqueryColumn stands for).
func (p *prepared) cmpOver(cmp Expr) Expr {
	return Rewrite(cmp, func(x Expr) Expr {
		if c, ok := x.(*SubqueryColumn); ok {
			return &ColumnRef{Index: p.nIn, Name: "subquery", T: c.T}
		}
		return x
	})
}

// nullAwareKey returns the key pair of an uncorrelated `x = ANY (subquery)`: x over the
// outer input and the subquery column over the subquery's output.
func nullAwareKey(p *prepared, sq *Subquery) (Expr, Expr, bool) {
	if len(p.corr) > 0 {
		return nil, nil, false
	}
	call, ok := sq.Cmp.(*Call)
	if !ok || call.Name != "=" || len(call.Args) != 2 || !hashable(call.Args[0].Type()) {
		return nil, nil, false
	}
	l, r := call.Args[0], call.Args[1]
	if hasSubqueryColumn(l) || !onlySubqueryColumn(r) || hasOuterRef(l) {
		return nil, nil, false
	}
	r = Rewrite(r, func(x Expr) Expr {
		if c, ok := x.(*SubqueryColumn); ok {
			return &ColumnRef{Index: 0, Name: "subquery", T: c.T}
		}
		return x
	})
	return l, r, true
}

func hasSubqueryColumn(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*SubqueryColumn); ok {
			found = true
		}
		return !found
	})
	return found
}

// onlySubqueryColumn reports whether e reads the subquery column and nothing else.
func onlySubqueryColumn(e Expr) bool {
	ok := hasSubqueryColumn(e)
	Walk(e, func(x Expr) bool {
		switch x.(type) {
		case *ColumnRef, *OuterRef, *Subquery:
			ok = false
		}
		return ok
	})
	return ok
}

// semiJoin joins input with a non-scalar subquery that is a conjunct of a filter (negated
// when neg): the result has input's columns, and the rows for which the conjunct is true.
func semiJoin(input Node, sq *Subquery, neg bool) (Node, error) {
	p, err := prepare(input, sq)
	if err != nil {
		return nil, err
	}
	kind := SemiJoin
	conds := append([]Expr(nil), p.corr...)
	switch sq.Kind {
	case ExistsSubquery:
		if neg {
			kind = AntiJoin
		}
	case AnySubquery:
		cmp := p.cmpOver(sq.Cmp)
		if !neg {
			conds = append(conds, cmp)
			break
		}
		kind = AntiJoin
		if l, r, ok := nullAwareKey(p, sq); ok {
			return &Join{Kind: AntiJoin, Left: input, Right: p.plan, LeftKeys: []Expr{l}, RightKeys: []Expr{r}, NullAware: true}, nil
		}
		// NOT (x op ANY s): no row of s compares true or unknown.
		conds = append(conds, &BoolTest{Arg: cmp, Want: 0, Negate: true})
	case AllSubquery:
		cmp := p.cmpOver(sq.Cmp)
		if neg {
			// NOT (x op ALL s): some row of s compares false.
			conds = append(conds, &Not{Arg: cmp})
			break
		}
		// x op ALL s: no row of s compares false or unknown.
		kind = AntiJoin
		conds = append(conds, &BoolTest{Arg: cmp, Want: 1, Negate: true})
	}
	return &Join{Kind: kind, Left: input, Right: p.plan, Cond: joinCondition(conds)}, nil
}

// existsMark adds a mark join for EXISTS in an expression.
func existsMark(input Node, sq *Subquery) (Node, Expr, error) {
	p, err := prepare(input, sq)
	if err != nil {
		return nil, nil, err
	}
	j := &Join{Kind: MarkJoin, Left: input, Right: p.plan, Cond: joinCondition(p.corr), MarkName: "exists"}
	return j, &ColumnRef{Index: p.nIn, Name: "exists", T: types.BoolT}, nil
}

// anyAllMark adds the mark joins for ANY or ALL in an expression and returns their
// three-valued combination.
func anyAllMark(input Node, sq *Subquery) (Node, Expr, error) {
	p, err := prepare(input, sq)
	if err != nil {
		return nil, nil, err
	}
	if sq.Kind == AnySubquery {
		if l, r, ok := nullAwareKey(p, sq); ok {
			j := &Join{Kind: MarkJoin, Left: input, Right: p.plan, LeftKeys: []Expr{l}, RightKeys: []Expr{r}, NullAware: true, MarkName: "in"}
			return j, &ColumnRef{Index: p.nIn, Name: "in", T: types.BoolT}, nil
		}
	}
	cmp := p.cmpOver(sq.Cmp)
	// ANY is true when some comparison is true; ALL is false when some comparison is
	// false. Otherwise either is NULL when some comparison is NULL.
	var decisive Expr = cmp
	if sq.Kind == AllSubquery {
		decisive = &Not{Arg: cmp}
	}
	first := &Join{Kind: MarkJoin, Left: input, Right: p.plan, Cond: joinCondition(append(append([]Expr(nil), p.corr...), decisive)), MarkName: "mark"}
	// The second mark join sits over the first, whose mark column shifts the subquery's
	// columns by one.
	m := make([]int, p.nIn+len(p.plan.Columns()))
	for i := range m {
		m[i] = i
		if i >= p.nIn {
			m[i] = i + 1
		}
	}
	var unknown []Expr
	for _, c := range p.corr {
		unknown = append(unknown, Remap(c, m))
	}
	unknown = append(unknown, &BoolTest{Arg: Remap(cmp, m), Want: -1})
	second := &Join{Kind: MarkJoin, Left: first, Right: p.plan, Cond: joinCondition(unknown), MarkName: "mark"}
	m1 := &ColumnRef{Index: p.nIn, Name: "mark", T: types.BoolT}
	m2 := &ColumnRef{Index: p.nIn + 1, Name: "mark", T: types.BoolT}
	win, lose := true, false
	if sq.Kind == AllSubquery {
		win, lose = false, true
	}
	v := &Case{T: types.BoolT, Whens: []When{
		{Cond: m1, Result: NewLiteral(types.BoolT, win)},
		{Cond: m2, Result: NewLiteral(types.BoolT, nil)},
	}, Else: NewLiteral(types.BoolT, lose)}
	return second, v, nil
}

// scalarJoin adds the join for a scalar subquery and returns the expression of its value.
func scalarJoin(input Node, sq *Subquery) (Node, Expr, error) {
	nIn := len(input.Columns())
	if sq.Correlated() {
		plan, err := unnest(sq.Plan)
		if err != nil {
			return nil, nil, err
		}
		if n, v, ok, err := aggregateJoin(input, plan, nIn); ok || err != nil {
			return n, v, err
		}
		if n, v, ok, err := outerProjectJoin(input, sq); ok || err != nil { // decorrelate_project.go
			return n, v, err
		}
	}
	p, err := prepare(input, sq)
	if err != nil {
		return nil, nil, err
	}
	j := &Join{Kind: SingleJoin, Left: input, Right: p.plan, Cond: joinCondition(p.corr)}
	c := p.plan.Columns()[0]
	return j, &ColumnRef{Index: nIn, Name: c.Name, T: c.Type}, nil
}
