package planner

// ChooseJoinSides puts the side of an outer, semi or anti join that is estimated smaller
// on the right, where the executor builds its hash table: a LEFT join becomes a RIGHT join
// with its inputs swapped (and a projection restoring the column order), a semi or anti
// join a right semi or right anti join. Inner joins are already placed by JoinOrder.
// NOT IN's null-aware anti join, mark joins and single joins keep their sides: their
// probe side must be the left.
type ChooseJoinSides struct{ Stats Stats }

func (ChooseJoinSides) Name() string { return "ChooseJoinSides" }

func (r ChooseJoinSides) Apply(n Node) (Node, error) {
	return chooseSides(n, newEstimator(r.Stats)), nil
}

// swapMargin is how much bigger the build side must be before sides are swapped, so that
// estimates that are about equal keep the order the query wrote.
const swapMargin = 1.5

func chooseSides(n Node, est *estimator) Node {
	n, _ = mapChildren(n, func(c Node) (Node, error) { return chooseSides(c, est), nil })
	j, ok := n.(*Join)
	if !ok {
		return n
	}
	l, r := est.rows(j.Left), est.rows(j.Right)
	var kind JoinKind
	switch j.Kind {
	case LeftJoin:
		kind = RightJoin
	case RightJoin:
		kind = LeftJoin
	case FullJoin:
		kind = FullJoin
	case InnerJoin:
		kind = InnerJoin
	case SemiJoin:
		kind = RightSemiJoin
	case AntiJoin:
		if j.NullAware {
			return j
		}
		kind = RightAntiJoin
	case RightSemiJoin:
		kind = SemiJoin
	case RightAntiJoin:
		kind = AntiJoin
	default:
		return j
	}
	// Joins that output the left side stream it; prefer that unless the build would be
	// clearly bigger.
	if r <= l*swapMargin {
		return j
	}
	return swapJoin(j, kind)
}

// swapJoin exchanges a join's inputs, giving it kind, and restores its column order.
func swapJoin(j *Join, kind JoinKind) Node {
	nl, nr := len(j.Left.Columns()), len(j.Right.Columns())
	m := make([]int, nl+nr)
	for i := 0; i < nl; i++ {
		m[i] = nr + i
	}
	for i := 0; i < nr; i++ {
		m[nl+i] = i
	}
	s := &Join{Kind: kind, Left: j.Right, Right: j.Left, LeftKeys: j.RightKeys, RightKeys: j.LeftKeys, MarkName: j.MarkName}
	if j.Cond != nil {
		s.Cond = Remap(j.Cond, m)
	}
	if kind.LeftOnly() || kind.RightOnly() {
		return s
	}
	cols := j.Columns()
	exprs := make([]Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &ColumnRef{Index: m[i], Name: c.Name, T: c.Type}
	}
	return &Project{Input: s, Exprs: exprs, Cols: cols}
}
