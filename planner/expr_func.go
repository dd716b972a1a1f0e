package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// funcName returns a call's function name, lower-cased, without a pg_catalog qualifier.
func funcName(fc *pg.FuncCall) string {
	ns := names(fc.Funcname)
	return strings.ToLower(ns[len(ns)-1])
}

func (b *Binder) isAggregate(fc *pg.FuncCall) bool {
	if fc.Over != nil {
		return false
	}
	f := b.funcs.Lookup(funcName(fc))
	return f != nil && f.Kind == function.AggregateKind
}

// containsAgg reports whether n has an aggregate call outside any subquery.
func (b *Binder) containsAgg(n *pg.Node) bool {
	return b.aggLocation(n) != -2
}

// aggLocation returns the location of the first aggregate call in n outside any subquery,
// or -2 when there is none.
func (b *Binder) aggLocation(n *pg.Node) int32 {
	loc := int32(-2)
	visitOutsideSubqueries(n, func(node *pg.Node) (bool, bool) {
		if fc := node.GetFuncCall(); fc != nil && b.isAggregate(fc) {
			loc = fc.Location
			return false, true
		}
		if gf := node.GetGroupingFunc(); gf != nil {
			// GROUPING() reads the aggregate's output, as an aggregate call does.
			loc = gf.Location
			return false, true
		}
		return true, false
	})
	return loc
}

func (b *Binder) funcCall(fc *pg.FuncCall, s *scope) (Expr, error) {
	name := funcName(fc)
	if isSetReturning(fc) {
		return b.srfColumn(fc, s) // unnest.go
	}
	if fc.Over != nil {
		return nil, sqlerr.New(codeWindowingError, "window functions are not allowed here").WithPosition(b.pos(fc.Location))
	}
	if b.isAggregate(fc) {
		return nil, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed here").WithPosition(b.pos(fc.Location))
	}
	if f := b.funcs.Lookup(name); f != nil && f.Kind == function.WindowKind {
		return nil, sqlerr.New(sqlerr.WrongObjectType, "window function %s requires an OVER clause", name).WithPosition(b.pos(fc.Location))
	}
	if fc.AggStar {
		return nil, sqlerr.New(sqlerr.WrongObjectType, "%s(*) specified, but %s is not an aggregate function", name, name).WithPosition(b.pos(fc.Location))
	}
	if name == "try" && len(names(fc.Funcname)) == 1 {
		return b.tryCall(fc, s) // expr_try.go
	}
	args, err := b.exprs(fc.Args, s)
	if err != nil {
		return nil, err
	}
	switch name {
	case "extract":
		name = "date_part"
	case "substring":
		name = "substr"
	}
	return b.call(name, args, fc.Location)
}

// aggCall binds an aggregate call's arguments over the aggregate's input and registers it.
func (b *Binder) aggCall(fc *pg.FuncCall, a *aggScope) (Expr, error) {
	name := funcName(fc)
	f := b.funcs.Lookup(name)
	for _, arg := range fc.Args {
		if b.containsAgg(arg) {
			return nil, sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot be nested").WithPosition(b.pos(fc.Location))
		}
		if containsWindow(arg) {
			return nil, sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot contain window function calls").WithPosition(b.pos(exprLocation(arg)))
		}
	}
	var args []Expr
	if !fc.AggStar {
		var err error
		if args, err = b.exprs(fc.Args, a.input); err != nil {
			return nil, err
		}
	} else if name != "count" {
		return nil, sqlerr.New(sqlerr.WrongObjectType, "%s(*) specified, but %s is not a parameterless aggregate function", name, name).WithPosition(b.pos(fc.Location))
	}
	argTypes := make([]types.T, len(args))
	for i, x := range args {
		argTypes[i] = x.Type()
	}
	sig, ok := f.Bind(argTypes)
	if !ok {
		for i, t := range argTypes {
			if t.Kind == types.Unknown {
				argTypes[i] = types.VarcharT
			}
		}
		sig, ok = f.Bind(argTypes)
	}
	if !ok {
		return nil, b.undefinedFunction(name, args, fc.Location)
	}
	for i := range args {
		c, err := b.cast(args[i], sig.Args[i], false, fc.Location)
		if err != nil {
			return nil, err
		}
		args[i] = c
	}
	call := AggCall{Name: name, Sig: sig, Args: args, Distinct: fc.AggDistinct}
	if len(fc.AggOrder) > 0 || fc.AggDistinct {
		if err := b.aggOrder(fc, &call, a); err != nil { // agg_order.go
			return nil, err
		}
	}
	if fc.AggDistinct && len(args) > 0 && len(call.Order) == 0 {
		// With an ORDER BY the executor removes the duplicates itself, after sorting.
		call.Sig.Agg = function.Distinct(sig.Args, sig.Agg)
	}
	if fc.AggFilter != nil {
		cond, err := b.expr(fc.AggFilter, a.input)
		if err != nil {
			return nil, err
		}
		if call.Filter, err = b.coerceBool(cond, fc.Location); err != nil {
			return nil, err
		}
	}
	return a.addAgg(call), nil
}

// columnName is the name PostgreSQL gives a result column computed by e when it has no
// alias.
func columnName(e Expr) string {
	switch x := e.(type) {
	case *ColumnRef:
		return x.Name
	case *Call:
		if !isOperator(x.Name) {
			return x.Name
		}
	case *Cast:
		return columnName(x.Arg)
	}
	return "?column?"
}
