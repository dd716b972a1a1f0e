package planner

import (
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/types"
)

// SimplifyDateComparisons rewrites a date column compared with a timestamp constant,
// `CAST(d AS timestamp) < TIMESTAMP '1996-04-01 00:00:00'`, into a comparison of dates,
// `d < DATE '1996-04-01'`. The form is common: in PostgreSQL `date + interval` is a
// timestamp, so `d < DATE '1996-01-01' + INTERVAL '3' MONTH` (TPC-H Q1, Q4, Q5, Q6, Q10,
// Q12, Q14, Q15, Q20) casts every row's date to compare it. The date form does no per-row
// cast and leaves a plain `column op constant` conjunct that scans can use on their own.
//
// For a constant at midnight the comparison keeps its operator. Otherwise, with D the
// constant's date and d a date: d::timestamp < D+t and d::timestamp <= D+t are d <= D,
// d::timestamp > D+t and >= D+t are d > D; `=` would be false (or NULL) and is left alone.
type SimplifyDateComparisons struct{}

func (SimplifyDateComparisons) Name() string { return "SimplifyDateComparisons" }

func (r SimplifyDateComparisons) Apply(n Node) (Node, error) {
	n, err := mapChildren(n, r.Apply)
	if err != nil {
		return nil, err
	}
	f, ok := n.(*Filter)
	if !ok {
		return n, nil
	}
	cond := simplifyDateCompare(f.Cond)
	if cond == f.Cond {
		return n, nil
	}
	c := *f
	c.Cond = cond
	return &c, nil
}

// comparisonRegistry holds the comparison operators the rule rebinds for dates.
var comparisonRegistry = sync.OnceValue(function.New)

var flippedComparison = map[string]string{"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}

func simplifyDateCompare(e Expr) Expr {
	switch x := e.(type) {
	case *BoolOp:
		var args []Expr
		for i, a := range x.Args {
			s := simplifyDateCompare(a)
			if s != a && args == nil {
				args = append([]Expr(nil), x.Args...)
			}
			if args != nil {
				args[i] = s
			}
		}
		if args == nil {
			return e
		}
		return &BoolOp{And: x.And, Args: args}
	case *Call:
		if out := dateCompare(x); out != nil {
			return out
		}
	}
	return e
}

// dateCompare returns the date form of c, or nil when c is not a date-to-timestamp-constant
// comparison.
func dateCompare(c *Call) Expr {
	op, isCmp := flippedComparison[c.Name]
	if !isCmp || len(c.Args) != 2 {
		return nil
	}
	cast, lit := asDateCast(c.Args[0]), asTimestampConstant(c.Args[1])
	op = c.Name
	if cast == nil || lit == nil {
		cast, lit = asDateCast(c.Args[1]), asTimestampConstant(c.Args[0])
		op = flippedComparison[c.Name]
	}
	if cast == nil || lit == nil {
		return nil
	}
	ts := lit.Value.(*array.Timestamp)
	unit := ts.DataType().(*arrow.TimestampType).Unit
	perDay := int64(86400) * int64(1e9) / int64(unit.Multiplier())
	v := int64(ts.Value(0))
	day, rem := v/perDay, v%perDay
	if rem < 0 {
		day, rem = day-1, rem+perDay
	}
	if rem != 0 {
		switch op {
		case "<", "<=":
			op = "<="
		case ">", ">=":
			op = ">"
		default:
			return nil
		}
	}
	f := comparisonRegistry().Lookup(op)
	if f == nil {
		return nil
	}
	sig, ok := f.Bind([]types.T{types.DateT, types.DateT})
	if !ok || sig.Ret.Kind != types.Bool {
		return nil
	}
	return &Call{Name: op, Sig: sig, Args: []Expr{cast.Arg, NewLiteral(types.DateT, int64(day))}, Volatility: c.Volatility}
}

// asDateCast returns e if it is a plain cast of a date to timestamp (without time zone: a
// timestamptz cast depends on the session's time zone).
func asDateCast(e Expr) *Cast {
	c, ok := e.(*Cast)
	if !ok || c.Try || c.T.Kind != types.Timestamp || c.Arg.Type().Kind != types.Date {
		return nil
	}
	return c
}

// asTimestampConstant returns e if it is a non-NULL timestamp literal.
func asTimestampConstant(e Expr) *Literal {
	l, ok := e.(*Literal)
	if !ok || l.T.Kind != types.Timestamp || l.IsNull() {
		return nil
	}
	if _, ok := l.Value.(*array.Timestamp); !ok {
		return nil
	}
	return l
}
