package exec

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
	"github.com/quarrydb/quarry/types"
)

// evaluator computes one expression over a batch, returning an array of the batch's length
// that the caller releases. Evaluators hold per-worker caches and are not shared between
// goroutines.
type evaluator interface {
	eval(rec arrow.Record) (arrow.Array, error)
}

// compile turns a bound expression into an evaluator.
func compile(e planner.Expr, fctx *function.Context) (evaluator, error) {
	switch x := e.(type) {
	case *planner.ColumnRef:
		return colEval{idx: x.Index}, nil
	case *planner.Literal:
		return &litEval{lit: x, alloc: fctx.Alloc}, nil
	case *planner.Call:
		args, err := compileAll(x.Args, fctx)
		if err != nil {
			return nil, err
		}
		return &callEval{kernel: x.Sig.Kernel, args: args, fctx: fctx}, nil
	case *planner.Cast:
		arg, err := compile(x.Arg, fctx)
		if err != nil {
			return nil, err
		}
		return &callEval{kernel: x.Kernel, args: []evaluator{arg}, fctx: fctx}, nil
	case *planner.BoolOp:
		args, err := compileAll(x.Args, fctx)
		if err != nil {
			return nil, err
		}
		return &boolOpEval{and: x.And, args: args, alloc: fctx.Alloc}, nil
	case *planner.Not:
		arg, err := compile(x.Arg, fctx)
		if err != nil {
			return nil, err
		}
		return &notEval{arg: arg, alloc: fctx.Alloc}, nil
	case *planner.IsNullTest:
		arg, err := compile(x.Arg, fctx)
		if err != nil {
			return nil, err
		}
		return &isNullEval{arg: arg, negate: x.Negate, alloc: fctx.Alloc}, nil
	case *planner.BoolTest:
		arg, err := compile(x.Arg, fctx)
		if err != nil {
			return nil, err
		}
		return &boolTestEval{arg: arg, want: x.Want, negate: x.Negate, alloc: fctx.Alloc}, nil
	case *planner.Case:
		return compileCase(x, fctx) // expr_case.go: lazy unless no part can fail
	case *planner.Coalesce:
		return compileCoalesce(x, fctx) // expr_case.go
	case *planner.Try:
		arg, err := compile(x.Arg, fctx)
		if err != nil {
			return nil, err
		}
		return &tryEval{arg: arg, dt: x.Type().Arrow(), alloc: fctx.Alloc}, nil // expr_try.go
	}
	return nil, fmt.Errorf("exec: cannot evaluate %T", e)
}

func compileAll(es []planner.Expr, fctx *function.Context) ([]evaluator, error) {
	out := make([]evaluator, len(es))
	for i, e := range es {
		ev, err := compile(e, fctx)
		if err != nil {
			return nil, err
		}
		out[i] = ev
	}
	return out, nil
}

type colEval struct{ idx int }

func (c colEval) eval(rec arrow.Record) (arrow.Array, error) {
	col := rec.Column(c.idx)
	col.Retain()
	return col, nil
}

// litEval broadcasts a literal to the batch length, caching the longest broadcast so far; a
// shorter batch (a lazy CASE branch's rows, a last batch) gets a slice of it.
type litEval struct {
	lit    *planner.Literal
	alloc  memory.Allocator
	cached arrow.Array
}

func (l *litEval) eval(rec arrow.Record) (arrow.Array, error) {
	n := int(rec.NumRows())
	if l.cached == nil || l.cached.Len() < n {
		if l.cached != nil {
			l.cached.Release()
		}
		c, err := broadcast(l.lit.Value, n, l.alloc)
		if err != nil {
			return nil, err
		}
		l.cached = c
	}
	if l.cached.Len() > n {
		return array.NewSlice(l.cached, 0, int64(n)), nil
	}
	l.cached.Retain()
	return l.cached, nil
}

// broadcast repeats element 0 of a n times.
func broadcast(a arrow.Array, n int, alloc memory.Allocator) (arrow.Array, error) {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if a.IsNull(0) {
		return array.MakeArrayOfNull(alloc, a.DataType(), n), nil
	}
	idx := make([]int, n)
	return takeRows(alloc, a, idx)
}

type callEval struct {
	kernel function.Kernel
	args   []evaluator
	fctx   *function.Context
	buf    []arrow.Array
}

func (c *callEval) eval(rec arrow.Record) (arrow.Array, error) {
	c.buf = c.buf[:0]
	defer func() {
		for _, a := range c.buf {
			a.Release()
		}
	}()
	for _, a := range c.args {
		v, err := a.eval(rec)
		if err != nil {
			return nil, err
		}
		c.buf = append(c.buf, v)
	}
	return c.kernel(c.fctx, c.buf, int(rec.NumRows()))
}

// boolOpEval is AND/OR with three-valued logic: for AND, false wins over NULL; for OR, true
// wins over NULL.
type boolOpEval struct {
	and   bool
	args  []evaluator
	alloc memory.Allocator
}

func (b *boolOpEval) eval(rec arrow.Record) (arrow.Array, error) {
	n := int(rec.NumRows())
	// value and known bitmaps, as bools for clarity; vectorized per argument.
	val := make([]bool, n)
	null := make([]bool, n)
	for i := range val {
		val[i] = b.and
	}
	for _, a := range b.args {
		arr, err := a.eval(rec)
		if err != nil {
			return nil, err
		}
		ba := arr.(*array.Boolean)
		for i := 0; i < n; i++ {
			if ba.IsNull(i) {
				null[i] = true
				continue
			}
			v := ba.Value(i)
			if b.and && !v {
				val[i] = false
			} else if !b.and && v {
				val[i] = true
			}
		}
		arr.Release()
	}
	bld := array.NewBooleanBuilder(b.alloc)
	defer bld.Release()
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		// The dominant value decides even when another argument is NULL.
		if null[i] && val[i] == b.and {
			bld.UnsafeAppendBoolToBitmap(false)
			continue
		}
		bld.UnsafeAppend(val[i])
	}
	return bld.NewArray(), nil
}

type notEval struct {
	arg   evaluator
	alloc memory.Allocator
}

func (e *notEval) eval(rec arrow.Record) (arrow.Array, error) {
	arr, err := e.arg.eval(rec)
	if err != nil {
		return nil, err
	}
	defer arr.Release()
	ba := arr.(*array.Boolean)
	n := ba.Len()
	bld := array.NewBooleanBuilder(e.alloc)
	defer bld.Release()
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		if ba.IsNull(i) {
			bld.UnsafeAppendBoolToBitmap(false)
		} else {
			bld.UnsafeAppend(!ba.Value(i))
		}
	}
	return bld.NewArray(), nil
}

type isNullEval struct {
	arg    evaluator
	negate bool
	alloc  memory.Allocator
}

func (e *isNullEval) eval(rec arrow.Record) (arrow.Array, error) {
	arr, err := e.arg.eval(rec)
	if err != nil {
		return nil, err
	}
	defer arr.Release()
	n := arr.Len()
	bld := array.NewBooleanBuilder(e.alloc)
	defer bld.Release()
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		bld.UnsafeAppend(arr.IsNull(i) != e.negate)
	}
	return bld.NewArray(), nil
}

type boolTestEval struct {
	arg    evaluator
	want   int8
	negate bool
	alloc  memory.Allocator
}

func (e *boolTestEval) eval(rec arrow.Record) (arrow.Array, error) {
	arr, err := e.arg.eval(rec)
	if err != nil {
		return nil, err
	}
	defer arr.Release()
	ba := arr.(*array.Boolean)
	n := ba.Len()
	bld := array.NewBooleanBuilder(e.alloc)
	defer bld.Release()
	bld.Reserve(n)
	for i := 0; i < n; i++ {
		var is bool
		switch {
		case ba.IsNull(i):
			is = e.want == -1
		case ba.Value(i):
			is = e.want == 1
		default:
			is = e.want == 0
		}
		bld.UnsafeAppend(is != e.negate)
	}
	return bld.NewArray(), nil
}

// caseEval evaluates every arm over the whole batch and picks per row; arms are cheap
// relative to a scan, and this keeps each arm's kernel vectorized. It is used only when no
// arm can fail (compileCase in expr_case.go); otherwise lazyCaseEval runs each arm on its
// rows alone.
type caseEval struct {
	t       types.T
	conds   []evaluator
	results []evaluator
	els     evaluator
	alloc   memory.Allocator
}

func (c *caseEval) eval(rec arrow.Record) (arrow.Array, error) {
	n := int(rec.NumRows())
	pick := make([]int, n) // arm index per row; len(conds) = ELSE
	decided := make([]bool, n)
	for i := range pick {
		pick[i] = len(c.conds)
	}
	for a, cond := range c.conds {
		arr, err := cond.eval(rec)
		if err != nil {
			return nil, err
		}
		ba := arr.(*array.Boolean)
		for i := 0; i < n; i++ {
			if !decided[i] && ba.IsValid(i) && ba.Value(i) {
				pick[i] = a
				decided[i] = true
			}
		}
		arr.Release()
	}
	arms := make([]arrow.Array, len(c.conds)+1)
	defer func() {
		for _, a := range arms {
			if a != nil {
				a.Release()
			}
		}
	}()
	for a := range arms {
		ev := c.els
		if a < len(c.conds) {
			ev = c.results[a]
		}
		arr, err := ev.eval(rec)
		if err != nil {
			return nil, err
		}
		arms[a] = arr
	}
	return gatherAligned(c.alloc, arms, pick) // expr_case.go
}

type coalesceEval struct {
	t     types.T
	args  []evaluator
	alloc memory.Allocator
}

func (c *coalesceEval) eval(rec arrow.Record) (arrow.Array, error) {
	n := int(rec.NumRows())
	arms := make([]arrow.Array, 0, len(c.args))
	defer func() {
		for _, a := range arms {
			a.Release()
		}
	}()
	pick := make([]int, n)
	for i := range pick {
		pick[i] = -1
	}
	for a, ev := range c.args {
		arr, err := ev.eval(rec)
		if err != nil {
			return nil, err
		}
		arms = append(arms, arr)
		for i := 0; i < n; i++ {
			if pick[i] < 0 && arr.IsValid(i) {
				pick[i] = a
			}
		}
	}
	for i := range pick {
		if pick[i] < 0 {
			pick[i] = len(arms) - 1 // all NULL: any NULL will do
		}
	}
	return gatherAligned(c.alloc, arms, pick) // expr_case.go
}

var _ = bitutil.BitIsSet
