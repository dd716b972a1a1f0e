package function

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// PostgreSQL's array functions the catalog queries use. Quarry's arrays are one-dimensional
// with lower bound 1, so array_lower is 1 and array_upper the length for dimension 1.

func addArrayFuncs(r *Registry) {
	r.add(fn("array_to_string", bindArrayToString, "the elements as text joined by a delimiter; NULL elements skipped unless null_string is given", "array_to_string(anyarray, delimiter text[, null_string text]) → text"))
	r.add(fn("array_upper", bindArrayDim(true), "upper bound of dimension 1 (the length); NULL for an empty array or another dimension", "array_upper(anyarray, integer) → integer"))
	r.add(fn("array_lower", bindArrayDim(false), "lower bound of dimension 1 (1); NULL for an empty array or another dimension", "array_lower(anyarray, integer) → integer"))
	r.add(fn("array_length", bindArrayDim(true), "length of dimension 1; NULL for an empty array", "array_length(anyarray, integer) → integer"))
	r.add(fn("cardinality", bindCardinality, "number of elements", "cardinality(anyarray) → integer"))
	r.add(fn("array_subscript", bindArraySubscript, "the element at a 1-based index, NULL outside the array (the planner's name for a[i])", "array_subscript(T[], integer) → T"))
}

// listOf returns the list view of an array argument.
func listOf(a arrow.Array) (array.ListLike, bool) {
	l, ok := a.(array.ListLike)
	return l, ok
}

func bindArrayToString(args []types.T) (Sig, bool) {
	if len(args) < 2 || len(args) > 3 || args[0].Kind != types.Array || !isStringy(args[1]) {
		return Sig{}, false
	}
	ts := []types.T{args[0], types.VarcharT}
	if len(args) == 3 {
		if !isStringy(args[2]) {
			return Sig{}, false
		}
		ts = append(ts, types.VarcharT)
	}
	elemT := *args[0].Elem
	return Sig{Args: ts, Ret: types.VarcharT, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		l, ok := listOf(args[0])
		if !ok {
			return nil, sqlerr.New(sqlerr.InternalError, "array_to_string: not a list array")
		}
		vals := l.ListValues()
		format := NewFormatter(vals, elemT, FormatOptions{})
		var buf []byte
		return rowText(ctx, n, func(i int) (string, bool, error) {
			sep, ok := argText(args[1], i)
			if !ok || l.IsNull(i) {
				return "", false, nil
			}
			nullStr, hasNull := "", false
			if len(args) == 3 {
				nullStr, hasNull = argText(args[2], i)
			}
			start, end := l.ValueOffsets(i)
			buf = buf[:0]
			first := true
			for j := start; j < end; j++ {
				if vals.IsNull(int(j)) && !hasNull {
					continue
				}
				if !first {
					buf = append(buf, sep...)
				}
				first = false
				if vals.IsNull(int(j)) {
					buf = append(buf, nullStr...)
				} else {
					buf = format(buf, int(j))
				}
			}
			return string(buf), true, nil
		})
	}}, true
}

func bindArrayDim(upper bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 2 || args[0].Kind != types.Array || !(args[1].IsInteger() || args[1].Kind == types.Unknown) {
			return Sig{}, false
		}
		return Sig{Args: []types.T{args[0], types.Int32T}, Ret: types.Int32T, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			l, ok := listOf(args[0])
			if !ok {
				return nil, sqlerr.New(sqlerr.InternalError, "array bounds: not a list array")
			}
			return rowInt32(ctx, n, func(i int) (int32, bool, error) {
				dim, ok := argInt(args[1], i)
				if !ok || l.IsNull(i) || dim != 1 {
					return 0, false, nil
				}
				start, end := l.ValueOffsets(i)
				if end == start {
					return 0, false, nil
				}
				if !upper {
					return 1, true, nil
				}
				return int32(end - start), true, nil
			})
		}}, true
	}
}

func bindCardinality(args []types.T) (Sig, bool) {
	if len(args) != 1 || args[0].Kind != types.Array {
		return Sig{}, false
	}
	return Sig{Args: args, Ret: types.Int32T, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		l, ok := listOf(args[0])
		if !ok {
			return nil, sqlerr.New(sqlerr.InternalError, "cardinality: not a list array")
		}
		return rowInt32(ctx, n, func(i int) (int32, bool, error) {
			if l.IsNull(i) {
				return 0, false, nil
			}
			start, end := l.ValueOffsets(i)
			return int32(end - start), true, nil
		})
	}}, true
}

func bindArraySubscript(args []types.T) (Sig, bool) {
	if len(args) != 2 || args[0].Kind != types.Array || !(args[1].IsInteger() || args[1].Kind == types.Unknown) {
		return Sig{}, false
	}
	elemT := *args[0].Elem
	return Sig{Args: []types.T{args[0], types.Int64T}, Ret: elemT, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		l, ok := listOf(args[0])
		if !ok {
			return nil, sqlerr.New(sqlerr.InternalError, "subscript: not a list array")
		}
		// Gather the chosen element of each row with Take; -1 (NULL index) marks no element.
		b := array.NewInt64Builder(ctx.mem())
		defer b.Release()
		for i := 0; i < n; i++ {
			idx, ok := argInt(args[1], i)
			if !ok || l.IsNull(i) {
				b.AppendNull()
				continue
			}
			start, end := l.ValueOffsets(i)
			if idx < 1 || start+idx-1 >= end {
				b.AppendNull()
				continue
			}
			b.Append(start + idx - 1)
		}
		indices := b.NewArray()
		defer indices.Release()
		return compute.TakeArray(compute.WithAllocator(context.Background(), ctx.mem()), l.ListValues(), indices)
	}}, true
}

// bindArrayCompare binds = and <> between two arrays of one type (an untyped literal takes
// the other side's type): equal when their PostgreSQL text forms are, which for arrays of
// one element type is element-wise equality. Catalog queries compare oid[] and "char"[]
// columns with literals ('{0}'); ordering of arrays is not supported.
func bindArrayCompare(op cmpOp, args []types.T) (Sig, bool) {
	if len(args) != 2 || (op != cmpEq && op != cmpNe) {
		return Sig{}, false
	}
	a, b := args[0], args[1]
	if a.Kind == types.Unknown {
		a = b
	}
	if b.Kind == types.Unknown {
		b = a
	}
	if a.Kind != types.Array || !a.Equal(b) {
		return Sig{}, false
	}
	return Sig{Args: []types.T{a, b}, Ret: types.BoolT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		fa := NewFormatter(args[0], a, FormatOptions{})
		fb := NewFormatter(args[1], b, FormatOptions{})
		var ba, bb []byte
		return rowBool(ctx, n, func(i int) (bool, bool, error) {
			if args[0].IsNull(i) || args[1].IsNull(i) {
				return false, false, nil
			}
			ba, bb = fa(ba[:0], i), fb(bb[:0], i)
			return (string(ba) == string(bb)) == (op == cmpEq), true, nil
		})
	}}, true
}
