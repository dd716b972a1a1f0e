package planner

import (
	"math"
	"math/bits"
	"slices"
)

// JoinOrder reorders each tree of inner joins (comma joins and INNER JOINs, with the
// conditions PushDownFilters put in them) greedily, in the way of Greedy Operator
// Ordering: of all pairs of subplans that some `=` condition connects, it joins the pair
// whose result it estimates smallest, until one plan is left; it joins unconnected
// subplans (a cross product) only when nothing else is left. Each join builds its hash
// table on the side estimated smaller (the right). A projection on top restores the
// original column order.
//
// Sizes come from Stats (file metadata) and textbook selectivities. The size of an
// equi-join divides the product of the sides by the number of distinct key values, which
// it takes as the smallest table size among the columns that the join's `=` conditions
// make equal (directly or through other tables): a key of a small table (nation) has few
// values wherever it appears.
type JoinOrder struct{ Stats Stats }

func (JoinOrder) Name() string { return "JoinOrder" }

func (r JoinOrder) Apply(n Node) (Node, error) {
	est := newEstimator(r.Stats)
	return reorderJoins(n, est), nil
}

func reorderJoins(n Node, est *estimator) Node {
	if j, ok := n.(*Join); ok && j.Kind == InnerJoin {
		g := &joinGraph{est: est}
		if g.flatten(j) && len(g.leaves) >= 2 && len(g.leaves) <= 64 {
			for i, l := range g.leaves {
				g.leaves[i] = reorderJoins(l, est)
			}
			return g.order(j.Columns())
		}
	}
	out, _ := mapChildren(n, func(c Node) (Node, error) { return reorderJoins(c, est), nil })
	return out
}

// joinPred is a condition of an inner-join tree, over the tree's original columns: an
// equi-key pair (l = r) or any other conjunct (expr).
type joinPred struct {
	l, r   Expr
	expr   Expr
	leaves uint64 // the leaves it reads
	done   bool
}

type joinGraph struct {
	est    *estimator
	leaves []Node
	base   []float64 // each leaf's size before its filters
	// members lists, per equivalence class of columns, the leaves with a column in it.
	members map[int][]int
	offset  []int // first original column of each leaf
	width   []int
	preds   []*joinPred
	leafOf  []int // original column -> leaf
}

// flatten collects the leaves and conditions of an inner-join tree. It returns false when
// a key reads more than one leaf on one side (it could not be placed as a key again).
func (g *joinGraph) flatten(j *Join) bool {
	base := 0
	for _, w := range g.width {
		base += w
	}
	var walk func(n Node, off int) bool
	walk = func(n Node, off int) bool {
		x, ok := n.(*Join)
		if !ok || x.Kind != InnerJoin {
			g.leaves = append(g.leaves, n)
			g.offset = append(g.offset, off)
			w := len(n.Columns())
			g.width = append(g.width, w)
			for i := 0; i < w; i++ {
				g.leafOf = append(g.leafOf, len(g.leaves)-1)
			}
			return true
		}
		nl := len(x.Left.Columns())
		if !walk(x.Left, off) || !walk(x.Right, off+nl) {
			return false
		}
		for i := range x.LeftKeys {
			g.preds = append(g.preds, &joinPred{l: shift(x.LeftKeys[i], off), r: shift(x.RightKeys[i], off+nl)})
		}
		if x.Cond != nil {
			for _, c := range conjuncts(x.Cond) {
				g.preds = append(g.preds, &joinPred{expr: shift(c, off)})
			}
		}
		return true
	}
	if !walk(j, base) {
		return false
	}
	for _, p := range g.preds {
		if p.expr != nil {
			p.leaves = g.leafSet(p.expr)
			continue
		}
		ls, rs := g.leafSet(p.l), g.leafSet(p.r)
		if onesCount(ls) != 1 || onesCount(rs) != 1 {
			return false
		}
		p.leaves = ls | rs
	}
	return true
}

func (g *joinGraph) leafSet(e Expr) uint64 {
	used := map[int]bool{}
	ColumnsUsed(e, used)
	var s uint64
	for i := range used {
		s |= 1 << g.leafOf[i]
	}
	return s
}

func onesCount(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// joinRel is a subplan built so far: its node, the leaves in its column order, and its
// estimated size.
type joinRel struct {
	node   Node
	leaves []int
	set    uint64
	rows   float64
}

// classes groups the plain columns that equi-keys make equal (union-find over original
// column indexes).
func (g *joinGraph) classes() []int {
	parent := make([]int, len(g.leafOf))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, p := range g.preds {
		if p.expr != nil {
			continue
		}
		a, aok := plainColumn(p.l)
		b, bok := plainColumn(p.r)
		if aok && bok {
			parent[find(a)] = find(b)
		}
	}
	out := make([]int, len(parent))
	for i := range out {
		out[i] = find(i)
	}
	return out
}

func plainColumn(e Expr) (int, bool) {
	switch x := e.(type) {
	case *ColumnRef:
		return x.Index, true
	case *Cast:
		return plainColumn(x.Arg)
	}
	return 0, false
}

// order builds the join tree and a projection back to cols, the tree's original output.
func (g *joinGraph) order(cols []Column) Node {
	class := g.classes()
	g.base = make([]float64, len(g.leaves))
	for i, l := range g.leaves {
		g.base[i] = g.est.baseRows(l)
	}
	g.members = map[int][]int{}
	for col, k := range class {
		leaf := g.leafOf[col]
		m := g.members[k]
		if len(m) == 0 || m[len(m)-1] != leaf {
			g.members[k] = append(m, leaf)
		}
	}
	rels := make([]*joinRel, len(g.leaves))
	for i, l := range g.leaves {
		rels[i] = &joinRel{node: l, leaves: []int{i}, set: 1 << i, rows: g.est.rows(l)}
	}
	for len(rels) > 1 {
		bi, bj := -1, -1
		best, bestIn := math.Inf(1), math.Inf(1)
		for i := range rels {
			for j := i + 1; j < len(rels); j++ {
				rows, connected := g.estimate(rels[i], rels[j], class)
				if !connected {
					continue
				}
				in := math.Max(rels[i].rows, rels[j].rows)
				if rows < best || (rows == best && in < bestIn) {
					bi, bj, best, bestIn = i, j, rows, in
				}
			}
		}
		if bi < 0 {
			// Nothing is connected: cross the two smallest.
			bi, bj = smallestTwo(rels)
			best, _ = g.estimate(rels[bi], rels[bj], class)
		}
		a, b := rels[bi], rels[bj]
		if a.rows < b.rows {
			a, b = b, a // the smaller side is built (right)
		}
		joined := g.join(a, b, best)
		rels[bi] = joined
		rels = append(rels[:bj], rels[bj+1:]...)
	}
	root := rels[0]
	var rest []Expr
	for _, p := range g.preds {
		if !p.done {
			// Conditions that read no leaf (constants).
			rest = append(rest, Remap(p.expr, g.layout(root)))
			p.done = true
		}
	}
	var node Node = root.node
	if len(rest) > 0 {
		node = &Filter{Input: node, Cond: joinCondition(rest)}
	}
	m := g.layout(root)
	exprs := make([]Expr, len(cols))
	for i, c := range cols {
		exprs[i] = &ColumnRef{Index: m[i], Name: c.Name, T: c.Type}
	}
	return &Project{Input: node, Exprs: exprs, Cols: cols}
}

func smallestTwo(rels []*joinRel) (int, int) {
	a, b := -1, -1
	for i, r := range rels {
		switch {
		case a < 0 || r.rows < rels[a].rows:
			a, b = i, a
		case b < 0 || r.rows < rels[b].rows:
			b = i
		}
	}
	if a > b {
		a, b = b, a
	}
	return a, b
}

// estimate guesses the size of a ⋈ b, and whether an equi-key connects them.
func (g *joinGraph) estimate(a, b *joinRel, class []int) (float64, bool) {
	rows := a.rows * b.rows
	union := a.set | b.set
	connected := false
	var seen []int // classes counted already
	// The distinct values of several keys together are at most the rows of the largest
	// table they come from: (l_partkey, l_suppkey) = (ps_partkey, ps_suppkey) matches a
	// lineitem row to one partsupp row, not to a millionth of one.
	divisor, maxBase := 1.0, 1.0
	for _, p := range g.preds {
		if p.done || p.leaves&^union != 0 || p.leaves&^a.set == 0 || p.leaves&^b.set == 0 {
			continue
		}
		if p.expr != nil {
			rows *= selectivity(p.expr)
			continue
		}
		connected = true
		for set := p.leaves; set != 0; set &= set - 1 {
			maxBase = math.Max(maxBase, g.base[bits.TrailingZeros64(set)])
		}
		c, ok := plainColumn(p.l)
		if !ok {
			divisor *= 10
			continue
		}
		cl := class[c]
		if slices.Contains(seen, cl) {
			continue
		}
		seen = append(seen, cl)
		ndv := math.Inf(1)
		for _, leaf := range g.members[cl] {
			if union&(1<<leaf) != 0 {
				ndv = math.Min(ndv, g.base[leaf])
			}
		}
		divisor *= math.Max(ndv, 1)
	}
	if connected {
		rows /= math.Min(divisor, maxBase)
	}
	return math.Max(rows, 1), connected
}

// layout maps original columns to the columns of r's node (-1 when not in it).
func (g *joinGraph) layout(r *joinRel) []int {
	m := make([]int, len(g.leafOf))
	for i := range m {
		m[i] = -1
	}
	pos := 0
	for _, l := range r.leaves {
		for c := 0; c < g.width[l]; c++ {
			m[g.offset[l]-g.offset[0]+c] = pos + c
		}
		pos += g.width[l]
	}
	return m
}

// join makes the join of a (left, probed) and b (right, built) with every condition that
// they together make evaluable.
func (g *joinGraph) join(a, b *joinRel, rows float64) *joinRel {
	out := &joinRel{leaves: append(append([]int(nil), a.leaves...), b.leaves...), set: a.set | b.set, rows: rows}
	lm, rm, both := g.layout(a), g.layout(b), g.layout(out)
	nl := len(a.node.Columns())
	j := &Join{Kind: InnerJoin, Left: a.node, Right: b.node}
	var conds []Expr
	for _, p := range g.preds {
		if p.done || p.leaves&^out.set != 0 {
			continue
		}
		if p.leaves == 0 {
			continue // constants go on top
		}
		p.done = true
		if p.expr != nil {
			conds = append(conds, Remap(p.expr, both))
			continue
		}
		l, r := p.l, p.r
		if g.leafSet(l)&a.set == 0 {
			l, r = r, l
		}
		j.LeftKeys = append(j.LeftKeys, Remap(l, lm))
		j.RightKeys = append(j.RightKeys, Remap(r, rm))
	}
	// Non-key conditions may still hold `=` pairs between the sides.
	lk, rk, rest := splitJoinCond(joinCondition(conds), nl)
	j.LeftKeys = append(j.LeftKeys, lk...)
	j.RightKeys = append(j.RightKeys, rk...)
	j.Cond = joinCondition(rest)
	g.est.known[j] = rows
	out.node = j
	return out
}
