package function

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// The integer bitwise operators & (and), | (or) and # (xor). pgJDBC's getIndexInfo tests an
// index column's sort direction with indoption[k] & 1::smallint; they are PostgreSQL's
// int2/int4/int8 operators, on two arguments of one integer type after promotion.

func addBitwiseOps(r *Registry) {
	r.add(op("&", bindBitwise(bitAnd), "bitwise AND", "integer & integer"))
	r.add(op("|", bindBitwise(bitOr), "bitwise OR", "integer | integer"))
	r.add(op("#", bindBitwise(bitXor), "bitwise exclusive OR", "integer # integer"))
}

type bitOp uint8

const (
	bitAnd bitOp = iota
	bitOr
	bitXor
)

func bindBitwise(op bitOp) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 2 {
			return Sig{}, false
		}
		a, b := args[0], args[1]
		switch {
		case a.Kind == types.Unknown && b.Kind == types.Unknown:
			a, b = types.Int32T, types.Int32T
		case a.Kind == types.Unknown:
			a = b
		case b.Kind == types.Unknown:
			b = a
		}
		t, ok := promoteNumeric(a, b)
		if !ok {
			return Sig{}, false
		}
		switch t.Kind {
		case types.Int16:
			return bitSig[int16](op, t), true
		case types.Int32:
			return bitSig[int32](op, t), true
		case types.Int64:
			return bitSig[int64](op, t), true
		}
		return Sig{}, false
	}
}

func bitSig[T intT](op bitOp, t types.T) Sig {
	loop := func(a, b, out []T) bool {
		b, out = b[:len(a)], out[:len(a)]
		switch op {
		case bitAnd:
			for i := range a {
				out[i] = a[i] & b[i]
			}
		case bitOr:
			for i := range a {
				out[i] = a[i] | b[i]
			}
		default:
			for i := range a {
				out[i] = a[i] ^ b[i]
			}
		}
		return false // never overflows
	}
	never := func(a, b T) error { return nil }
	dt := t.Arrow()
	return Sig{Args: []types.T{t, t}, Ret: t, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return binaryFixed(ctx, args, n, dt, loop, never)
	}}
}
