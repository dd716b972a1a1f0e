package planner

import (
	"github.com/apache/arrow-go/v18/arrow/array"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/types"
)

// CASE and COALESCE are lazy in PostgreSQL: a THEN/ELSE result is computed only for the rows
// that reach it, a later WHEN condition only for the rows no earlier one decided, and a later
// COALESCE argument only where all earlier ones are NULL. So `CASE WHEN 1 = 1 THEN 1 ELSE
// 1/0 END` is 1, not a division by zero. The binder folds constants bottom-up as it builds
// each node, before it knows whether the node sits in a branch that is never taken; while
// such a branch is bound, lazyDepth is above 0 and fold keeps a constant expression that
// raises a data error unfolded instead of failing the statement. exec then evaluates the
// branch only on its rows (exec/expr_case.go), which for a constant branch that is never
// taken is none. simplifyCase and simplifyCoalesce then drop the branches that constant
// conditions rule out, as PostgreSQL's planner does.
//
// Type coercion of the results (unify) stays eager, as in PostgreSQL, where
// `CASE WHEN true THEN 1 ELSE 'x' END` fails while the query is parsed.

// keepUnfolded reports whether fold should leave an expression whose evaluation failed
// with err unfolded: inside TRY or inside a lazy branch, a data error belongs to run time.
func (b *Binder) keepUnfolded(err error) bool {
	return (b.tryDepth > 0 || b.lazyDepth > 0) && IsDataError(err)
}

// simplifyCase drops the arms whose condition is a constant false or NULL, and ends the
// CASE at the first arm whose condition is a constant true.
func simplifyCase(c *Case) Expr {
	var whens []When
	for _, w := range c.Whens {
		lit, ok := w.Cond.(*Literal)
		if !ok {
			whens = append(whens, w)
			continue
		}
		if lit.IsNull() || !isTrueLiteral(lit) {
			continue
		}
		if len(whens) == 0 {
			return w.Result
		}
		out := *c
		out.Whens, out.Else = whens, w.Result
		return &out
	}
	if len(whens) == 0 {
		return c.Else
	}
	if len(whens) == len(c.Whens) {
		return c
	}
	out := *c
	out.Whens = whens
	return &out
}

// isTrueLiteral reports whether lit is the boolean true.
func isTrueLiteral(lit *Literal) bool {
	ba, ok := lit.Value.(*array.Boolean)
	return ok && lit.T.Kind == types.Bool && ba.IsValid(0) && ba.Value(0)
}

// simplifyCoalesce drops leading NULL literals and ends at the first non-NULL literal.
func simplifyCoalesce(c *Coalesce) Expr {
	args := make([]Expr, 0, len(c.Args))
	for _, a := range c.Args {
		if lit, ok := a.(*Literal); ok {
			if lit.IsNull() {
				continue
			}
			if len(args) == 0 {
				return lit
			}
			args = append(args, lit)
			break
		}
		args = append(args, a)
	}
	switch {
	case len(args) == 0:
		return c.Args[len(c.Args)-1] // all NULL literals
	case len(args) == 1:
		return args[0]
	case len(args) == len(c.Args):
		return c
	}
	return &Coalesce{Args: args, T: c.T}
}

// lazyExprs binds COALESCE's arguments: the first runs on every row, the rest lazily.
func (b *Binder) lazyExprs(nodes []*pg.Node, s *scope) ([]Expr, error) {
	depth := b.lazyDepth
	defer func() { b.lazyDepth = depth }()
	out := make([]Expr, 0, len(nodes))
	for i, n := range nodes {
		if i == 1 {
			b.lazyDepth = depth + 1
		}
		e, err := b.expr(n, s)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
