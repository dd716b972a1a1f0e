package planner

// PushFilterIntoScan moves a filter that sits directly on a scan into the scan, split into
// conjuncts, so the scan applies it right after decoding each batch (and, later, uses it to
// skip partitions and row groups).
type PushFilterIntoScan struct{}

func (PushFilterIntoScan) Name() string { return "PushFilterIntoScan" }

func (r PushFilterIntoScan) Apply(n Node) (Node, error) {
	n, err := mapChildren(n, r.Apply)
	if err != nil {
		return nil, err
	}
	f, ok := n.(*Filter)
	if !ok {
		return n, nil
	}
	s, ok := f.Input.(*Scan)
	if !ok {
		return n, nil
	}
	c := *s
	c.Filters = append(append([]Expr(nil), s.Filters...), conjuncts(f.Cond)...)
	return &c, nil
}

// conjuncts splits an AND into its parts.
func conjuncts(e Expr) []Expr {
	if b, ok := e.(*BoolOp); ok && b.And {
		var out []Expr
		for _, a := range b.Args {
			out = append(out, conjuncts(a)...)
		}
		return out
	}
	return []Expr{e}
}
