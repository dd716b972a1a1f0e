package planner

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	pg "github.com/pganalyze/pg_query_go/v6"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Query parameters ($1, $2, ...) of statements prepared through the extended query protocol.
//
// A statement is bound in one of two modes:
//
//   - Describing (Params.Values nil), by DescribeQuery: the result columns and the parameter
//     types are wanted, there are no values. A parameter whose type is known binds as a typed
//     NULL literal, so every place that wants a constant (LIMIT, folding) works. One whose
//     type is not known yet binds as a *Param of type unknown, which the binder coerces
//     exactly as it coerces an untyped literal: `col = $1` becomes CAST($1 AS <col's type>),
//     `$1 + 1` CAST($1 AS integer), `$1` alone in the select list CAST($1 AS text). The type
//     of the first such cast is the parameter's, as PostgreSQL resolves an unknown Param at
//     its first coercion. A second bind with every type known then gives the columns.
//   - Executing (Values set): each parameter binds as a Literal holding its value, so the
//     plan is the one the query would get with the values written in. Re-binding for every
//     execution keeps plans immutable and costs little next to running the query.

// MaxParams is the number of parameters a statement may have: Bind counts them in an int16.
const MaxParams = 65535

// Params are a statement's parameters. A Params belongs to one statement; binding fills it.
type Params struct {
	// Types holds one type per parameter: declared by the client or inferred, UnknownT for
	// one not known yet. Binding grows it to the highest $n referenced.
	Types []types.T
	// Values are one execution's values: one-element arrays of Types[i] (a null entry for
	// NULL). Nil while describing.
	Values []arrow.Array

	referenced []bool
}

// NewParams returns the parameters of a statement to describe. declared are the types the
// client gave (UnknownT where it left the type to the server).
func NewParams(declared []types.T) *Params {
	p := &Params{Types: append([]types.T(nil), declared...)}
	p.referenced = make([]bool, len(p.Types))
	return p
}

// Param is a parameter whose type is not known yet, as the describing binder leaves it. It
// never reaches a plan that runs.
type Param struct {
	Index int // 0-based: $1 is 0
}

func (e *Param) Type() types.T  { return types.UnknownT }
func (e *Param) String() string { return "$" + strconv.Itoa(e.Index+1) }

// WithParams makes b bind $n references with p (nil: $n is an error, as in a simple query).
func (b *Binder) WithParams(p *Params) *Binder {
	b.params = p
	return b
}

func (p *Params) grow(n int) {
	for len(p.Types) < n {
		p.Types = append(p.Types, types.UnknownT)
	}
	for len(p.referenced) < len(p.Types) {
		p.referenced = append(p.referenced, false)
	}
}

// paramRef binds $n.
func (b *Binder) paramRef(pr *pg.ParamRef) (Expr, error) {
	p, n := b.params, int(pr.Number)
	if p == nil || n < 1 || n > MaxParams || (p.Values != nil && n > len(p.Values)) {
		return nil, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", n).WithPosition(b.pos(pr.Location))
	}
	i := n - 1
	p.grow(n)
	p.referenced[i] = true
	t := p.Types[i]
	if p.Values != nil {
		if t.Kind == types.Unknown {
			t = types.VarcharT
		}
		if p.Values[i] == nil || p.Values[i].Len() != 1 {
			return nil, sqlerr.New(sqlerr.InternalError, "parameter $%d has no value", n)
		}
		return literalFromArray(t, p.Values[i]), nil
	}
	if t.Kind != types.Unknown {
		return NewLiteral(t, nil), nil
	}
	return &Param{Index: i}, nil
}

// DescribeQuery binds a query without parameter values, to learn the types of its
// parameters (b's Params, which must be set, end up with every type known) and its result
// columns (those of the returned plan, which is for describing only, never for running).
//
// Types are found in three steps: positions that fix a parameter's type in the grammar
// ($1::int, LIMIT $1), then the coercions of a first bind (see the comment at the top of
// this file), then text for a parameter that nothing typed. A parameter neither referenced
// nor declared (only $2 used) has no type at all: 42P18, as in PostgreSQL.
func (b *Binder) DescribeQuery(stmt *pg.SelectStmt) (Node, error) {
	p := b.params
	if p == nil || p.Values != nil {
		return nil, sqlerr.New(sqlerr.InternalError, "DescribeQuery needs parameters without values")
	}
	if err := b.typeParamsBySyntax(stmt); err != nil {
		return nil, err
	}
	if p.hasUnknown() {
		n, err := b.fresh().BindQuery(stmt)
		if err != nil {
			return nil, err
		}
		p.inferFrom(n)
	}
	for i, t := range p.Types {
		if t.Kind != types.Unknown {
			continue
		}
		if !p.referenced[i] {
			return nil, sqlerr.New("42P18", "could not determine data type of parameter $%d", i+1)
		}
		// Nothing coerced it (`$1 IS NULL`): text, the type an unknown literal ends up with.
		p.Types[i] = types.VarcharT
	}
	return b.fresh().BindQuery(stmt)
}

// fresh returns a new binder like b, with b's parameters, for one more bind of a statement.
func (b *Binder) fresh() *Binder {
	return NewBinder(b.ctx, b.cat, b.funcs, b.defaultDB, b.sql, b.fctx).WithParams(b.params)
}

func (p *Params) hasUnknown() bool {
	for _, t := range p.Types {
		if t.Kind == types.Unknown {
			return true
		}
	}
	return false
}

// typeParamsBySyntax finds every parameter the statement references and types those whose
// type the grammar fixes: the argument of a cast (`$1::date`) and LIMIT / OFFSET (bigint). Those would otherwise not survive a first
// bind: LIMIT must fold to a constant, and a cast of an unknown value is taken as the value's
// type only through this step. A type the client declared is left alone.
func (b *Binder) typeParamsBySyntax(stmt *pg.SelectStmt) error {
	p := b.params
	var firstErr error
	set := func(pr *pg.ParamRef, t types.T) {
		n := int(pr.Number)
		if n < 1 || n > MaxParams {
			return // paramRef reports it with its position
		}
		p.grow(n)
		if p.Types[n-1].Kind == types.Unknown {
			p.Types[n-1] = t
		}
	}
	walkPG(stmt.ProtoReflect(), func(m protoreflect.Message) {
		switch x := m.Interface().(type) {
		case *pg.ParamRef:
			// Every $n counts, so that the first bind runs when one of them is untyped.
			if n := int(x.Number); n >= 1 && n <= MaxParams {
				p.grow(n)
				p.referenced[n-1] = true
			}
		case *pg.TypeCast:
			if pr := x.Arg.GetParamRef(); pr != nil && x.TypeName != nil {
				t, err := b.typeName(x.TypeName)
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					return
				}
				set(pr, t)
			}
		case *pg.SelectStmt:
			for _, lim := range []*pg.Node{x.LimitCount, x.LimitOffset} {
				if pr := lim.GetParamRef(); pr != nil {
					set(pr, types.Int64T)
				}
			}
		}
	})
	return firstErr
}

// walkPG calls fn on m and every message below it.
func walkPG(m protoreflect.Message, fn func(protoreflect.Message)) {
	fn(m)
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Message() != nil:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				walkPG(l.Get(i).Message(), fn)
			}
		case fd.Message() != nil && !fd.IsMap():
			walkPG(v.Message(), fn)
		}
		return true
	})
}

// visitOutsideSubqueries calls fn on every parse node of n outside subqueries, outermost
// first: the binder's questions "is there an aggregate / a window call / a set-returning
// call in this expression" stop at a SubLink, whose query has its own. fn returns whether to
// look inside the node, and stop to end the walk.
func visitOutsideSubqueries(n *pg.Node, fn func(node *pg.Node) (descend, stop bool)) {
	if n == nil {
		return
	}
	stopped := false
	var visit func(m protoreflect.Message)
	visit = func(m protoreflect.Message) {
		if node, ok := m.Interface().(*pg.Node); ok {
			descend, stop := fn(node)
			if stop {
				stopped = true
			}
			if !descend || stopped || node.GetSubLink() != nil {
				return
			}
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Message() != nil:
				l := v.List()
				for i := 0; i < l.Len() && !stopped; i++ {
					visit(l.Get(i).Message())
				}
			case fd.Message() != nil && !fd.IsMap():
				visit(v.Message())
			}
			return !stopped
		})
	}
	visit(n.ProtoReflect())
}

// inferFrom gives each parameter still unknown the type of the first cast a describing bind
// applied to it, searching the plan under n, subqueries included.
func (p *Params) inferFrom(n Node) {
	var visitExpr func(e Expr)
	var visitNode func(n Node)
	visitExpr = func(e Expr) {
		Walk(e, func(x Expr) bool {
			switch c := x.(type) {
			case *Cast:
				if prm, ok := c.Arg.(*Param); ok && p.Types[prm.Index].Kind == types.Unknown {
					p.Types[prm.Index] = c.T
				}
			case *Subquery:
				visitNode(c.Plan)
			}
			return true
		})
	}
	visitNode = func(n Node) {
		for _, e := range nodeExprs(n) {
			visitExpr(e)
		}
		for _, in := range n.Inputs() {
			visitNode(in)
		}
	}
	visitNode(n)
}
