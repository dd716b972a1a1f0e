package planner

// PushJoinIntoAggregate lets a small join input filter the input of a grouped aggregate on
// the other side: when an inner join's keys on one side are group keys of an aggregate
// (through projections of plain columns), only the groups whose keys the other side has
// survive the join, so a semi join of the aggregate's input with the other side, on the
// group expressions, can run before the aggregation. The decorrelated subqueries of TPC-H
// Q2, Q17 and Q20 then aggregate thousands of rows instead of millions. The other side is
// computed twice, so the rule applies only when it is estimated much smaller than the
// aggregate's input.
type PushJoinIntoAggregate struct{ Stats Stats }

func (PushJoinIntoAggregate) Name() string { return "PushJoinIntoAggregate" }

func (r PushJoinIntoAggregate) Apply(n Node) (Node, error) {
	return pushJoinAgg(n, newEstimator(r.Stats)), nil
}

// aggShrink is how much smaller than the aggregate's input the other side must be.
const aggShrink = 4

func pushJoinAgg(n Node, est *estimator) Node {
	n, _ = mapChildren(n, func(c Node) (Node, error) { return pushJoinAgg(c, est), nil })
	j, ok := n.(*Join)
	if !ok || j.Kind != InnerJoin || len(j.LeftKeys) == 0 {
		return n
	}
	if side, ok := filterAggSide(j.Left, j.LeftKeys, j.Right, j.RightKeys, est); ok {
		c := *j
		c.Left = side
		return &c
	}
	if side, ok := filterAggSide(j.Right, j.RightKeys, j.Left, j.LeftKeys, est); ok {
		c := *j
		c.Right = side
		return &c
	}
	return n
}

// filterAggSide rebuilds side (projections over an aggregate) with the aggregate's input
// semi-joined to other, when keys (over side) reach group keys.
func filterAggSide(side Node, keys []Expr, other Node, otherKeys []Expr, est *estimator) (Node, bool) {
	var projects []*Project
	cur := side
	for {
		p, ok := cur.(*Project)
		if !ok {
			break
		}
		projects = append(projects, p)
		cur = p.Input
	}
	agg, ok := cur.(*Aggregate)
	if !ok || len(agg.GroupBy) == 0 {
		return nil, false
	}
	if sj, ok := agg.Input.(*Join); ok && sj.Kind == SemiJoin {
		return nil, false // already filtered: the rule does not stack semi joins
	}
	var lk, rk []Expr
	for i, k := range keys {
		g, ok := groupOf(k, projects)
		if !ok || g >= len(agg.GroupBy) {
			continue
		}
		lk = append(lk, agg.GroupBy[g])
		rk = append(rk, otherKeys[i])
	}
	if len(lk) == 0 || est.rows(other)*aggShrink > est.rows(agg.Input) {
		return nil, false
	}
	a := *agg
	a.Input = &Join{Kind: SemiJoin, Left: agg.Input, Right: other, LeftKeys: lk, RightKeys: rk}
	var node Node = &a
	for i := len(projects) - 1; i >= 0; i-- {
		p := *projects[i]
		p.Input = node
		node = &p
	}
	return node, true
}

// groupOf follows a column reference down projections of plain columns to the aggregate
// output column it reads.
func groupOf(k Expr, projects []*Project) (int, bool) {
	r, ok := k.(*ColumnRef)
	if !ok {
		return 0, false
	}
	idx := r.Index
	for _, p := range projects {
		c, ok := p.Exprs[idx].(*ColumnRef)
		if !ok {
			return 0, false
		}
		idx = c.Index
	}
	return idx, true
}
