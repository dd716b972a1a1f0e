package planner

import (
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/types"
)

// PostgreSQL's numeric carries a display scale per value, chosen by the operation from the
// operands' values; a Quarry column has one scale, chosen from the operands' types. Where an
// operand that decides the scale is a constant, the binder can pick PostgreSQL's scale
// exactly, and does so here:
//
//   - x / y with both constant: select_div_scale's scale for those values
//     (function.ConstDecimalDiv), e.g. 1.0/3 = 0.33333333333333333333;
//   - round(x, n) and trunc(x, n) with a constant n: scale max(n, 0), e.g. round(2.345, 2) =
//     2.35 and round(2.3, 5) = 2.30000; an integer x is numeric there, as in PostgreSQL;
//   - sqrt, exp and ln of a numeric constant: at least 16 significant digits for that value
//     (function.ConstNumericFn), e.g. sqrt(2.0) = 1.414213562373095.

// numericArgs converts arguments before a call binds: round(integer, n) and trunc(integer,
// n) are numeric functions in PostgreSQL (round(42, 2) = 42.00).
func (b *Binder) numericArgs(name string, args []Expr, loc int32) ([]Expr, error) {
	if (name != "round" && name != "trunc" && name != "truncate") || len(args) != 2 || !args[0].Type().IsInteger() {
		return args, nil
	}
	p := int32(19)
	switch args[0].Type().Kind {
	case types.Int16:
		p = 5
	case types.Int32:
		p = 10
	}
	x, err := b.cast(args[0], types.DecimalT(p, 0), false, loc)
	if err != nil {
		return nil, err
	}
	return []Expr{x, args[1]}, nil
}

// numericResult gives a bound call PostgreSQL's result scale where a constant operand
// decides it (see above), and folds it.
func (b *Binder) numericResult(c *Call, loc int32) (Expr, error) {
	if c.Sig.Ret.Kind != types.Decimal || len(c.Args) == 0 || len(c.Args) > 2 {
		return b.fold(c, loc)
	}
	switch c.Name {
	case "sqrt", "exp", "ln":
		x, ok := c.Args[0].(*Literal)
		if !ok {
			break
		}
		if sig, ok := function.ConstNumericFn(c.Name, x.Value, x.T); ok {
			n := *c
			n.Sig = sig
			return b.fold(&n, loc)
		}
	case "/":
		x, okx := c.Args[0].(*Literal)
		y, oky := c.Args[1].(*Literal)
		if !okx || !oky {
			break
		}
		if sig, ok := function.ConstDecimalDiv(x.Value, y.Value, x.T, y.T); ok {
			n := *c
			n.Sig = sig
			return b.fold(&n, loc)
		}
	case "round", "trunc", "truncate":
		if len(c.Args) != 2 {
			break
		}
		lit, ok := c.Args[1].(*Literal)
		if !ok || lit.IsNull() {
			break
		}
		digits, ok := lit.Value.(*array.Int32)
		if !ok {
			break
		}
		s := max(digits.Value(0), 0)
		ret := c.Sig.Ret
		if s == ret.Scale || s > types.MaxDecimalPrecision {
			break
		}
		e, err := b.fold(c, loc)
		if err != nil {
			return nil, err
		}
		// The kernel already rounded to s digits, so narrowing the scale drops only zeros
		// and widening adds them: the cast changes no value.
		p := min(ret.Precision-ret.Scale+s, types.MaxDecimalPrecision)
		return b.cast(e, types.DecimalT(max(p, s, 1), s), false, loc)
	}
	return b.fold(c, loc)
}
