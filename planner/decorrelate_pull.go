package planner

import (
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// pullCorrelation takes the conditions that read the outer query out of the filters at
// the top of a subquery plan (under projections and sorts, which pass the columns the
// conditions need up). It returns the plan without them, whose first columns are the
// original ones, and the conditions over nIn outer columns followed by the plan's.
func pullCorrelation(n Node, nIn int) (Node, []Expr, error) {
	out, corr, err := pull(n, nIn)
	if err != nil {
		return nil, nil, err
	}
	found := false
	walkOuterRefs(out, 1, func(*OuterRef) { found = true })
	if found {
		return nil, nil, sqlerr.New(sqlerr.FeatureNotSupported, "this correlated subquery is not supported yet: its reference to the outer query is not in its WHERE clause")
	}
	return out, corr, nil
}

func pull(n Node, nIn int) (Node, []Expr, error) {
	switch x := n.(type) {
	case *Filter:
		in, corr, err := pull(x.Input, nIn)
		if err != nil {
			return nil, nil, err
		}
		var keep []Expr
		for _, c := range conjuncts(x.Cond) {
			if !hasOuterRef(c) {
				keep = append(keep, c)
				continue
			}
			corr = append(corr, toJoinSpace(c, nIn))
		}
		return filterOver(in, keep), corr, nil
	case *Project:
		in, corr, err := pull(x.Input, nIn)
		if err != nil {
			return nil, nil, err
		}
		if len(corr) == 0 {
			c := *x
			c.Input = in
			return &c, nil, nil
		}
		// Pass up the input columns the conditions read, after the projection's own.
		c := *x
		c.Input = in
		c.Exprs = append([]Expr(nil), x.Exprs...)
		c.Cols = append([]Column(nil), x.Cols...)
		inCols := in.Columns()
		at := map[int]int{}
		used := map[int]bool{}
		for _, e := range corr {
			ColumnsUsed(e, used)
		}
		m := make([]int, nIn+len(inCols))
		for i := 0; i < nIn; i++ {
			m[i] = i
		}
		for i := range inCols {
			m[nIn+i] = -1
			if !used[nIn+i] {
				continue
			}
			if _, ok := at[i]; !ok {
				at[i] = len(c.Exprs)
				col := inCols[i]
				col.Hidden = true
				c.Exprs = append(c.Exprs, &ColumnRef{Index: i, Name: col.Name, T: col.Type})
				c.Cols = append(c.Cols, col)
			}
			m[nIn+i] = nIn + at[i]
		}
		return &c, remapAll(corr, m), nil
	case *Sort:
		in, corr, err := pull(x.Input, nIn)
		if err != nil {
			return nil, nil, err
		}
		c := *x
		c.Input = in
		return &c, corr, nil
	}
	return n, nil, nil
}

// toJoinSpace rewrites a condition of a subquery over its own columns and outer references
// into one over the outer columns (nIn of them) followed by the subquery's.
func toJoinSpace(e Expr, nIn int) Expr {
	return Rewrite(e, func(x Expr) Expr {
		switch c := x.(type) {
		case *ColumnRef:
			n := *c
			n.Index += nIn
			return &n
		case *OuterRef:
			return &ColumnRef{Index: c.Index, Name: c.Name, T: c.T}
		}
		return x
	})
}

// aggregateJoin decorrelates a scalar subquery over an ungrouped aggregate whose
// correlation conditions are all `outer expression = inner expression`: the aggregate is
// grouped by the inner expressions instead and left-joined on them. ok is false when the
// plan does not have that shape.
func aggregateJoin(input Node, plan Node, nIn int) (Node, Expr, bool, error) {
	var projects []*Project
	cur := plan
	for {
		p, ok := cur.(*Project)
		if !ok {
			break
		}
		projects = append(projects, p)
		cur = p.Input
	}
	agg, ok := cur.(*Aggregate)
	if !ok || len(agg.GroupBy) > 0 {
		return nil, nil, false, nil
	}
	in, corr, err := pullCorrelation(agg.Input, nIn)
	if err != nil {
		return nil, nil, false, err
	}
	var outerKeys, innerKeys []Expr
	aggs := agg.Aggs
	for _, c := range corr {
		l, r, ok := equiPair(c, nIn)
		if !ok {
			outerKeys = nil
			break
		}
		outerKeys, innerKeys = append(outerKeys, l), append(innerKeys, r)
	}
	if len(corr) == 0 {
		return nil, nil, false, nil
	}
	if outerKeys == nil {
		// Other correlation conditions (x.b < t.b): join the distinct correlated outer
		// values to the subquery's input on them, and group by those values.
		in, outerKeys, innerKeys, aggs = distinctOuterJoin(input, in, corr, agg.Aggs)
	}
	k := len(innerKeys)
	// The grouped aggregate: the keys, then the aggregates.
	inCols := in.Columns()
	var cols []Column
	for _, e := range innerKeys {
		c := Column{Name: "?key?", Type: e.Type()}
		if r, ok := e.(*ColumnRef); ok {
			c.Name = inCols[r.Index].Name
		}
		cols = append(cols, c)
	}
	ga := &Aggregate{Input: in, GroupBy: innerKeys, Aggs: aggs, Cols: append(cols, agg.Cols...)}
	// What each column is over no rows: count's 0, NULL for the rest.
	empty := make([]Expr, len(agg.Cols))
	for i, a := range agg.Aggs {
		empty[i] = emptyAggregate(a)
	}
	// The projections over it, shifted past the keys, each passing the keys up at its end.
	var node Node = ga
	shiftAgg := make([]int, len(agg.Cols))
	for i := range shiftAgg {
		shiftAgg[i] = k + i
	}
	keyAt := make([]int, k) // where the keys are in node's output
	for i := range keyAt {
		keyAt[i] = i
	}
	mapping := shiftAgg
	for i := len(projects) - 1; i >= 0; i-- {
		p := projects[i]
		c := &Project{Input: node, Exprs: remapAll(p.Exprs, mapping), Cols: append([]Column(nil), p.Cols...)}
		next := make([]Expr, len(p.Exprs))
		for j, e := range p.Exprs {
			next[j], _ = substitute(e, empty)
		}
		empty = next
		for j, at := range keyAt {
			col := cols[j]
			col.Hidden = true
			keyAt[j] = len(c.Exprs)
			c.Exprs = append(c.Exprs, &ColumnRef{Index: at, Name: col.Name, T: col.Type})
			c.Cols = append(c.Cols, col)
		}
		mapping = identity(len(p.Exprs))
		node = c
	}
	if len(projects) == 0 {
		return nil, nil, false, nil // a bare aggregate has no single value column
	}
	rightKeys := make([]Expr, k)
	for j, at := range keyAt {
		rightKeys[j] = &ColumnRef{Index: at, Name: cols[j].Name, T: cols[j].Type}
	}
	j := &Join{Kind: LeftJoin, Left: input, Right: node, LeftKeys: outerKeys, RightKeys: rightKeys}
	vc := node.Columns()[0]
	var v Expr = &ColumnRef{Index: nIn, Name: vc.Name, T: vc.Type}
	if ev := nullFold(empty[0]); !isNullLiteral(ev) {
		// An outer row without a group sees the aggregate over no rows.
		key := &ColumnRef{Index: nIn + keyAt[0], Name: cols[0].Name, T: cols[0].Type}
		v = &Case{T: vc.Type, Whens: []When{{Cond: &IsNullTest{Arg: key}, Result: ev}}, Else: v}
	}
	return j, v, true, nil
}

// distinctOuterJoin builds, for correlation conditions that are not all equalities, the
// inner join of D, the distinct values of the outer columns they read, with the subquery's
// input in on those conditions. It returns the join, the outer columns (over input) and
// D's columns (over the join) to match them on, and the aggregates moved past D's columns.
func distinctOuterJoin(input, in Node, corr []Expr, aggs []AggCall) (Node, []Expr, []Expr, []AggCall) {
	nIn := len(input.Columns())
	used := map[int]bool{}
	for _, c := range corr {
		ColumnsUsed(c, used)
	}
	inCols := input.Columns()
	var outerKeys []Expr
	var dCols []Column
	at := map[int]int{}
	for i := 0; i < nIn; i++ {
		if !used[i] {
			continue
		}
		at[i] = len(outerKeys)
		c := inCols[i]
		outerKeys = append(outerKeys, &ColumnRef{Index: i, Name: c.Name, T: c.Type})
		dCols = append(dCols, Column{Name: c.Name, Table: c.Table, Type: c.Type})
	}
	nD := len(outerKeys)
	d := &Aggregate{Input: input, GroupBy: outerKeys, Cols: dCols}
	m := make([]int, nIn+len(in.Columns()))
	for i := range m {
		if i < nIn {
			m[i] = at[i]
		} else {
			m[i] = nD + i - nIn
		}
	}
	join := &Join{Kind: InnerJoin, Left: d, Right: in, Cond: joinCondition(remapAll(corr, m))}
	innerKeys := make([]Expr, nD)
	for i, c := range dCols {
		innerKeys[i] = &ColumnRef{Index: i, Name: c.Name, T: c.Type}
	}
	moved := make([]AggCall, len(aggs))
	for i, a := range aggs {
		a.Args = shiftAll(a.Args, nD)
		if a.Filter != nil {
			a.Filter = shift(a.Filter, nD)
		}
		moved[i] = a
	}
	return join, outerKeys, innerKeys, moved
}

// emptyAggregate is an aggregate's value over no rows.
func emptyAggregate(a AggCall) Expr {
	switch a.Name {
	case "count", "count_if", "approx_distinct":
		switch a.Sig.Ret.Kind {
		case types.Int64, types.Int32, types.Int16:
			return NewLiteral(a.Sig.Ret, int64(0))
		}
	}
	return NewLiteral(a.Sig.Ret, nil)
}

// nullFold folds strict operators and casts over NULL literals to NULL.
func nullFold(e Expr) Expr {
	return Rewrite(e, func(x Expr) Expr {
		switch c := x.(type) {
		case *Cast:
			if isNullLiteral(c.Arg) {
				return NewLiteral(c.T, nil)
			}
		case *Call:
			if strictOps[c.Name] {
				for _, a := range c.Args {
					if isNullLiteral(a) {
						return NewLiteral(c.Sig.Ret, nil)
					}
				}
			}
		}
		return x
	})
}

func isNullLiteral(e Expr) bool {
	l, ok := e.(*Literal)
	return ok && l.IsNull()
}
