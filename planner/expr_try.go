package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Try is Trino's TRY(expr): the value of Arg, or NULL for the rows where evaluating Arg
// raises a data error (SQLSTATE class 22: division by zero, invalid cast or argument,
// numeric overflow, value out of range). Any other error still fails the statement. exec
// evaluates Arg over the whole batch and, only when that fails with a data error, again
// over smaller pieces of the batch to find the failing rows.
type Try struct{ Arg Expr }

func (e *Try) Type() types.T  { return e.Arg.Type() }
func (e *Try) String() string { return "TRY(" + e.Arg.String() + ")" }

// IsDataError reports whether err is one TRY turns into NULL: a coded error of SQLSTATE
// class 22 (data exception).
func IsDataError(err error) bool {
	return err != nil && strings.HasPrefix(sqlerr.Code(err), "22")
}

// tryCall binds TRY(expr). While its argument is bound, constant folding keeps a call that
// raises a data error unfolded instead of failing the statement (fold in expr_bind.go), so
// TRY(1/0) is NULL at run time rather than an error at bind time.
func (b *Binder) tryCall(fc *pg.FuncCall, s *scope) (Expr, error) {
	if len(fc.Args) != 1 || fc.AggStar || fc.AggDistinct || len(fc.AggOrder) > 0 || fc.AggFilter != nil {
		return nil, sqlerr.New(sqlerr.SyntaxError, "TRY takes exactly one expression").WithPosition(b.pos(fc.Location))
	}
	b.tryDepth++
	arg, err := b.expr(fc.Args[0], s)
	b.tryDepth--
	if err != nil {
		return nil, err
	}
	if lit, ok := arg.(*Literal); ok {
		return lit, nil // nothing left to fail
	}
	return &Try{Arg: arg}, nil
}
