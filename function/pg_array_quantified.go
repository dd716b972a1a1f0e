package function

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// The array expressions the planner builds from syntax rather than from a function name:
// `x op ANY (array)`, `x op ALL (array)` and the `ARRAY[a, b, ...]` constructor. Catalog
// queries use them on every client (SQLAlchemy's `a.attnum = ANY(ix.indkey)`, DBeaver's
// `word <> ALL ('{...}'::text[])`, psycopg2's Python lists, which it sends as ARRAY[...]).

// Quantified returns the signature of `x op ANY (array)` (all false) or `x op ALL (array)`,
// given cmp, the operator bound to x's type and the array's element type elem. The result
// follows SQL's three-valued logic: ANY is true if some comparison is true, else NULL if
// some is NULL (a NULL x or element), else false; ALL is false if some comparison is false,
// else NULL if some is NULL, else true. An empty array gives false for ANY and true for ALL;
// a NULL array gives NULL.
func Quantified(cmp Sig, elem types.T, all bool) (Sig, error) {
	if len(cmp.Args) != 2 || cmp.Kernel == nil || cmp.Ret.Kind != types.Bool {
		return Sig{}, sqlerr.New(sqlerr.WrongObjectType, "op ANY/ALL (array) requires an operator that yields boolean")
	}
	var castElem Kernel
	if !elem.Equal(cmp.Args[1]) {
		k, err := Cast(elem, cmp.Args[1], false)
		if err != nil {
			return Sig{}, err
		}
		castElem = k
	}
	return Sig{Args: []types.T{cmp.Args[0], types.ArrayT(elem)}, Ret: types.BoolT,
		Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			l, ok := listOf(args[1])
			if !ok {
				return nil, sqlerr.New(sqlerr.InternalError, "ANY/ALL: not a list array")
			}
			// Pair every row's x with each of its elements, compare the pairs in one call of
			// the operator's kernel, then fold each row's results.
			var xIdx, vIdx []int64
			bounds := make([]int, n+1)
			for i := 0; i < n; i++ {
				bounds[i] = len(xIdx)
				if l.IsNull(i) {
					continue
				}
				start, end := l.ValueOffsets(i)
				for j := start; j < end; j++ {
					xIdx = append(xIdx, int64(i))
					vIdx = append(vIdx, j)
				}
			}
			bounds[n] = len(xIdx)
			var res *array.Boolean
			if len(xIdx) > 0 {
				xs, err := takeAt(ctx, args[0], xIdx)
				if err != nil {
					return nil, err
				}
				defer xs.Release()
				vs, err := takeAt(ctx, l.ListValues(), vIdx)
				if err != nil {
					return nil, err
				}
				defer vs.Release()
				if castElem != nil {
					c, err := castElem(ctx, []arrow.Array{vs}, vs.Len())
					if err != nil {
						return nil, err
					}
					defer c.Release()
					vs = c
				}
				out, err := cmp.Kernel(ctx, []arrow.Array{xs, vs}, len(xIdx))
				if err != nil {
					return nil, err
				}
				defer out.Release()
				if res, ok = out.(*array.Boolean); !ok {
					return nil, sqlerr.New(sqlerr.InternalError, "ANY/ALL: the operator did not return booleans")
				}
			}
			b := array.NewBooleanBuilder(ctx.mem())
			defer b.Release()
			b.Reserve(n)
			for i := 0; i < n; i++ {
				if l.IsNull(i) {
					b.AppendNull()
					continue
				}
				decided, sawNull := false, false
				for k := bounds[i]; k < bounds[i+1]; k++ {
					if res.IsNull(k) {
						sawNull = true
					} else if res.Value(k) != all {
						decided = true
						break
					}
				}
				switch {
				case decided:
					b.Append(!all)
				case sawNull:
					b.AppendNull()
				default:
					b.Append(all)
				}
			}
			return b.NewArray(), nil
		}}, nil
}

// takeAt gathers rows idx of a.
func takeAt(ctx *Context, a arrow.Array, idx []int64) (arrow.Array, error) {
	ib := array.NewInt64Builder(ctx.mem())
	defer ib.Release()
	ib.AppendValues(idx, nil)
	indices := ib.NewArray()
	defer indices.Release()
	return compute.TakeArray(compute.WithAllocator(context.Background(), ctx.mem()), a, indices)
}

// ArrayConstructor returns the signature of `ARRAY[e1, ..., en]` whose elements (already of
// one type, elem) become one array per row, NULL elements kept.
func ArrayConstructor(elem types.T, n int) Sig {
	ts := make([]types.T, n)
	for i := range ts {
		ts[i] = elem
	}
	arrT := types.ArrayT(elem)
	return Sig{Args: ts, Ret: arrT, Kernel: func(ctx *Context, args []arrow.Array, rows int) (arrow.Array, error) {
		var vals arrow.Array
		if len(args) == 0 {
			vals = array.MakeArrayOfNull(ctx.mem(), elem.Arrow(), 0)
		} else {
			// Element k of row i is row i of argument k: concatenate the arguments, then take
			// them row by row.
			cat, err := array.Concatenate(args, ctx.mem())
			if err != nil {
				return nil, err
			}
			defer cat.Release()
			idx := make([]int64, 0, rows*len(args))
			for i := 0; i < rows; i++ {
				for k := range args {
					idx = append(idx, int64(k*rows+i))
				}
			}
			if vals, err = takeAt(ctx, cat, idx); err != nil {
				return nil, err
			}
		}
		defer vals.Release()
		offsets := make([]int32, rows+1)
		for i := range offsets {
			offsets[i] = int32(i * len(args))
		}
		offBuf := memory.NewBufferBytes(arrow.Int32Traits.CastToBytes(offsets))
		data := array.NewData(arrT.Arrow(), rows, []*memory.Buffer{nil, offBuf}, []arrow.ArrayData{vals.Data()}, 0, 0)
		defer data.Release()
		return array.MakeFromData(data), nil
	}}
}
