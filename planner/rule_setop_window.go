package planner

// The rules' handling of Window, Union and SetOp: rebuilding them over new inputs
// (mapChildren) and narrowing them to the columns their parent reads (PruneColumns).

// mapSetOpWindow rebuilds a Window, Union or SetOp with fn applied to its inputs.
func mapSetOpWindow(n Node, fn func(Node) (Node, error)) (Node, error) {
	switch x := n.(type) {
	case *Window:
		in, err := fn(x.Input)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Input = in
		return &c, nil
	case *Union:
		c := *x
		c.Branches = make([]Node, len(x.Branches))
		for i, b := range x.Branches {
			in, err := fn(b)
			if err != nil {
				return nil, err
			}
			c.Branches[i] = in
		}
		return &c, nil
	case *SetOp:
		l, err := fn(x.Left)
		if err != nil {
			return nil, err
		}
		r, err := fn(x.Right)
		if err != nil {
			return nil, err
		}
		c := *x
		c.Left, c.Right = l, r
		return &c, nil
	}
	return n, nil
}

// pruneWindow drops the window functions nobody reads (the whole Window when none is
// read) and narrows the input to the columns the rest reads.
func pruneWindow(x *Window, required []bool) (Node, []int) {
	nin := len(x.Input.Columns())
	keep := make([]bool, len(x.Funcs))
	read := false
	for k := range x.Funcs {
		if i := nin + k; i < len(required) && required[i] {
			keep[k], read = true, true
		}
	}
	need := copyReq(required, nin)
	if !read {
		in, m := prune(x.Input, need)
		mapping := make([]int, nin+len(x.Funcs))
		copy(mapping, m)
		for k := range x.Funcs {
			mapping[nin+k] = -1
		}
		return in, mapping
	}
	for _, e := range x.PartitionBy {
		markUsed(need, e)
	}
	for _, k := range x.OrderBy {
		markUsed(need, k.Expr)
	}
	for k, f := range x.Funcs {
		if !keep[k] {
			continue
		}
		for _, a := range f.Args {
			markUsed(need, a)
		}
		for _, e := range []Expr{f.Filter, f.Frame.Key, f.Frame.Start.Value, f.Frame.End.Value} {
			if e != nil {
				markUsed(need, e)
			}
		}
	}
	in, m := prune(x.Input, need)
	remap := func(e Expr) Expr {
		if e == nil {
			return nil
		}
		return Remap(e, m)
	}
	c := &Window{Input: in, PartitionBy: remapAll(x.PartitionBy, m)}
	for _, k := range x.OrderBy {
		k.Expr = Remap(k.Expr, m)
		c.OrderBy = append(c.OrderBy, k)
	}
	c.Cols = append([]Column(nil), in.Columns()...)
	mapping := make([]int, nin+len(x.Funcs))
	copy(mapping, m)
	for k, f := range x.Funcs {
		mapping[nin+k] = -1
		if !keep[k] {
			continue
		}
		f.Args = remapAll(f.Args, m)
		f.Filter = remap(f.Filter)
		f.Frame.Key = remap(f.Frame.Key)
		f.Frame.Start.Value = remap(f.Frame.Start.Value)
		f.Frame.End.Value = remap(f.Frame.End.Value)
		mapping[nin+k] = len(c.Cols)
		c.Funcs = append(c.Funcs, f)
		c.Cols = append(c.Cols, x.Cols[nin+k])
	}
	return c, mapping
}

// pruneUnion narrows every branch to the columns read. All branches must produce the same
// columns, so a branch that keeps more than asked for gets a Project.
func pruneUnion(x *Union, required []bool) (Node, []int) {
	need := copyReq(required, len(x.Cols))
	mapping := make([]int, len(x.Cols))
	var cols []Column
	for i, r := range need {
		mapping[i] = -1
		if r {
			mapping[i] = len(cols)
			cols = append(cols, x.Cols[i])
		}
	}
	c := &Union{Cols: cols}
	for _, b := range x.Branches {
		pb, m := prune(b, need)
		c.Branches = append(c.Branches, selectColumns(pb, m, need))
	}
	return c, mapping
}

// pruneSetOp keeps every column of both inputs: INTERSECT and EXCEPT compare whole rows.
func pruneSetOp(x *SetOp) (Node, []int) {
	n := len(x.Cols)
	all := make([]bool, n)
	for i := range all {
		all[i] = true
	}
	l, lm := prune(x.Left, all)
	r, rm := prune(x.Right, all)
	c := *x
	c.Left, c.Right = selectColumns(l, lm, all), selectColumns(r, rm, all)
	return &c, identity(n)
}

// selectColumns returns n (a pruned node with old-to-new mapping m) producing exactly the
// needed old columns, in order.
func selectColumns(n Node, m []int, need []bool) Node {
	var exprs []Expr
	var cols []Column
	ncols := n.Columns()
	exact := true
	for i, r := range need {
		if !r {
			continue
		}
		if m[i] != len(exprs) {
			exact = false
		}
		c := ncols[m[i]]
		exprs = append(exprs, &ColumnRef{Index: m[i], Name: c.Name, T: c.Type})
		cols = append(cols, c)
	}
	if exact && len(exprs) == len(ncols) {
		return n
	}
	return &Project{Input: n, Exprs: exprs, Cols: cols}
}
