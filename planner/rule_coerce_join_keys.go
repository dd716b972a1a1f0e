package planner

import (
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// CoerceJoinKeys casts the two sides of every join key to one type. The hash join encodes
// both sides' keys with one layout, so `1.23 IN (SELECT int_col ...)`, whose comparison
// accepts numeric(3,2) against numeric(10,0), needs both keys as the common decimal type.
type CoerceJoinKeys struct{}

func (CoerceJoinKeys) Name() string { return "CoerceJoinKeys" }

func (r CoerceJoinKeys) Apply(n Node) (Node, error) {
	n, err := mapChildren(n, r.Apply)
	if err != nil {
		return nil, err
	}
	j, ok := n.(*Join)
	if !ok {
		return n, nil
	}
	var c *Join
	for i := range j.LeftKeys {
		lt, rt := j.LeftKeys[i].Type(), j.RightKeys[i].Type()
		if lt.Equal(rt) {
			continue
		}
		ct, ok := function.CommonType(lt, rt)
		if !ok {
			return nil, sqlerr.New(sqlerr.DatatypeMismatch, "join keys of types %s and %s cannot be compared", lt, rt)
		}
		if c == nil {
			cp := *j
			cp.LeftKeys = append([]Expr(nil), j.LeftKeys...)
			cp.RightKeys = append([]Expr(nil), j.RightKeys...)
			c = &cp
		}
		if c.LeftKeys[i], err = castKey(c.LeftKeys[i], ct); err != nil {
			return nil, err
		}
		if c.RightKeys[i], err = castKey(c.RightKeys[i], ct); err != nil {
			return nil, err
		}
	}
	if c == nil {
		return j, nil
	}
	return c, nil
}

func castKey(e Expr, t types.T) (Expr, error) {
	if e.Type().Equal(t) {
		return e, nil
	}
	k, err := function.Cast(e.Type(), t, false)
	if err != nil {
		return nil, err
	}
	return &Cast{Arg: e, T: t, Kernel: k}, nil
}
