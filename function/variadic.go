package function

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

// Variadic and NULL-tolerant functions: concat, concat_ws, the || operator, greatest and
// least. concat, concat_ws, greatest and least are not strict: they skip NULL arguments
// (PostgreSQL's rules), so their kernels look at each argument's validity.

// bindConcat resolves concat(any, ...): every argument is converted to text.
func bindConcat(args []types.T) (Sig, bool) {
	if len(args) == 0 {
		return Sig{}, false
	}
	ts := make([]types.T, len(args))
	for i, a := range args {
		if !CanCast(a, types.VarcharT) {
			return Sig{}, false
		}
		ts[i] = types.VarcharT
	}
	return Sig{Args: ts, Ret: types.VarcharT, Kernel: concatKernel(false)}, true
}

// bindConcatWS resolves concat_ws(sep, any, ...).
func bindConcatWS(args []types.T) (Sig, bool) {
	if len(args) < 2 || !isStringy(args[0]) {
		return Sig{}, false
	}
	sig, ok := bindConcat(args)
	if !ok {
		return Sig{}, false
	}
	sig.Kernel = concatKernel(true)
	return sig, true
}

func concatKernel(ws bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		views := make([]byteView, len(args))
		hint := 0
		for j, a := range args {
			views[j] = viewBytes(a)
			hint += len(views[j].data)
		}
		var validity *memory.Buffer
		nulls := 0
		if ws {
			// Only a NULL separator makes the result NULL.
			validity, nulls = andValidity(mem, args[:1], n)
		}
		out := newBytesOut(mem, n, hint)
		for i := 0; i < n; i++ {
			if !validAt(validity, i) {
				out.appendEmpty()
				continue
			}
			dst := out.tail(0)
			first := true
			for j, a := range args {
				if ws && j == 0 {
					continue
				}
				if a.IsNull(i) {
					continue
				}
				if ws && !first {
					dst = append(dst, views[0].at(i)...)
				}
				dst = append(dst, views[j].at(i)...)
				first = false
			}
			out.commit(dst)
		}
		return out.finish(arrow.BinaryTypes.String, validity, nulls), nil
	}
}

// bindConcatOp resolves ||: text || text, and text with any other (non-array) type cast to
// text, as PostgreSQL's anynonarray || text; bytea || bytea is bytea. NULL in, NULL out.
func bindConcatOp(args []types.T) (Sig, bool) {
	if len(args) != 2 {
		return Sig{}, false
	}
	a, b := args[0], args[1]
	if a.Kind == types.Bytea && b.Kind == types.Bytea {
		return Sig{Args: args, Ret: types.ByteaT, Kernel: concatOpKernel(arrow.BinaryTypes.Binary), Strict: true}, true
	}
	if !(isStringy(a) || isStringy(b)) || a.Kind == types.Array || b.Kind == types.Array {
		return Sig{}, false
	}
	if !CanCast(a, types.VarcharT) || !CanCast(b, types.VarcharT) {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.VarcharT, types.VarcharT}, Ret: types.VarcharT,
		Kernel: concatOpKernel(arrow.BinaryTypes.String), Strict: true}, true
}

func concatOpKernel(dt arrow.DataType) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		a, b := viewBytes(args[0]), viewBytes(args[1])
		out := newBytesOut(mem, n, len(a.data)+len(b.data))
		for i := 0; i < n; i++ {
			if !validAt(validity, i) {
				out.appendEmpty()
				continue
			}
			x, y := a.at(i), b.at(i)
			dst := out.tail(len(x) + len(y))
			dst = append(dst, x...)
			out.commit(append(dst, y...))
		}
		return out.finish(dt, validity, nulls), nil
	}
}

// bindGreatest resolves greatest (max) and least over arguments of a common type.
func bindGreatest(greatest bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) == 0 {
			return Sig{}, false
		}
		t, ok := CommonTypeOf(args...)
		if !ok {
			return Sig{}, false
		}
		if t.Kind == types.Decimal {
			t = asDecimal(t)
		}
		ts := make([]types.T, len(args))
		for i := range ts {
			ts[i] = t
		}
		k := greatestKernel(t, greatest)
		if k == nil {
			return Sig{}, false
		}
		return Sig{Args: ts, Ret: t, Kernel: k}, true
	}
}

func greatestKernel(t types.T, greatest bool) Kernel {
	switch t.Kind {
	case types.Int16:
		return pickFixed(t, greatest, lessOrdered[int16])
	case types.Int32, types.Date:
		return pickFixed(t, greatest, lessOrdered[int32])
	case types.Int64, types.Time, types.Timestamp, types.TimestampTZ:
		return pickFixed(t, greatest, lessOrdered[int64])
	case types.Float32:
		return pickFixed(t, greatest, lessFloat[float32])
	case types.Float64:
		return pickFixed(t, greatest, lessFloat[float64])
	case types.Decimal:
		return pickFixed(t, greatest, lessDecimal)
	case types.Interval:
		return pickFixed(t, greatest, lessInterval)
	case types.Varchar, types.Bytea:
		return pickBytes(t, greatest)
	case types.Bool:
		return pickBool(greatest)
	}
	return nil
}

// pickFixed returns, per row, the greatest (or least) non-NULL argument.
func pickFixed[T arrow.FixedWidthType](t types.T, greatest bool, less func(a, b T) bool) Kernel {
	dt := t.Arrow()
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		cols := make([][]T, len(args))
		for j, a := range args {
			cols[j] = fixedValues[T](a)
		}
		data, out := newFixed[T](mem, n)
		validity := newBitmap(mem, n)
		nulls := 0
		for i := 0; i < n; i++ {
			found := false
			var best T
			for j, a := range args {
				if a.IsNull(i) {
					continue
				}
				v := cols[j][i]
				if !found || (greatest && less(best, v)) || (!greatest && less(v, best)) {
					best, found = v, true
				}
			}
			out[i] = best
			if found {
				bitutil.SetBit(validity.Bytes(), i)
			} else {
				nulls++
			}
		}
		return makeArray(dt, n, validity, data, nulls), nil
	}
}

func pickBytes(t types.T, greatest bool) Kernel {
	dt := t.Arrow()
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		views := make([]byteView, len(args))
		for j, a := range args {
			views[j] = viewBytes(a)
		}
		validity := newBitmap(mem, n)
		nulls := 0
		out := newBytesOut(mem, n, len(views[0].data))
		for i := 0; i < n; i++ {
			var best string
			found := false
			for j, a := range args {
				if a.IsNull(i) {
					continue
				}
				v := bstr(views[j].at(i))
				if !found || (greatest && v > best) || (!greatest && v < best) {
					best, found = v, true
				}
			}
			out.appendString(best)
			if found {
				bitutil.SetBit(validity.Bytes(), i)
			} else {
				nulls++
			}
		}
		return out.finish(dt, validity, nulls), nil
	}
}

func pickBool(greatest bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity := newBitmap(mem, n)
		res := newBitmap(mem, n)
		nulls := 0
		for i := 0; i < n; i++ {
			found, best := false, false
			for _, a := range args {
				if a.IsNull(i) {
					continue
				}
				bm, off := boolBits(a)
				v := bitutil.BitIsSet(bm, off+i)
				if !found {
					best, found = v, true
				} else if greatest {
					best = best || v
				} else {
					best = best && v
				}
			}
			if found {
				bitutil.SetBit(validity.Bytes(), i)
				if best {
					bitutil.SetBit(res.Bytes(), i)
				}
			} else {
				nulls++
			}
		}
		return makeArray(arrow.FixedWidthTypes.Boolean, n, validity, res, nulls), nil
	}
}
