package planner

import "math"

// PushSemiJoins moves a semi or anti join (from IN and EXISTS in WHERE) below the inner
// joins under it, to the input whose columns it reads, so that it thins that input before
// the other joins see it. It stops at the input that holds the largest table: a semi join
// against a big subquery is cheaper over the rows the other joins have already thinned
// (TPC-H Q21) than over all of the big table, while one that reads a smaller table filters
// it early (Q18).
type PushSemiJoins struct{ Stats Stats }

func (PushSemiJoins) Name() string { return "PushSemiJoins" }

func (r PushSemiJoins) Apply(n Node) (Node, error) {
	return pushSemi(n, newEstimator(r.Stats)), nil
}

func pushSemi(n Node, est *estimator) Node {
	n, _ = mapChildren(n, func(c Node) (Node, error) { return pushSemi(c, est), nil })
	j, ok := n.(*Join)
	if !ok || (j.Kind != SemiJoin && j.Kind != AntiJoin) {
		return n
	}
	in, ok := j.Left.(*Join)
	if !ok || in.Kind != InnerJoin {
		return n
	}
	nl := len(in.Left.Columns())
	used := map[int]bool{}
	for _, k := range j.LeftKeys {
		ColumnsUsed(k, used)
	}
	if j.Cond != nil {
		// The condition reads the left's columns below the index of the right's first.
		width := len(j.Left.Columns())
		c := map[int]bool{}
		ColumnsUsed(j.Cond, c)
		for i := range c {
			if i < width {
				used[i] = true
			}
		}
	}
	if len(used) == 0 {
		return n
	}
	left := true
	for i := range used {
		if i >= nl {
			left = false
		}
	}
	right := true
	for i := range used {
		if i < nl {
			right = false
		}
	}
	biggest := func(x Node) float64 { return largestLeaf(x, est) }
	switch {
	case left && biggest(in.Left) < biggest(in.Right):
		s := *j
		s.Left = in.Left
		s.Cond = shiftCond(j.Cond, len(j.Left.Columns()), 0, nl-len(j.Left.Columns()))
		c := *in
		c.Left = pushSemi(&s, est)
		return &c
	case right && biggest(in.Right) < biggest(in.Left):
		s := *j
		s.Left = in.Right
		s.LeftKeys = shiftAll(j.LeftKeys, -nl)
		s.Cond = shiftCond(j.Cond, len(j.Left.Columns()), -nl, -nl)
		c := *in
		c.Right = pushSemi(&s, est)
		return &c
	}
	return n
}

// largestLeaf is the estimated size of the largest input of an inner-join tree.
func largestLeaf(n Node, est *estimator) float64 {
	if j, ok := n.(*Join); ok && j.Kind == InnerJoin {
		return math.Max(largestLeaf(j.Left, est), largestLeaf(j.Right, est))
	}
	return est.rows(n)
}

// shiftCond moves a join condition's left column references (below width) by dl and its
// right ones by dr.
func shiftCond(e Expr, width, dl, dr int) Expr {
	if e == nil {
		return nil
	}
	return Rewrite(e, func(x Expr) Expr {
		if c, ok := x.(*ColumnRef); ok {
			n := *c
			if c.Index < width {
				n.Index += dl
			} else {
				n.Index += dr
			}
			return &n
		}
		return x
	})
}

func shiftAll(es []Expr, d int) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = shift(e, d)
	}
	return out
}
