package planner

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// expr binds an expression in scope s. In an aggregate scope, aggregate calls become
// references to the Aggregate node's outputs and grouped expressions references to its keys.
func (b *Binder) expr(n *pg.Node, s *scope) (Expr, error) {
	if n == nil {
		return nil, sqlerr.New(sqlerr.SyntaxError, "missing expression")
	}
	if s.win != nil {
		if fc := n.GetFuncCall(); fc != nil && fc.Over != nil {
			return b.windowCall(fc, s.win) // window_bind.go
		}
	}
	if s.agg != nil {
		if fc := n.GetFuncCall(); fc != nil && b.isAggregate(fc) {
			return b.aggCall(fc, s.agg)
		}
		if gf := n.GetGroupingFunc(); gf != nil {
			return b.groupingFunc(gf, s.agg) // grouping_sets.go
		}
		if !b.containsAgg(n) && (s.win == nil || !containsWindow(n)) {
			e, err := b.expr(n, s.agg.input)
			if err != nil {
				return nil, err
			}
			if i := s.agg.groupIndex(e); i >= 0 {
				return &ColumnRef{Index: i, Name: columnName(e), T: e.Type()}, nil
			}
			if IsConstant(e) {
				return e, nil
			}
			if cr := n.GetColumnRef(); cr != nil {
				return nil, sqlerr.New(sqlerr.GroupingError,
					"column %q must appear in the GROUP BY clause or be used in an aggregate function",
					strings.Join(names(cr.Fields), ".")).WithPosition(b.pos(cr.Location))
			}
			// A composite of grouped parts (a + b with a and b grouped): bind its parts
			// against the aggregate output below.
		}
	}
	switch {
	case n.GetColumnRef() != nil:
		return b.columnRef(n.GetColumnRef(), s)
	case n.GetAConst() != nil:
		return b.constant(n.GetAConst())
	case n.GetTypeCast() != nil:
		return b.typeCast(n.GetTypeCast(), s)
	case n.GetAExpr() != nil:
		return b.aExpr(n.GetAExpr(), s)
	case n.GetBoolExpr() != nil:
		return b.boolExpr(n.GetBoolExpr(), s)
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		arg, err := b.expr(nt.Arg, s)
		if err != nil {
			return nil, err
		}
		return &IsNullTest{Arg: arg, Negate: nt.Nulltesttype == pg.NullTestType_IS_NOT_NULL}, nil
	case n.GetBooleanTest() != nil:
		bt := n.GetBooleanTest()
		arg, err := b.expr(bt.Arg, s)
		if err != nil {
			return nil, err
		}
		if arg, err = b.coerce(arg, types.BoolT, bt.Location); err != nil {
			return nil, err
		}
		t := &BoolTest{Arg: arg}
		switch bt.Booltesttype {
		case pg.BoolTestType_IS_TRUE:
			t.Want = 1
		case pg.BoolTestType_IS_NOT_TRUE:
			t.Want, t.Negate = 1, true
		case pg.BoolTestType_IS_FALSE:
			t.Want = 0
		case pg.BoolTestType_IS_NOT_FALSE:
			t.Want, t.Negate = 0, true
		case pg.BoolTestType_IS_UNKNOWN:
			t.Want = -1
		case pg.BoolTestType_IS_NOT_UNKNOWN:
			t.Want, t.Negate = -1, true
		}
		return t, nil
	case n.GetFuncCall() != nil:
		return b.funcCall(n.GetFuncCall(), s)
	case n.GetCaseExpr() != nil:
		return b.caseExpr(n.GetCaseExpr(), s)
	case n.GetCoalesceExpr() != nil:
		ce := n.GetCoalesceExpr()
		args, err := b.lazyExprs(ce.Args, s) // expr_case_lazy.go
		if err != nil {
			return nil, err
		}
		t, args, err := b.unify(args, "COALESCE", ce.Location)
		if err != nil {
			return nil, err
		}
		return simplifyCoalesce(&Coalesce{Args: args, T: t}), nil
	case n.GetMinMaxExpr() != nil:
		mm := n.GetMinMaxExpr()
		name := "greatest"
		if mm.Op == pg.MinMaxOp_IS_LEAST {
			name = "least"
		}
		args, err := b.exprs(mm.Args, s)
		if err != nil {
			return nil, err
		}
		return b.call(name, args, mm.Location)
	case n.GetSqlvalueFunction() != nil:
		return b.sqlValueFunction(n.GetSqlvalueFunction())
	case n.GetSubLink() != nil:
		return b.bindSubLink(n.GetSubLink(), s)
	case n.GetParamRef() != nil:
		return b.paramRef(n.GetParamRef())
	case n.GetAIndirection() != nil:
		return b.indirection(n.GetAIndirection(), s) // expr_indirection.go
	case n.GetCollateClause() != nil:
		return b.collate(n.GetCollateClause(), s) // expr_collate.go
	case n.GetAArrayExpr() != nil:
		return b.arrayExpr(n.GetAArrayExpr(), s) // expr_array.go
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "expression not supported yet: %s", nodeKind(n))
}

func nodeKind(n *pg.Node) string {
	s := strings.TrimPrefix(strings.TrimPrefix(strings.SplitN(strings.TrimSpace(strings.SplitN(n.String(), ":", 2)[0]), "{", 2)[0], "*pg_query."), "Node_")
	return s
}

func (b *Binder) exprs(ns []*pg.Node, s *scope) ([]Expr, error) {
	out := make([]Expr, len(ns))
	for i, n := range ns {
		e, err := b.expr(n, s)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

func (b *Binder) columnRef(cr *pg.ColumnRef, s *scope) (Expr, error) {
	var parts []string
	for _, f := range cr.Fields {
		if f.GetAStar() != nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "* is only allowed in the select list and count(*)").WithPosition(b.pos(cr.Location))
		}
		parts = append(parts, strings.ToLower(strVal(f)))
	}
	var qual, name string
	switch len(parts) {
	case 1:
		name = parts[0]
	case 2:
		qual, name = parts[0], parts[1]
	case 3:
		// db.table.column: the qualifier is the table (its alias is its name).
		qual, name = parts[1], parts[2]
	default:
		return nil, sqlerr.New(sqlerr.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(parts, ".")).WithPosition(b.pos(cr.Location))
	}
	idx, err := s.resolve(qual, name, b.pos(cr.Location))
	if err != nil {
		if len(b.outer) > 0 && !isAmbiguous(err) {
			// A subquery's reference to a column of a query around it.
			if e, oerr := b.resolveOuter(qual, name, b.pos(cr.Location)); oerr != nil || e != nil {
				if oerr != nil {
					return nil, oerr
				}
				return e, nil
			}
		}
		return nil, err
	}
	c := s.cols[idx]
	return &ColumnRef{Index: idx, Name: c.Name, T: c.Type}, nil
}

func (b *Binder) constant(c *pg.A_Const) (Expr, error) {
	if c.Isnull {
		return NewLiteral(types.UnknownT, nil), nil
	}
	switch {
	case c.GetIval() != nil:
		return NewLiteral(types.Int32T, int32(c.GetIval().Ival)), nil
	case c.GetFval() != nil:
		text := c.GetFval().Fval
		// Integers too large for int4 arrive as Fval.
		if i, err := strconv.ParseInt(text, 10, 64); err == nil {
			return NewLiteral(types.Int64T, i), nil
		}
		t, num, err := function.ParseDecimalLiteral(text)
		if err != nil {
			f, ferr := strconv.ParseFloat(text, 64)
			if ferr != nil {
				return nil, b.errAt(err, c.Location)
			}
			return NewLiteral(types.Float64T, f), nil
		}
		return NewLiteral(t, num), nil
	case c.GetBoolval() != nil:
		return NewLiteral(types.BoolT, c.GetBoolval().Boolval), nil
	case c.GetSval() != nil:
		return NewLiteral(types.UnknownT, c.GetSval().Sval), nil
	case c.GetBsval() != nil:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "bit strings are not supported").WithPosition(b.pos(c.Location))
	}
	return NewLiteral(types.UnknownT, nil), nil
}

// typeName resolves a pg_query TypeName.
func (b *Binder) typeName(tn *pg.TypeName) (types.T, error) {
	ns := names(tn.Names)
	name := strings.ToLower(ns[len(ns)-1])
	var mods []int32
	for _, m := range tn.Typmods {
		if c := m.GetAConst(); c != nil && c.GetIval() != nil {
			mods = append(mods, c.GetIval().Ival)
		}
	}
	if name == "interval" {
		mods = nil // field masks, handled by the caller
	}
	if (name == "timestamp" || name == "timestamptz" || name == "time") && len(mods) > 0 {
		mods = nil
	}
	t, ok := types.FromName(name, mods)
	if !ok {
		return types.T{}, sqlerr.New(sqlerr.UndefinedObject, "type %q does not exist", name).WithPosition(b.pos(tn.Location))
	}
	if t.Kind == types.Decimal && (t.Precision < 1 || t.Precision > types.MaxDecimalPrecision || t.Scale < 0 || t.Scale > t.Precision) {
		return types.T{}, sqlerr.New(sqlerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and %d", t.Precision, types.MaxDecimalPrecision).WithPosition(b.pos(tn.Location))
	}
	for range tn.ArrayBounds {
		t = types.ArrayT(t)
	}
	return t, nil
}

// intervalFields returns the field qualifier of `interval '90' day` from the typmod mask,
// as PostgreSQL encodes it (INTERVAL_MASK bits of datetime.h).
func intervalFields(tn *pg.TypeName) string {
	if len(tn.Typmods) == 0 {
		return ""
	}
	c := tn.Typmods[0].GetAConst()
	if c == nil || c.GetIval() == nil {
		return ""
	}
	const (
		month  = 1 << 1
		year   = 1 << 2
		day    = 1 << 3
		hour   = 1 << 10
		minute = 1 << 11
		second = 1 << 12
	)
	switch c.GetIval().Ival {
	case year:
		return "year"
	case month:
		return "month"
	case day:
		return "day"
	case hour:
		return "hour"
	case minute:
		return "minute"
	case second:
		return "second"
	case year | month:
		return "year to month"
	case day | hour:
		return "day to hour"
	case day | hour | minute:
		return "day to minute"
	case day | hour | minute | second:
		return "day to second"
	case hour | minute:
		return "hour to minute"
	case hour | minute | second:
		return "hour to second"
	case minute | second:
		return "minute to second"
	}
	return ""
}

func (b *Binder) typeCast(tc *pg.TypeCast, s *scope) (Expr, error) {
	t, err := b.typeName(tc.TypeName)
	if err != nil {
		return nil, err
	}
	arg, err := b.expr(tc.Arg, s)
	if err != nil {
		return nil, err
	}
	if t.Kind == types.Interval {
		if lit, ok := arg.(*Literal); ok && !lit.IsNull() && (lit.T.Kind == types.Unknown || lit.T.Kind == types.Varchar) {
			iv, err := function.ParseInterval(lit.Value.ValueStr(0), intervalFields(tc.TypeName))
			if err != nil {
				return nil, b.errAt(err, tc.Location)
			}
			return NewLiteral(types.IntervalT, iv), nil
		}
	}
	return b.cast(arg, t, false, tc.Location)
}

// cast converts e to t, folding constants.
func (b *Binder) cast(e Expr, t types.T, try bool, loc int32) (Expr, error) {
	if e.Type().Equal(t) {
		return e, nil
	}
	from := e.Type()
	if from.Kind == types.Unknown {
		from = types.VarcharT
		if lit, ok := e.(*Literal); ok {
			if lit.IsNull() {
				return NewLiteral(t, nil), nil
			}
			e = literalFromArray(types.VarcharT, lit.Value)
		}
	}
	k, err := function.Cast(from, t, try)
	if err != nil {
		return nil, b.errAt(sqlerr.Wrap(err, sqlerr.CannotCoerce, "cannot cast type %s to %s", from, t), loc)
	}
	c := &Cast{Arg: e, T: t, Try: try, Kernel: k}
	return b.fold(c, loc)
}

// coerce converts e to t implicitly: unknown literals and widening conversions only.
func (b *Binder) coerce(e Expr, t types.T, loc int32) (Expr, error) {
	if e.Type().Equal(t) {
		return e, nil
	}
	if e.Type().Kind == types.Unknown || function.ImplicitCast(e.Type(), t) {
		return b.cast(e, t, false, loc)
	}
	return nil, sqlerr.New(sqlerr.DatatypeMismatch, "argument of type %s cannot be used where %s is expected", e.Type(), t).WithPosition(b.pos(loc))
}

// unify coerces a list of expressions to their common type (CASE arms, COALESCE, IN).
func (b *Binder) unify(es []Expr, what string, loc int32) (types.T, []Expr, error) {
	t := types.UnknownT
	for _, e := range es {
		if t.Kind == types.Unknown {
			t = e.Type()
			continue
		}
		if e.Type().Kind == types.Unknown {
			continue
		}
		ct, ok := function.CommonType(t, e.Type())
		if !ok {
			return types.T{}, nil, sqlerr.New(sqlerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, t, e.Type()).WithPosition(b.pos(loc))
		}
		t = ct
	}
	if t.Kind == types.Unknown {
		t = types.VarcharT
	}
	out := make([]Expr, len(es))
	for i, e := range es {
		c, err := b.cast(e, t, false, loc)
		if err != nil {
			return types.T{}, nil, err
		}
		out[i] = c
	}
	return t, out, nil
}

// fold evaluates an expression whose inputs are all literals.
func (b *Binder) fold(e Expr, loc int32) (Expr, error) {
	switch x := e.(type) {
	case *Cast:
		lit, ok := x.Arg.(*Literal)
		if !ok {
			return e, nil
		}
		out, err := x.Kernel(b.fctx, []arrowArray{lit.Value}, 1)
		if err != nil {
			if b.keepUnfolded(err) {
				return e, nil // TRY makes it NULL at run time; a lazy branch may never run
			}
			return nil, b.errAt(err, loc)
		}
		return literalFromArray(x.T, out), nil
	case *Call:
		if x.Volatility != function.Immutable || x.Sig.Kernel == nil {
			return e, nil
		}
		args := make([]arrowArray, len(x.Args))
		for i, a := range x.Args {
			lit, ok := a.(*Literal)
			if !ok {
				return e, nil
			}
			args[i] = lit.Value
		}
		out, err := x.Sig.Kernel(b.fctx, args, 1)
		if err != nil {
			if b.keepUnfolded(err) {
				return e, nil // TRY makes it NULL at run time; a lazy branch may never run
			}
			return nil, b.errAt(err, loc)
		}
		return literalFromArray(x.Sig.Ret, out), nil
	}
	return e, nil
}
