package planner

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/types"
)

// Expr is a bound, typed expression. Column references point at the output columns of the
// plan node's input by index. Exprs are immutable once built.
type Expr interface {
	Type() types.T
	String() string
}

// ColumnRef reads column Index of the input.
type ColumnRef struct {
	Index int
	Name  string
	T     types.T
}

func (e *ColumnRef) Type() types.T  { return e.T }
func (e *ColumnRef) String() string { return fmt.Sprintf("%s#%d", e.Name, e.Index) }

// Literal is a constant: a one-element Arrow array of the literal's type (or a null array
// entry for NULL).
type Literal struct {
	T     types.T
	Value arrow.Array // length 1
	Text  string      // how EXPLAIN shows it
}

func (e *Literal) Type() types.T  { return e.T }
func (e *Literal) String() string { return e.Text }

// IsNull reports whether the literal is NULL.
func (e *Literal) IsNull() bool { return e.Value.IsNull(0) }

// Call applies a scalar function (operators included) to its arguments, already coerced
// to the signature's argument types.
type Call struct {
	Name       string
	Sig        function.Sig
	Args       []Expr
	Volatility function.Volatility
}

func (e *Call) Type() types.T { return e.Sig.Ret }
func (e *Call) String() string {
	if len(e.Args) == 2 && isOperator(e.Name) {
		return "(" + e.Args[0].String() + " " + e.Name + " " + e.Args[1].String() + ")"
	}
	return e.Name + "(" + joinExprs(e.Args) + ")"
}

func isOperator(name string) bool {
	return strings.IndexFunc(name, func(r rune) bool { return r >= 'a' && r <= 'z' }) < 0
}

// Cast converts its argument to T. Try casts yield NULL where a plain cast fails.
type Cast struct {
	Arg    Expr
	T      types.T
	Try    bool
	Kernel function.Kernel
}

func (e *Cast) Type() types.T  { return e.T }
func (e *Cast) String() string { return "CAST(" + e.Arg.String() + " AS " + e.T.String() + ")" }

// BoolOp is AND or OR over two or more boolean arguments, with SQL's three-valued logic.
type BoolOp struct {
	And  bool
	Args []Expr
}

func (e *BoolOp) Type() types.T { return types.BoolT }
func (e *BoolOp) String() string {
	op := " OR "
	if e.And {
		op = " AND "
	}
	parts := make([]string, len(e.Args))
	for i, a := range e.Args {
		parts[i] = a.String()
	}
	return "(" + strings.Join(parts, op) + ")"
}

// Not negates a boolean; NULL stays NULL.
type Not struct{ Arg Expr }

func (e *Not) Type() types.T  { return types.BoolT }
func (e *Not) String() string { return "NOT " + e.Arg.String() }

// IsNullTest is `x IS [NOT] NULL`.
type IsNullTest struct {
	Arg    Expr
	Negate bool
}

func (e *IsNullTest) Type() types.T { return types.BoolT }
func (e *IsNullTest) String() string {
	if e.Negate {
		return e.Arg.String() + " IS NOT NULL"
	}
	return e.Arg.String() + " IS NULL"
}

// BoolTest is `x IS [NOT] TRUE|FALSE|UNKNOWN`; never NULL.
type BoolTest struct {
	Arg    Expr
	Want   int8 // 1 true, 0 false, -1 unknown
	Negate bool
}

func (e *BoolTest) Type() types.T { return types.BoolT }
func (e *BoolTest) String() string {
	w := map[int8]string{1: "TRUE", 0: "FALSE", -1: "UNKNOWN"}[e.Want]
	if e.Negate {
		return e.Arg.String() + " IS NOT " + w
	}
	return e.Arg.String() + " IS " + w
}

// Case is a searched CASE; a simple CASE is bound into this form.
type Case struct {
	Whens []When
	Else  Expr // never nil: a NULL literal when absent
	T     types.T
}

// When is one WHEN cond THEN result arm.
type When struct{ Cond, Result Expr }

func (e *Case) Type() types.T { return e.T }
func (e *Case) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, w := range e.Whens {
		b.WriteString(" WHEN " + w.Cond.String() + " THEN " + w.Result.String())
	}
	b.WriteString(" ELSE " + e.Else.String() + " END")
	return b.String()
}

// Coalesce returns its first non-NULL argument.
type Coalesce struct {
	Args []Expr
	T    types.T
}

func (e *Coalesce) Type() types.T  { return e.T }
func (e *Coalesce) String() string { return "COALESCE(" + joinExprs(e.Args) + ")" }

func joinExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, a := range es {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

// Walk calls fn on e and every expression below it, depth first; fn returning false skips
// the children.
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	for _, c := range Children(e) {
		Walk(c, fn)
	}
}

// Children returns an expression's direct sub-expressions.
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Call:
		return e.Args
	case *Cast:
		return []Expr{e.Arg}
	case *BoolOp:
		return e.Args
	case *Not:
		return []Expr{e.Arg}
	case *IsNullTest:
		return []Expr{e.Arg}
	case *BoolTest:
		return []Expr{e.Arg}
	case *Case:
		out := make([]Expr, 0, 2*len(e.Whens)+1)
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Result)
		}
		return append(out, e.Else)
	case *Coalesce:
		return e.Args
	case *Try:
		return []Expr{e.Arg}
	case *Subquery:
		if e.Cmp != nil {
			return []Expr{e.Cmp}
		}
	}
	return nil
}

// Rewrite returns e with fn applied bottom-up: children first, then the node itself. fn
// returns its argument unchanged to keep a node.
func Rewrite(e Expr, fn func(Expr) Expr) Expr {
	switch x := e.(type) {
	case *Call:
		c := *x
		c.Args = rewriteAll(x.Args, fn)
		return fn(&c)
	case *Cast:
		c := *x
		c.Arg = Rewrite(x.Arg, fn)
		return fn(&c)
	case *BoolOp:
		c := *x
		c.Args = rewriteAll(x.Args, fn)
		return fn(&c)
	case *Not:
		return fn(&Not{Arg: Rewrite(x.Arg, fn)})
	case *IsNullTest:
		c := *x
		c.Arg = Rewrite(x.Arg, fn)
		return fn(&c)
	case *BoolTest:
		c := *x
		c.Arg = Rewrite(x.Arg, fn)
		return fn(&c)
	case *Case:
		c := *x
		c.Whens = make([]When, len(x.Whens))
		for i, w := range x.Whens {
			c.Whens[i] = When{Cond: Rewrite(w.Cond, fn), Result: Rewrite(w.Result, fn)}
		}
		c.Else = Rewrite(x.Else, fn)
		return fn(&c)
	case *Coalesce:
		c := *x
		c.Args = rewriteAll(x.Args, fn)
		return fn(&c)
	case *Try:
		return fn(&Try{Arg: Rewrite(x.Arg, fn)})
	case *Subquery:
		c := *x
		if x.Cmp != nil {
			c.Cmp = Rewrite(x.Cmp, fn)
		}
		return fn(&c)
	}
	return fn(e)
}

func rewriteAll(es []Expr, fn func(Expr) Expr) []Expr {
	out := make([]Expr, len(es))
	for i, a := range es {
		out[i] = Rewrite(a, fn)
	}
	return out
}

// ColumnsUsed returns the input column indexes e reads.
func ColumnsUsed(e Expr, into map[int]bool) {
	Walk(e, func(x Expr) bool {
		if c, ok := x.(*ColumnRef); ok {
			into[c.Index] = true
		}
		return true
	})
}

// Remap returns e with every column index i replaced by mapping[i].
func Remap(e Expr, mapping []int) Expr {
	return Rewrite(e, func(x Expr) Expr {
		if c, ok := x.(*ColumnRef); ok {
			n := *c
			n.Index = mapping[c.Index]
			return &n
		}
		return x
	})
}

// IsConstant reports whether e reads no column and calls nothing volatile.
func IsConstant(e Expr) bool {
	ok := true
	Walk(e, func(x Expr) bool {
		switch c := x.(type) {
		case *ColumnRef:
			ok = false
		case *Call:
			if c.Volatility == function.Volatile {
				ok = false
			}
		case *Subquery:
			// A correlated subquery varies with the row it is evaluated for.
			if c.Correlated() {
				ok = false
			}
		}
		return ok
	})
	return ok
}
