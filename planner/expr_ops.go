package planner

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

type arrowArray = arrow.Array

func (b *Binder) aExpr(a *pg.A_Expr, s *scope) (Expr, error) {
	op := ""
	if len(a.Name) > 0 {
		op = strVal(a.Name[len(a.Name)-1])
	}
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
		if a.Lexpr == nil {
			r, err := b.expr(a.Rexpr, s)
			if err != nil {
				return nil, err
			}
			switch op {
			case "-":
				if lit, ok := r.(*Literal); ok && lit.T.IsNumeric() {
					return b.call("neg", []Expr{lit}, a.Location)
				}
				return b.call("neg", []Expr{r}, a.Location)
			case "+":
				return r, nil
			}
			return b.call(op, []Expr{r}, a.Location)
		}
		l, err := b.expr(a.Lexpr, s)
		if err != nil {
			return nil, err
		}
		r, err := b.expr(a.Rexpr, s)
		if err != nil {
			return nil, err
		}
		return b.binary(op, l, r, a.Location)
	case pg.A_Expr_Kind_AEXPR_OP_ANY, pg.A_Expr_Kind_AEXPR_OP_ALL:
		return b.quantified(a, op, s) // expr_array.go
	case pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE, pg.A_Expr_Kind_AEXPR_SIMILAR:
		// The parser gives SIMILAR TO as ~ (or !~) with the pattern wrapped in
		// similar_to_escape, as PostgreSQL runs it.
		l, err := b.expr(a.Lexpr, s)
		if err != nil {
			return nil, err
		}
		r, err := b.expr(a.Rexpr, s)
		if err != nil {
			return nil, err
		}
		return b.binary(op, l, r, a.Location)
	case pg.A_Expr_Kind_AEXPR_DISTINCT, pg.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		l, err := b.expr(a.Lexpr, s)
		if err != nil {
			return nil, err
		}
		r, err := b.expr(a.Rexpr, s)
		if err != nil {
			return nil, err
		}
		// a IS DISTINCT FROM b  ==  CASE WHEN a IS NULL THEN b IS NOT NULL
		//                              WHEN b IS NULL THEN true ELSE a <> b END
		ne, err := b.binary("<>", l, r, a.Location)
		if err != nil {
			return nil, err
		}
		e := &Case{T: types.BoolT, Whens: []When{
			{Cond: &IsNullTest{Arg: l}, Result: &IsNullTest{Arg: r, Negate: true}},
			{Cond: &IsNullTest{Arg: r}, Result: NewLiteral(types.BoolT, true)},
		}, Else: ne}
		if a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT {
			return &Not{Arg: e}, nil
		}
		return e, nil
	case pg.A_Expr_Kind_AEXPR_NULLIF:
		l, err := b.expr(a.Lexpr, s)
		if err != nil {
			return nil, err
		}
		r, err := b.expr(a.Rexpr, s)
		if err != nil {
			return nil, err
		}
		eq, err := b.binary("=", l, r, a.Location)
		if err != nil {
			return nil, err
		}
		if l.Type().Kind == types.Unknown {
			l, _ = b.cast(l, types.VarcharT, false, a.Location)
		}
		return &Case{T: l.Type(), Whens: []When{{Cond: eq, Result: NewLiteral(l.Type(), nil)}}, Else: l}, nil
	case pg.A_Expr_Kind_AEXPR_IN:
		l, err := b.expr(a.Lexpr, s)
		if err != nil {
			return nil, err
		}
		list := a.Rexpr.GetList()
		if list == nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "IN with a subquery is not supported yet").WithPosition(b.pos(a.Location))
		}
		items, err := b.exprs(list.Items, s)
		if err != nil {
			return nil, err
		}
		_, all, err := b.unify(append([]Expr{l}, items...), "IN", a.Location)
		if err != nil {
			return nil, err
		}
		// x IN (a, b) is x = a OR x = b under three-valued logic, which is exactly SQL's
		// NULL semantics for IN; NOT IN negates it.
		ors := make([]Expr, 0, len(all)-1)
		for _, item := range all[1:] {
			eq, err := b.binary("=", all[0], item, a.Location)
			if err != nil {
				return nil, err
			}
			ors = append(ors, eq)
		}
		var e Expr = &BoolOp{Args: ors}
		if len(ors) == 1 {
			e = ors[0]
		}
		if op == "<>" {
			e = &Not{Arg: e}
		}
		return e, nil
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		x, err := b.expr(a.Lexpr, s)
		if err != nil {
			return nil, err
		}
		bounds := a.Rexpr.GetList().GetItems()
		if len(bounds) != 2 {
			return nil, sqlerr.New(sqlerr.SyntaxError, "BETWEEN needs two bounds").WithPosition(b.pos(a.Location))
		}
		lo, err := b.expr(bounds[0], s)
		if err != nil {
			return nil, err
		}
		hi, err := b.expr(bounds[1], s)
		if err != nil {
			return nil, err
		}
		ge, err := b.binary(">=", x, lo, a.Location)
		if err != nil {
			return nil, err
		}
		le, err := b.binary("<=", x, hi, a.Location)
		if err != nil {
			return nil, err
		}
		var e Expr = &BoolOp{And: true, Args: []Expr{ge, le}}
		if a.Kind == pg.A_Expr_Kind_AEXPR_BETWEEN_SYM || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM {
			ge2, err := b.binary(">=", x, hi, a.Location)
			if err != nil {
				return nil, err
			}
			le2, err := b.binary("<=", x, lo, a.Location)
			if err != nil {
				return nil, err
			}
			e = &BoolOp{Args: []Expr{e, &BoolOp{And: true, Args: []Expr{ge2, le2}}}}
		}
		if a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM {
			e = &Not{Arg: e}
		}
		return e, nil
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "operator form %s is not supported yet", a.Kind).WithPosition(b.pos(a.Location))
}

// binary binds a binary operator. An untyped literal on one side takes the other side's
// type first, as PostgreSQL resolves `date_col > '2020-01-01'`.
func (b *Binder) binary(op string, l, r Expr, loc int32) (Expr, error) {
	if op == "!=" {
		op = "<>"
	}
	lu, ru := l.Type().Kind == types.Unknown, r.Type().Kind == types.Unknown
	if keepsUnknownOperand[op] {
		// The operand's type is not the other side's: json -> 'key' takes text, json #> '{a,0}'
		// a text[]; the operator's binder resolves the literal.
		lu, ru = false, false
	}
	var err error
	switch {
	case lu && !ru && op != "||":
		if l, err = b.cast(l, r.Type(), false, loc); err != nil {
			return nil, err
		}
	case ru && !lu && op != "||":
		if r, err = b.cast(r, l.Type(), false, loc); err != nil {
			return nil, err
		}
	}
	return b.call(op, []Expr{l, r}, loc)
}

// keepsUnknownOperand lists the operators whose untyped literal operand does not take the
// other operand's type.
var keepsUnknownOperand = map[string]bool{"->": true, "->>": true, "#>": true, "#>>": true}

// call binds a scalar function or operator call, coercing arguments to the chosen
// signature and folding constant calls.
func (b *Binder) call(name string, args []Expr, loc int32) (Expr, error) {
	f := b.funcs.Lookup(name)
	if f == nil || f.Kind != function.ScalarKind {
		return nil, b.undefinedFunction(name, args, loc)
	}
	args, err := b.numericArgs(name, args, loc) // expr_numeric.go
	if err != nil {
		return nil, err
	}
	argTypes := make([]types.T, len(args))
	for i, a := range args {
		argTypes[i] = a.Type()
	}
	sig, ok := f.Bind(argTypes)
	if !ok {
		// Untyped literals default to text, as in PostgreSQL.
		changed := false
		for i, t := range argTypes {
			if t.Kind == types.Unknown {
				argTypes[i] = types.VarcharT
				changed = true
			}
		}
		if changed {
			sig, ok = f.Bind(argTypes)
		}
	}
	if !ok {
		return nil, b.undefinedFunction(name, args, loc)
	}
	coerced := make([]Expr, len(args))
	for i, a := range args {
		want := a.Type()
		if i < len(sig.Args) {
			want = sig.Args[i]
		} else if len(sig.Args) > 0 {
			want = sig.Args[len(sig.Args)-1] // variadic tail
		}
		c, err := b.cast(a, want, false, loc)
		if err != nil {
			return nil, err
		}
		coerced[i] = c
	}
	return b.numericResult(&Call{Name: name, Sig: sig, Args: coerced, Volatility: f.Volatility}, loc) // expr_numeric.go
}

func (b *Binder) undefinedFunction(name string, args []Expr, loc int32) error {
	ts := make([]string, len(args))
	for i, a := range args {
		ts[i] = a.Type().String()
	}
	if isOperator(name) {
		if len(args) == 1 {
			return sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s", name, ts[0]).
				WithPosition(b.pos(loc)).WithHint("No operator matches the given name and argument type. You might need to add an explicit type cast.")
		}
		return sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s %s", ts[0], name, ts[1]).
			WithPosition(b.pos(loc)).WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
	}
	return sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(ts, ", ")).
		WithPosition(b.pos(loc)).WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

func (b *Binder) boolExpr(be *pg.BoolExpr, s *scope) (Expr, error) {
	args, err := b.exprs(be.Args, s)
	if err != nil {
		return nil, err
	}
	for i, a := range args {
		if args[i], err = b.coerceBool(a, be.Location); err != nil {
			return nil, err
		}
	}
	switch be.Boolop {
	case pg.BoolExprType_NOT_EXPR:
		return &Not{Arg: args[0]}, nil
	case pg.BoolExprType_AND_EXPR:
		return &BoolOp{And: true, Args: flatten(args, true)}, nil
	default:
		return &BoolOp{Args: flatten(args, false)}, nil
	}
}

// flatten merges nested ANDs (or ORs) into one list.
func flatten(args []Expr, and bool) []Expr {
	var out []Expr
	for _, a := range args {
		if bo, ok := a.(*BoolOp); ok && bo.And == and {
			out = append(out, bo.Args...)
			continue
		}
		out = append(out, a)
	}
	return out
}

// coerceBool checks that e is boolean (an untyped literal is parsed as one).
func (b *Binder) coerceBool(e Expr, loc int32) (Expr, error) {
	switch e.Type().Kind {
	case types.Bool:
		return e, nil
	case types.Unknown:
		return b.cast(e, types.BoolT, false, loc)
	}
	return nil, sqlerr.New(sqlerr.DatatypeMismatch, "argument of boolean expression must be type boolean, not type %s", e.Type()).WithPosition(b.pos(loc))
}

func (b *Binder) caseExpr(ce *pg.CaseExpr, s *scope) (Expr, error) {
	var subject Expr
	var err error
	if ce.Arg != nil {
		if subject, err = b.expr(ce.Arg, s); err != nil {
			return nil, err
		}
	}
	var conds, results []Expr
	// Only the first condition runs on every row; the rest of the CASE is lazy
	// (expr_case_lazy.go).
	depth := b.lazyDepth
	defer func() { b.lazyDepth = depth }()
	for _, w := range ce.Args {
		cw := w.GetCaseWhen()
		c, err := b.expr(cw.Expr, s)
		if err != nil {
			return nil, err
		}
		b.lazyDepth = depth + 1
		if subject != nil {
			if c, err = b.binary("=", subject, c, cw.Location); err != nil {
				return nil, err
			}
		} else if c, err = b.coerceBool(c, cw.Location); err != nil {
			return nil, err
		}
		r, err := b.expr(cw.Result, s)
		if err != nil {
			return nil, err
		}
		conds = append(conds, c)
		results = append(results, r)
	}
	var els Expr = NewLiteral(types.UnknownT, nil)
	if ce.Defresult != nil {
		if els, err = b.expr(ce.Defresult, s); err != nil {
			return nil, err
		}
	}
	b.lazyDepth = depth // result coercion is eager, as in PostgreSQL
	t, all, err := b.unify(append(results, els), "CASE", ce.Location)
	if err != nil {
		return nil, err
	}
	out := &Case{T: t, Else: all[len(all)-1]}
	for i := range conds {
		out.Whens = append(out.Whens, When{Cond: conds[i], Result: all[i]})
	}
	return simplifyCase(out), nil
}

func (b *Binder) sqlValueFunction(f *pg.SQLValueFunction) (Expr, error) {
	switch f.Op {
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return b.call("current_date", nil, f.Location)
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return b.call("now", nil, f.Location)
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return b.call("localtimestamp", nil, f.Location)
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N,
		pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		// Quarry has no time with time zone: CURRENT_TIME is the local time of day, as
		// LOCALTIME is.
		return b.call("current_time", nil, f.Location)
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER, pg.SQLValueFunctionOp_SVFOP_USER,
		pg.SQLValueFunctionOp_SVFOP_SESSION_USER, pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return b.call("current_user", nil, f.Location)
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		return NewLiteral(types.VarcharT, b.defaultDB), nil
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return b.call("current_database", nil, f.Location)
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s is not supported yet", f.Op).WithPosition(b.pos(f.Location))
}
