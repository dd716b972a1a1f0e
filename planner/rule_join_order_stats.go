package planner

import (
	"math"
	"strings"
)

// Stats tells the optimizer how big tables are. The planner cannot list files itself (it
// has no object stores); the executor layer implements this from file metadata (Parquet
// row counts, text file sizes). A nil Stats makes every table DefaultTableRows rows.
type Stats interface {
	// TableRows estimates how many rows a scan reads before its filters; ok is false when
	// it cannot tell.
	TableRows(s *Scan) (rows float64, ok bool)
}

// DefaultTableRows is the size assumed for a table whose size is unknown.
const DefaultTableRows = 1000

// estimator estimates the rows plan nodes produce, remembering scan sizes.
type estimator struct {
	stats Stats
	scans map[*Scan]float64
	known map[Node]float64 // estimates made while ordering joins
}

func newEstimator(st Stats) *estimator {
	return &estimator{stats: st, scans: map[*Scan]float64{}, known: map[Node]float64{}}
}

// baseRows is the size of a scan before its filters, or of another node's output.
func (e *estimator) baseRows(n Node) float64 {
	if s, ok := n.(*Scan); ok {
		if r, ok := e.scans[s]; ok {
			return r
		}
		r := float64(DefaultTableRows)
		if e.stats != nil {
			if v, ok := e.stats.TableRows(s); ok {
				r = v
			}
		}
		e.scans[s] = r
		return r
	}
	return e.rows(n)
}

// rows estimates the rows n produces.
func (e *estimator) rows(n Node) float64 {
	if r, ok := e.known[n]; ok {
		return r
	}
	switch x := n.(type) {
	case *Scan:
		r := e.baseRows(x)
		for _, f := range x.Filters {
			r *= selectivity(f)
		}
		return math.Max(r, 1)
	case *Values:
		return float64(len(x.Rows))
	case *CteScan:
		return e.rows(x.CTE.Plan) // plan_cte.go
	case *Filter:
		return math.Max(e.rows(x.Input)*selectivity(x.Cond), 1)
	case *Project:
		return e.rows(x.Input)
	case *Sort:
		return e.rows(x.Input)
	case *Limit:
		r := e.rows(x.Input)
		if x.Count >= 0 {
			r = math.Min(r, float64(x.Count))
		}
		return r
	case *Aggregate:
		if len(x.GroupBy) == 0 {
			return 1
		}
		return math.Max(e.rows(x.Input)/4, 1)
	case *Join:
		l, r := e.rows(x.Left), e.rows(x.Right)
		var out float64
		switch x.Kind {
		case SemiJoin:
			return math.Max(l*e.kept(x.Right), 1)
		case AntiJoin:
			return math.Max(l*(1-e.kept(x.Right)/2), 1)
		case RightSemiJoin:
			return math.Max(r*e.kept(x.Left), 1)
		case RightAntiJoin:
			return math.Max(r*(1-e.kept(x.Left)/2), 1)
		case MarkJoin, SingleJoin:
			return l
		}
		if len(x.LeftKeys) > 0 {
			out = math.Max(l, r)
		} else {
			out = l * r
		}
		if x.Cond != nil {
			out *= selectivity(x.Cond)
		}
		switch x.Kind {
		case LeftJoin:
			out = math.Max(out, l)
		case RightJoin:
			out = math.Max(out, r)
		case FullJoin:
			out = math.Max(out, l+r)
		}
		return math.Max(out, 1)
	}
	return DefaultTableRows
}

// kept guesses the fraction of a table's rows that n keeps, for the share of another
// input that a semi join with n lets through (as if n's key were the table's key).
func (e *estimator) kept(n Node) float64 {
	base := n
	for {
		switch x := base.(type) {
		case *Project:
			base = x.Input
			continue
		case *Filter:
			base = x.Input
			continue
		}
		break
	}
	if _, ok := base.(*Scan); !ok {
		return 0.5
	}
	return math.Min(1, e.rows(n)/e.baseRows(base))
}

// selectivity guesses the fraction of rows a condition keeps. Without column statistics
// these are the usual textbook guesses: equality with a constant is selective, ranges
// less so, negations keep most rows.
func selectivity(c Expr) float64 {
	switch x := c.(type) {
	case *BoolOp:
		if x.And {
			s := 1.0
			for _, a := range x.Args {
				s *= selectivity(a)
			}
			return s
		}
		keep := 1.0
		for _, a := range x.Args {
			keep *= 1 - selectivity(a)
		}
		return 1 - keep
	case *Not:
		return 1 - selectivity(x.Arg)
	case *IsNullTest:
		if x.Negate {
			return 0.9
		}
		return 0.1
	case *Literal:
		if x.IsNull() || strings.EqualFold(x.Text, "false") {
			return 0
		}
		return 1
	case *Call:
		switch x.Name {
		case "=":
			return 0.1
		case "<>":
			return 0.9
		case "<", ">", "<=", ">=":
			return 0.33
		case "~~", "~~*":
			return 0.1
		case "!~~", "!~~*":
			return 0.9
		}
	}
	return 0.5
}
