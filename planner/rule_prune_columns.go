package planner

import "sort"

// PruneColumns narrows every node to the columns its parent reads, down to the scans, so
// only the needed columns are read from files.
type PruneColumns struct{}

func (PruneColumns) Name() string { return "PruneColumns" }

func (PruneColumns) Apply(n Node) (Node, error) {
	all := make([]bool, len(n.Columns()))
	for i := range all {
		all[i] = true
	}
	out, _ := prune(n, all)
	return out, nil
}

// prune returns n producing only the required columns (a node may keep more) and the
// mapping from n's old output indexes to the new ones (-1 for dropped columns).
func prune(n Node, required []bool) (Node, []int) {
	switch x := n.(type) {
	case *Scan:
		need := map[int]bool{}
		for i, r := range required {
			if r {
				need[i] = true
			}
		}
		for _, f := range x.Filters {
			ColumnsUsed(f, need)
		}
		mapping := make([]int, len(x.Projection))
		var proj []int
		for i := range x.Projection {
			mapping[i] = -1
			if need[i] {
				mapping[i] = len(proj)
				proj = append(proj, x.Projection[i])
			}
		}
		c := *x
		c.Projection = proj
		c.Filters = make([]Expr, len(x.Filters))
		for i, f := range x.Filters {
			c.Filters[i] = Remap(f, mapping)
		}
		return &c, mapping
	case *Filter:
		need := copyReq(required, len(x.Input.Columns()))
		markUsed(need, x.Cond)
		in, m := prune(x.Input, need)
		return &Filter{Input: in, Cond: Remap(x.Cond, m)}, m
	case *Project:
		var exprs []Expr
		var cols []Column
		mapping := make([]int, len(x.Exprs))
		need := make([]bool, len(x.Input.Columns()))
		for i, e := range x.Exprs {
			mapping[i] = -1
			if i < len(required) && required[i] {
				mapping[i] = len(exprs)
				exprs = append(exprs, e)
				cols = append(cols, x.Cols[i])
				markUsed(need, e)
			}
		}
		in, m := prune(x.Input, need)
		for i := range exprs {
			exprs[i] = Remap(exprs[i], m)
		}
		return &Project{Input: in, Exprs: exprs, Cols: cols}, mapping
	case *Aggregate:
		need := make([]bool, len(x.Input.Columns()))
		for _, g := range x.GroupBy {
			markUsed(need, g)
		}
		for _, a := range x.Aggs {
			for _, e := range a.Args {
				markUsed(need, e)
			}
			if a.Filter != nil {
				markUsed(need, a.Filter)
			}
		}
		in, m := prune(x.Input, need)
		c := *x
		c.Input = in
		c.GroupBy = remapAll(x.GroupBy, m)
		c.Aggs = make([]AggCall, len(x.Aggs))
		for i, a := range x.Aggs {
			a.Args = remapAll(a.Args, m)
			if a.Filter != nil {
				a.Filter = Remap(a.Filter, m)
			}
			c.Aggs[i] = a
		}
		return &c, identity(len(x.Cols))
	case *Sort:
		need := copyReq(required, len(x.Input.Columns()))
		for _, k := range x.Keys {
			markUsed(need, k.Expr)
		}
		in, m := prune(x.Input, need)
		c := *x
		c.Input = in
		c.Keys = make([]SortKey, len(x.Keys))
		for i, k := range x.Keys {
			k.Expr = Remap(k.Expr, m)
			c.Keys[i] = k
		}
		return &c, m
	case *Limit:
		in, m := prune(x.Input, required)
		c := *x
		c.Input = in
		return &c, m
	case *GroupId:
		return pruneGroupId(x, required) // plan_groupid.go
	case *Unnest:
		return pruneUnnest(x, required) // unnest.go
	case *Apply:
		return pruneApply(x, required) // apply.go
	case *CteScan:
		return pruneCteScan(x, required) // plan_cte.go
	case *Window:
		return pruneWindow(x, required) // rule_setop_window.go
	case *Union:
		return pruneUnion(x, required)
	case *SetOp:
		return pruneSetOp(x)
	case *Join:
		return pruneJoin(x, required)
	}
	return n, identity(len(n.Columns()))
}

// pruneJoin narrows both inputs of a join to the columns its output and its keys and
// condition read.
func pruneJoin(x *Join, required []bool) (Node, []int) {
	nl, nr := len(x.Left.Columns()), len(x.Right.Columns())
	lneed, rneed := make([]bool, nl), make([]bool, nr)
	switch {
	case x.Kind.RightOnly():
		copy(rneed, required)
	case x.Kind.LeftOnly():
		copy(lneed, required)
	default:
		for i, r := range required {
			if !r {
				continue
			}
			if i < nl {
				lneed[i] = true
			} else if i-nl < nr {
				rneed[i-nl] = true
			}
		}
	}
	for _, k := range x.LeftKeys {
		markUsed(lneed, k)
	}
	for _, k := range x.RightKeys {
		markUsed(rneed, k)
	}
	if x.Cond != nil {
		used := map[int]bool{}
		ColumnsUsed(x.Cond, used)
		for i := range used {
			if i < nl {
				lneed[i] = true
			} else {
				rneed[i-nl] = true
			}
		}
	}
	l, lm := prune(x.Left, lneed)
	r, rm := prune(x.Right, rneed)
	newL := len(l.Columns())
	both := make([]int, nl+nr)
	for i, m := range lm {
		both[i] = m
	}
	for i, m := range rm {
		both[nl+i] = -1
		if m >= 0 {
			both[nl+i] = newL + m
		}
	}
	c := *x
	c.Left, c.Right = l, r
	c.LeftKeys = remapAll(x.LeftKeys, lm)
	c.RightKeys = remapAll(x.RightKeys, rm)
	if x.Cond != nil {
		c.Cond = Remap(x.Cond, both)
	}
	var out []int
	switch {
	case x.Kind.RightOnly():
		out = rm
	case x.Kind == MarkJoin:
		out = append(append([]int(nil), lm...), newL)
	case x.Kind.LeftOnly():
		out = lm
	default:
		out = both
	}
	return &c, out
}

func copyReq(req []bool, n int) []bool {
	out := make([]bool, n)
	copy(out, req)
	return out
}

func markUsed(need []bool, e Expr) {
	used := map[int]bool{}
	ColumnsUsed(e, used)
	for i := range used {
		need[i] = true
	}
}

func remapAll(es []Expr, m []int) []Expr {
	out := make([]Expr, len(es))
	for i, e := range es {
		out[i] = Remap(e, m)
	}
	return out
}

func identity(n int) []int {
	m := make([]int, n)
	for i := range m {
		m[i] = i
	}
	return m
}

var _ = sort.Ints
