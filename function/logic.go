package function

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/quarrydb/quarry/types"
)

// Boolean connectives with SQL's three-valued logic, for callers that evaluate them as
// functions (exec may short-circuit AND/OR itself): and(a, b, ...) is false if any argument
// is false, else NULL if any is NULL, else true; or is the dual; not is strict.

func bindLogic(and bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) < 2 {
			return Sig{}, false
		}
		ts := make([]types.T, len(args))
		for i, a := range args {
			if a.Kind != types.Bool && a.Kind != types.Unknown {
				return Sig{}, false
			}
			ts[i] = types.BoolT
		}
		return Sig{Args: ts, Ret: types.BoolT, Kernel: logicKernel(and)}, true
	}
}

func logicKernel(and bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity := newBitmap(mem, n)
		res := newBitmap(mem, n)
		vb, rb := validity.Bytes(), res.Bytes()
		nulls := 0
		for i := 0; i < n; i++ {
			// decided: some argument is false (and) or true (or).
			decided, unknown := false, false
			for _, a := range args {
				if a.IsNull(i) {
					unknown = true
					continue
				}
				bm, off := boolBits(a)
				if bitutil.BitIsSet(bm, off+i) != and {
					decided = true
					break
				}
			}
			switch {
			case decided:
				bitutil.SetBit(vb, i)
				if !and {
					bitutil.SetBit(rb, i)
				}
			case unknown:
				nulls++
			default:
				bitutil.SetBit(vb, i)
				if and {
					bitutil.SetBit(rb, i)
				}
			}
		}
		if nulls == 0 {
			validity.Release()
			validity = nil
		}
		return makeArray(arrow.FixedWidthTypes.Boolean, n, validity, res, nulls), nil
	}
}

func bindNot(args []types.T) (Sig, bool) {
	if len(args) != 1 || (args[0].Kind != types.Bool && args[0].Kind != types.Unknown) {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.BoolT}, Ret: types.BoolT, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		bm, off := boolBits(args[0])
		return boolRows(ctx, args, n, func(i int) bool { return !bitutil.BitIsSet(bm, off+i) })
	}, Strict: true}, true
}
