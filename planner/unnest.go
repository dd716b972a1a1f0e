package planner

import (
	"fmt"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Unnest turns arrays into rows, which is how Quarry runs set-returning functions: each one
// is an array function (unnest is the identity, generate_series builds the series) whose
// array Unnest expands. For every input row it evaluates Arrays over the row and emits as
// many rows as the longest array has elements: the input row's columns, then per array the
// element at that position (NULL past a shorter array's end, as PostgreSQL runs several
// set-returning functions side by side), then the 1-based position when Ordinality is set.
// A row whose arrays are all NULL or empty produces nothing.
//
// FROM f(...) is an Unnest over a one-row Values; set-returning functions in a select list
// are an Unnest over the FROM/WHERE rows, under the projection.
type Unnest struct {
	Input  Node
	Arrays []Expr
	// Names are the element columns' names, and Table their qualifier.
	Names      []string
	Table      string
	Ordinality bool
	// OrdinalityName names the position column ("ordinality" unless aliased).
	OrdinalityName string
}

func (n *Unnest) Columns() []Column {
	in := n.Input.Columns()
	out := make([]Column, len(in), len(in)+len(n.Arrays)+1)
	copy(out, in)
	for i, a := range n.Arrays {
		out = append(out, Column{Name: n.Names[i], Table: n.Table, Type: *a.Type().Elem})
	}
	if n.Ordinality {
		out = append(out, Column{Name: n.OrdinalityName, Table: n.Table, Type: types.Int64T})
	}
	return out
}

func (n *Unnest) Inputs() []Node { return []Node{n.Input} }

func (n *Unnest) String() string {
	s := "Unnest arrays=[" + joinExprs(n.Arrays) + "]"
	if n.Ordinality {
		s += ", ordinality"
	}
	return s
}

// setReturning lists the set-returning functions Quarry knows; each binds to an array.
var setReturning = map[string]bool{"unnest": true, "generate_series": true, "generate_subscripts": true}

func isSetReturning(fc *pg.FuncCall) bool {
	return fc.Over == nil && setReturning[funcName(fc)]
}

// srfArray binds a set-returning call to the array whose elements are its rows.
func (b *Binder) srfArray(fc *pg.FuncCall, s *scope) (Expr, error) {
	name := funcName(fc)
	args, err := b.exprs(fc.Args, s)
	if err != nil {
		return nil, err
	}
	ts := make([]types.T, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	var sig function.Sig
	ok := false
	switch name {
	case "unnest":
		if len(args) == 1 && ts[0].Kind == types.Unknown {
			// unnest('{a,b}'): PostgreSQL cannot tell the element type either.
			return nil, sqlerr.New(sqlerr.IndeterminateDatatype, "could not determine polymorphic type because input has type unknown").WithPosition(b.pos(fc.Location))
		}
		if len(args) == 1 && ts[0].Kind == types.Array {
			return args[0], nil
		}
	case "generate_series":
		sig, ok = function.SeriesArray(ts)
	case "generate_subscripts":
		sig, ok = function.SubscriptsArray(ts)
	}
	if !ok {
		return nil, b.undefinedFunction(name, args, fc.Location)
	}
	coerced := make([]Expr, len(args))
	for i, a := range args {
		if coerced[i], err = b.cast(a, sig.Args[i], false, fc.Location); err != nil {
			return nil, err
		}
	}
	return b.fold(&Call{Name: name, Sig: sig, Args: coerced, Volatility: function.Immutable}, fc.Location)
}

// rangeFunction binds a function in FROM (ROWS FROM with several functions zips them). A
// function that is not set-returning gives one row, its value. Arguments may not refer to
// earlier FROM items (LATERAL).
func (b *Binder) rangeFunction(rf *pg.RangeFunction) (Node, error) {
	if rv, ok := tableFunction(rf); ok {
		return b.tableRef(rv) // table_functions.go
	}
	var one Node = &Values{Rows: [][]Expr{{}}}
	empty := newScope(nil)
	u := &Unnest{Input: one, Ordinality: rf.Ordinality, OrdinalityName: "ordinality"}
	var fnames []string
	for _, item := range rf.Functions {
		parts := item.GetList().GetItems()
		if len(parts) == 0 || parts[0].GetFuncCall() == nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "only function calls are supported in FROM")
		}
		if len(parts) > 1 && parts[1].GetList() != nil && len(parts[1].GetList().Items) > 0 {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "column definition lists are not supported")
		}
		fc := parts[0].GetFuncCall()
		var arr Expr
		var err error
		if isSetReturning(fc) {
			arr, err = b.srfArray(fc, empty)
		} else {
			var v Expr
			if v, err = b.funcCall(fc, empty); err == nil {
				arr, err = b.fold(&Call{Name: "array", Sig: function.ArrayConstructor(v.Type(), 1), Args: []Expr{v}, Volatility: function.Immutable}, fc.Location)
			}
		}
		if err != nil {
			return nil, err
		}
		if arr.Type().Elem.Kind == types.Struct {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "functions returning records are not supported in FROM")
		}
		u.Arrays = append(u.Arrays, arr)
		fnames = append(fnames, funcName(fc))
	}
	u.Names = fnames
	u.Table = fnames[0]
	if rf.Alias != nil {
		u.Table = strings.ToLower(rf.Alias.Aliasname)
		cols := names(rf.Alias.Colnames)
		if len(cols) > len(u.Arrays)+boolInt(u.Ordinality) {
			return nil, sqlerr.New(sqlerr.InvalidColumnReference, "table %q has %d columns available but %d columns specified", u.Table, len(u.Arrays)+boolInt(u.Ordinality), len(cols))
		}
		if len(u.Arrays) == 1 && len(cols) == 0 {
			// A scalar function's one column takes the table alias as its name.
			u.Names = []string{u.Table}
		}
		for i, c := range cols {
			if i < len(u.Arrays) {
				u.Names[i] = strings.ToLower(c)
			} else {
				u.OrdinalityName = strings.ToLower(c)
			}
		}
	}
	return u, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// srfTargets finds the set-returning calls in the select list (outside subqueries) and, if
// there are any, puts an Unnest of their arrays over input; the calls then bind to its
// columns (srfColumn). A query that also aggregates is not supported.
func (b *Binder) srfTargets(targets []target, input Node, in *scope) (Node, *scope, error) {
	var calls []*pg.FuncCall
	for _, t := range targets {
		if t.node != nil {
			calls = append(calls, findSetReturning(t.node)...)
		}
	}
	if len(calls) == 0 {
		return input, in, nil
	}
	u := &Unnest{Input: input}
	base := len(input.Columns())
	if b.srfCols == nil {
		b.srfCols = map[*pg.FuncCall]int{}
	}
	for i, fc := range calls {
		arr, err := b.srfArray(fc, in)
		if err != nil {
			return nil, nil, err
		}
		u.Arrays = append(u.Arrays, arr)
		u.Names = append(u.Names, fmt.Sprintf("$srf%d", i))
		b.srfCols[fc] = base + i
	}
	cols := u.Columns()
	for i := base; i < len(cols); i++ {
		cols[i].Hidden = true // not part of SELECT *
	}
	return u, &scope{cols: cols}, nil
}

// srfColumn binds a set-returning call of the select list to its Unnest column.
func (b *Binder) srfColumn(fc *pg.FuncCall, s *scope) (Expr, error) {
	idx, ok := b.srfCols[fc]
	if !ok || idx >= len(s.cols) {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "set-returning function %s is only supported in FROM and in the select list of a query without aggregates", funcName(fc)).WithPosition(b.pos(fc.Location))
	}
	c := s.cols[idx]
	return &ColumnRef{Index: idx, Name: c.Name, T: c.Type}, nil
}

// findSetReturning returns the set-returning calls in n, outside subqueries, outermost first.
func findSetReturning(n *pg.Node) []*pg.FuncCall {
	var out []*pg.FuncCall
	visitOutsideSubqueries(n, func(node *pg.Node) (bool, bool) {
		if fc := node.GetFuncCall(); fc != nil && isSetReturning(fc) {
			out = append(out, fc)
			return false, false
		}
		return true, false
	})
	return out
}

// pruneUnnest narrows an Unnest's input to the columns its parent and its arrays read.
func pruneUnnest(x *Unnest, required []bool) (Node, []int) {
	nin := len(x.Input.Columns())
	need := copyReq(required, nin)
	for _, a := range x.Arrays {
		markUsed(need, a)
	}
	in, m := prune(x.Input, need)
	c := *x
	c.Input = in
	c.Arrays = make([]Expr, len(x.Arrays))
	for i, a := range x.Arrays {
		c.Arrays[i] = Remap(a, m)
	}
	nout := len(x.Columns())
	mapping := make([]int, nout)
	copy(mapping, m)
	newIn := len(in.Columns())
	for i := nin; i < nout; i++ {
		mapping[i] = newIn + i - nin
	}
	return &c, mapping
}
