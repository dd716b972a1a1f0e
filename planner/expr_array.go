package planner

import (
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Array expressions that come from syntax: ARRAY[...] constructors and `x op ANY|ALL
// (array)`. The kernels are function.ArrayConstructor and function.Quantified.

// arrayExpr binds ARRAY[e1, ..., en]: the elements take their common type.
func (b *Binder) arrayExpr(a *pg.A_ArrayExpr, s *scope) (Expr, error) {
	elems, err := b.exprs(a.Elements, s)
	if err != nil {
		return nil, err
	}
	if len(elems) == 0 {
		return nil, sqlerr.New(sqlerr.IndeterminateDatatype, "cannot determine type of empty array").
			WithPosition(b.pos(a.Location)).WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[].")
	}
	for _, e := range elems {
		if e.Type().Kind == types.Array {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "multidimensional arrays are not supported").WithPosition(b.pos(a.Location))
		}
	}
	t, elems, err := b.unify(elems, "ARRAY", a.Location)
	if err != nil {
		return nil, err
	}
	return b.fold(&Call{Name: "array", Sig: function.ArrayConstructor(t, len(elems)), Args: elems, Volatility: function.Immutable}, a.Location)
}

// quantified binds `x op ANY (array)` and `x op ALL (array)` (SOME is ANY). The operator is
// bound as for `x op element`, so its coercions and overloads are the scalar operator's.
func (b *Binder) quantified(a *pg.A_Expr, op string, s *scope) (Expr, error) {
	all := a.Kind == pg.A_Expr_Kind_AEXPR_OP_ALL
	x, err := b.expr(a.Lexpr, s)
	if err != nil {
		return nil, err
	}
	arr, err := b.expr(a.Rexpr, s)
	if err != nil {
		return nil, err
	}
	switch arr.Type().Kind {
	case types.Array:
	case types.Unknown:
		// '{a,b}': an array of x's type.
		elem := x.Type()
		if elem.Kind == types.Unknown {
			elem = types.VarcharT
		}
		if arr, err = b.cast(arr, types.ArrayT(elem), false, a.Location); err != nil {
			return nil, err
		}
	default:
		return nil, sqlerr.New(sqlerr.WrongObjectType, "op ANY/ALL (array) requires array on right side").WithPosition(b.pos(a.Location))
	}
	elem := *arr.Type().Elem
	// Bind the scalar operator against a stand-in for one element.
	cmp, err := b.binary(op, x, &ColumnRef{Index: -1, Name: "element", T: elem}, a.Location)
	if err != nil {
		return nil, err
	}
	call, ok := cmp.(*Call)
	if !ok || len(call.Args) != 2 {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "operator %s is not supported with ANY/ALL", op).WithPosition(b.pos(a.Location))
	}
	sig, err := function.Quantified(call.Sig, elem, all)
	if err != nil {
		return nil, b.errAt(err, a.Location)
	}
	name := op + " ANY"
	if all {
		name = op + " ALL"
	}
	return b.fold(&Call{Name: name, Sig: sig, Args: []Expr{call.Args[0], arr}, Volatility: call.Volatility}, a.Location)
}
