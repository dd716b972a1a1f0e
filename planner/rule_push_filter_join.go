package planner

import (
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/types"
)

// PushDownFilters moves filter conjuncts as far down the plan as they can go: through
// projections (substituting the projected expressions), sorts and the group keys of
// aggregates, into the side of a join they read, and into scans. A conjunct over both
// sides of an inner join (a WHERE condition over a comma join) becomes part of the join's
// condition, and the join's `=` conditions between the sides become its equi-keys. A
// condition that rejects NULLs of the padded side of a LEFT or RIGHT join above it turns
// the join into an inner one. ON conditions of a join are pushed into the side they read
// where the join kind allows.
type PushDownFilters struct{}

func (PushDownFilters) Name() string { return "PushDownFilters" }

func (r PushDownFilters) Apply(n Node) (Node, error) { return push(n, nil), nil }

// splitConds splits a condition into conjuncts, first taking the conjuncts that every arm
// of an OR shares out of it: (a AND b) OR (a AND c) is a AND (b OR c), and a is a join key
// when it is an equality between the sides (TPC-H Q19).
func splitConds(e Expr) []Expr {
	var out []Expr
	for _, c := range conjuncts(e) {
		out = append(out, factorOr(c)...)
	}
	return out
}

func factorOr(e Expr) []Expr {
	or, ok := e.(*BoolOp)
	if !ok || or.And || len(or.Args) < 2 {
		return []Expr{e}
	}
	arms := make([][]Expr, len(or.Args))
	for i, a := range or.Args {
		arms[i] = conjuncts(a)
	}
	var common []Expr
	for _, c := range arms[0] {
		key := c.String()
		inAll := true
		for _, arm := range arms[1:] {
			found := false
			for _, d := range arm {
				if d.String() == key {
					found = true
					break
				}
			}
			if !found {
				inAll = false
				break
			}
		}
		if inAll && deterministic(c) {
			common = append(common, c)
		}
	}
	if len(common) == 0 {
		return []Expr{e}
	}
	isCommon := func(c Expr) bool {
		for _, k := range common {
			if k.String() == c.String() {
				return true
			}
		}
		return false
	}
	rest := make([]Expr, 0, len(arms))
	for _, arm := range arms {
		var left []Expr
		for _, c := range arm {
			if !isCommon(c) {
				left = append(left, c)
			}
		}
		if len(left) == 0 {
			// One arm is only the common part: the OR is true whenever it is.
			return common
		}
		rest = append(rest, joinCondition(left))
	}
	return append(common, &BoolOp{Args: rest})
}

// impliedBySide derives from an OR over both sides of a join a condition on one side
// alone (which(i) picks that side's columns): when every arm has conjuncts on that side
// only, the OR of those is implied, and can filter the side before the join.
func impliedBySide(e Expr, nl int, want side) (Expr, bool) {
	or, ok := e.(*BoolOp)
	if !ok || or.And {
		return nil, false
	}
	arms := make([]Expr, len(or.Args))
	for i, a := range or.Args {
		var mine []Expr
		for _, c := range conjuncts(a) {
			if sideOf(c, nl) == want && deterministic(c) {
				mine = append(mine, c)
			}
		}
		if len(mine) == 0 {
			return nil, false
		}
		arms[i] = joinCondition(mine)
	}
	return &BoolOp{Args: arms}, true
}

// push returns n with the conjuncts preds (over n's output) applied, as deep as possible.
func push(n Node, preds []Expr) Node {
	switch x := n.(type) {
	case *Filter:
		return push(x.Input, append(append([]Expr(nil), preds...), splitConds(x.Cond)...))
	case *Scan:
		if len(preds) == 0 {
			return x
		}
		c := *x
		c.Filters = append(append([]Expr(nil), x.Filters...), preds...)
		return &c
	case *Project:
		var down, stay []Expr
		for _, p := range preds {
			if q, ok := substitute(p, x.Exprs); ok {
				down = append(down, q)
			} else {
				stay = append(stay, p)
			}
		}
		c := *x
		c.Input = push(x.Input, down)
		return filterOver(&c, stay)
	case *Sort:
		c := *x
		c.Input = push(x.Input, preds)
		return &c
	case *Aggregate:
		var down, stay []Expr
		ng := len(x.GroupBy)
		if len(x.GlobalSets) > 0 {
			// An empty grouping set's row exists even when no input row reaches it, so a
			// condition on the keys must judge that row too: it stays above.
			ng = 0
		}
		for _, p := range preds {
			used := map[int]bool{}
			ColumnsUsed(p, used)
			onKeys := ng > 0
			for i := range used {
				if i >= ng {
					onKeys = false
				}
			}
			if q, ok := substitute(p, x.GroupBy); onKeys && ok {
				down = append(down, q)
			} else {
				stay = append(stay, p)
			}
		}
		c := *x
		c.Input = push(x.Input, down)
		return filterOver(&c, stay)
	case *Join:
		return pushJoin(x, preds)
	}
	// Values, Limit and anything else: the filter stays above; the inputs get their own
	// filters pushed.
	out, _ := mapChildren(n, func(in Node) (Node, error) { return push(in, nil), nil })
	return filterOver(out, preds)
}

// filterOver puts a filter of preds over n (n itself when there are none).
func filterOver(n Node, preds []Expr) Node {
	if len(preds) == 0 {
		return n
	}
	return &Filter{Input: n, Cond: joinCondition(preds)}
}

// substitute rewrites p, over a projection's output, over its input by replacing each
// column reference with the projected expression. It refuses volatile projections (they
// must run once per row, where they are).
func substitute(p Expr, exprs []Expr) (Expr, bool) {
	ok := true
	out := Rewrite(p, func(e Expr) Expr {
		c, isRef := e.(*ColumnRef)
		if !isRef {
			return e
		}
		if c.Index >= len(exprs) || !deterministic(exprs[c.Index]) {
			ok = false
			return e
		}
		return exprs[c.Index]
	})
	if !deterministic(p) {
		ok = false
	}
	return out, ok
}

// deterministic reports whether e calls nothing volatile and holds no subquery.
func deterministic(e Expr) bool {
	ok := true
	Walk(e, func(x Expr) bool {
		switch c := x.(type) {
		case *Call:
			if c.Volatility == function.Volatile {
				ok = false
			}
		case *Subquery, *OuterRef:
			ok = false
		}
		return ok
	})
	return ok
}

// pushJoin pushes preds (over the join's output) and the join's own condition into its
// inputs where the join kind allows, and rebuilds its keys and residual.
func pushJoin(x *Join, preds []Expr) Node {
	nl := len(x.Left.Columns())
	kind := x.Kind
	// A condition above that cannot hold for a NULL-padded row makes the outer join inner.
	for _, p := range preds {
		switch kind {
		case LeftJoin:
			if nullRejecting(p, func(i int) bool { return i >= nl }) {
				kind = InnerJoin
			}
		case RightJoin:
			if nullRejecting(p, func(i int) bool { return i < nl }) {
				kind = InnerJoin
			}
		case FullJoin:
			l := nullRejecting(p, func(i int) bool { return i < nl })
			r := nullRejecting(p, func(i int) bool { return i >= nl })
			switch {
			case l && r:
				kind = InnerJoin
			case l:
				kind = LeftJoin
			case r:
				kind = RightJoin
			}
		}
	}
	var toLeft, toRight, toCond, stay []Expr
	// Conditions from above.
	for _, p := range preds {
		s := sideOf(p, nl)
		switch kind {
		case InnerJoin:
			switch s {
			case sideLeft, sideNone:
				toLeft = append(toLeft, p)
			case sideRight:
				toRight = append(toRight, shift(p, -nl))
			default:
				if !deterministic(p) {
					stay = append(stay, p)
					break
				}
				toCond = append(toCond, p)
				if l, ok := impliedBySide(p, nl, sideLeft); ok {
					toLeft = append(toLeft, l)
				}
				if r, ok := impliedBySide(p, nl, sideRight); ok {
					toRight = append(toRight, shift(r, -nl))
				}
			}
		case LeftJoin, SemiJoin, AntiJoin, SingleJoin:
			if s == sideLeft || s == sideNone {
				toLeft = append(toLeft, p)
			} else {
				stay = append(stay, p)
			}
		case MarkJoin:
			// The mark column is column nl; a condition reading it stays above.
			if s == sideLeft || s == sideNone {
				toLeft = append(toLeft, p)
			} else {
				stay = append(stay, p)
			}
		case RightJoin:
			if s == sideRight {
				toRight = append(toRight, shift(p, -nl))
			} else {
				stay = append(stay, p)
			}
		case RightSemiJoin, RightAntiJoin:
			// The output is the right's columns, numbered from 0.
			toRight = append(toRight, p)
		default:
			stay = append(stay, p)
		}
	}
	// The join's own condition.
	if x.Cond != nil {
		for _, c := range splitConds(x.Cond) {
			s := sideOf(c, nl)
			switch {
			case s == sideLeft && (kind == InnerJoin || kind == SemiJoin || kind == RightJoin ||
				kind == RightSemiJoin || kind == RightAntiJoin):
				toLeft = append(toLeft, c)
			case s == sideRight && (kind == InnerJoin || kind == LeftJoin || kind == SemiJoin ||
				kind == AntiJoin || kind == MarkJoin || kind == SingleJoin || kind == RightSemiJoin):
				toRight = append(toRight, shift(c, -nl))
			default:
				toCond = append(toCond, c)
			}
		}
	}
	c := *x
	c.Kind = kind
	c.Left = push(x.Left, toLeft)
	c.Right = push(x.Right, toRight)
	lk, rk, rest := splitJoinCond(joinCondition(toCond), nl)
	if c.NullAware && (len(lk) > 0 || len(rest) > 0) {
		// NOT IN's single key must stay alone; other conditions keep it from being
		// null-aware, which the decorrelation rule never produces.
		rest = append(rest, lk...)
		lk, rk = nil, nil
	}
	c.LeftKeys = append(append([]Expr(nil), x.LeftKeys...), lk...)
	c.RightKeys = append(append([]Expr(nil), x.RightKeys...), rk...)
	c.Cond = joinCondition(rest)
	return filterOver(&c, stay)
}

// strictOps are the operators whose result is NULL when an argument is NULL.
var strictOps = map[string]bool{
	"=": true, "<>": true, "<": true, ">": true, "<=": true, ">=": true,
	"+": true, "-": true, "*": true, "/": true, "%": true, "~~": true, "!~~": true,
	"~~*": true, "!~~*": true, "||": true, "neg": true,
}

// nullRejecting reports whether conjunct p is never true when the columns that pad(i)
// picks are all NULL: a strict comparison or IS NOT NULL of one of them.
func nullRejecting(p Expr, pad func(int) bool) bool {
	var strict func(e Expr) bool
	strict = func(e Expr) bool {
		switch x := e.(type) {
		case *ColumnRef:
			return pad(x.Index)
		case *Cast:
			return strict(x.Arg)
		case *Call:
			if !strictOps[x.Name] {
				return false
			}
			for _, a := range x.Args {
				if strict(a) {
					return true
				}
			}
		}
		return false
	}
	switch x := p.(type) {
	case *Call:
		if x.Sig.Ret.Kind == types.Bool && strictOps[x.Name] {
			return strict(x)
		}
	case *IsNullTest:
		return x.Negate && strict(x.Arg)
	case *BoolOp:
		if x.And {
			for _, a := range x.Args {
				if nullRejecting(a, pad) {
					return true
				}
			}
			return false
		}
		for _, a := range x.Args {
			if !nullRejecting(a, pad) {
				return false
			}
		}
		return len(x.Args) > 0
	}
	return false
}
