package function

import (
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/quarrydb/quarry/types"
)

// Numeric casts. The integer and float conversions run a tight loop that converts every row
// and only flags trouble; a second pass over the rows runs only when something was out of
// range, to find the first valid offender (rows under NULL never fail).

type intT interface{ ~int16 | ~int32 | ~int64 }
type floatT interface{ ~float32 | ~float64 }

func castNumeric(from, to types.T, try bool) Kernel {
	switch {
	case from.IsInteger() && to.IsInteger():
		return intIntCast(from, to, try)
	case from.IsInteger() && to.IsFloat():
		return intFloatCast(from, to)
	case from.IsFloat() && to.IsInteger():
		return floatIntCast(from, to, try)
	case from.IsFloat() && to.IsFloat():
		return floatFloatCast(from, to, try)
	case from.IsInteger() && to.Kind == types.Decimal:
		return intDecimalCast(from, to, try)
	case from.IsFloat() && to.Kind == types.Decimal:
		return floatDecimalCast(from, to, try)
	case from.Kind == types.Decimal && to.Kind == types.Decimal:
		return decimalDecimalCast(from, to, try)
	case from.Kind == types.Decimal && to.IsInteger():
		return decimalIntCast(from, to, try)
	case from.Kind == types.Decimal && to.IsFloat():
		return decimalFloatCast(from, to)
	}
	return nil
}

// dispatchInt calls f with the source integer kind's instantiation.
func intIntCast(from, to types.T, try bool) Kernel {
	var pick func(ctx *Context, a arrow.Array, n int) (arrow.Array, error)
	switch from.Kind {
	case types.Int16:
		pick = intToIntFrom[int16](to, try)
	case types.Int32:
		pick = intToIntFrom[int32](to, try)
	default:
		pick = intToIntFrom[int64](to, try)
	}
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) { return pick(ctx, args[0], n) }
}

func intToIntFrom[S intT](to types.T, try bool) func(*Context, arrow.Array, int) (arrow.Array, error) {
	switch to.Kind {
	case types.Int16:
		return func(ctx *Context, a arrow.Array, n int) (arrow.Array, error) {
			return castIntInt[S, int16](ctx, a, n, to, try)
		}
	case types.Int32:
		return func(ctx *Context, a arrow.Array, n int) (arrow.Array, error) {
			return castIntInt[S, int32](ctx, a, n, to, try)
		}
	}
	return func(ctx *Context, a arrow.Array, n int) (arrow.Array, error) {
		return castIntInt[S, int64](ctx, a, n, to, try)
	}
}

func castIntInt[S, D intT](ctx *Context, src arrow.Array, n int, to types.T, try bool) (arrow.Array, error) {
	lo, hi := intRange(to.Kind)
	vals := fixedValues[S](src)[:n]
	mem := ctx.mem()
	v := newRowValidity(mem, src, n, try)
	data, out := newFixed[D](mem, n)
	out = out[:len(vals)]
	bad := false
	for i, x := range vals {
		out[i] = D(x)
		bad = bad || int64(x) < lo || int64(x) > hi
	}
	if bad {
		for i, x := range vals {
			if (int64(x) < lo || int64(x) > hi) && v.valid(i) {
				out[i] = 0
				if err := v.fail(i, errOutOfRange(to.Kind)); err != nil {
					v.release()
					data.Release()
					return nil, err
				}
			}
		}
	}
	return makeArray(to.Arrow(), n, v.buf, data, v.nulls), nil
}

func intFloatCast(from, to types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		switch from.Kind {
		case types.Int16:
			return castToFloat[int16](ctx, args[0], n, to)
		case types.Int32:
			return castToFloat[int32](ctx, args[0], n, to)
		}
		return castToFloat[int64](ctx, args[0], n, to)
	}
}

func castToFloat[S intT | floatT](ctx *Context, src arrow.Array, n int, to types.T) (arrow.Array, error) {
	mem := ctx.mem()
	validity, nulls := andValidity(mem, []arrow.Array{src}, n)
	vals := fixedValues[S](src)[:n]
	if to.Kind == types.Float32 {
		data, out := newFixed[float32](mem, n)
		for i, x := range vals {
			out[i] = float32(x)
		}
		return makeArray(to.Arrow(), n, validity, data, nulls), nil
	}
	data, out := newFixed[float64](mem, n)
	for i, x := range vals {
		out[i] = float64(x)
	}
	return makeArray(to.Arrow(), n, validity, data, nulls), nil
}

func floatIntCast(from, to types.T, try bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		if from.Kind == types.Float32 {
			switch to.Kind {
			case types.Int16:
				return castFloatInt[float32, int16](ctx, args[0], n, to, try)
			case types.Int32:
				return castFloatInt[float32, int32](ctx, args[0], n, to, try)
			}
			return castFloatInt[float32, int64](ctx, args[0], n, to, try)
		}
		switch to.Kind {
		case types.Int16:
			return castFloatInt[float64, int16](ctx, args[0], n, to, try)
		case types.Int32:
			return castFloatInt[float64, int32](ctx, args[0], n, to, try)
		}
		return castFloatInt[float64, int64](ctx, args[0], n, to, try)
	}
}

// castFloatInt rounds half to even (PostgreSQL's rint) and range-checks; NaN and the
// infinities are out of range.
func castFloatInt[S floatT, D intT](ctx *Context, src arrow.Array, n int, to types.T, try bool) (arrow.Array, error) {
	lo, hi := intRange(to.Kind)
	flo, fhi := float64(lo), float64(hi)+1 // hi+1 is exact for every width (2^15, 2^31, 2^63)
	vals := fixedValues[S](src)[:n]
	mem := ctx.mem()
	v := newRowValidity(mem, src, n, try)
	data, out := newFixed[D](mem, n)
	out = out[:len(vals)]
	bad := false
	for i, x := range vals {
		r := math.RoundToEven(float64(x))
		ok := r >= flo && r < fhi
		bad = bad || !ok
		if ok {
			out[i] = D(r)
		} else {
			out[i] = 0
		}
	}
	if bad {
		for i, x := range vals {
			r := math.RoundToEven(float64(x))
			if !(r >= flo && r < fhi) && v.valid(i) {
				if err := v.fail(i, errOutOfRange(to.Kind)); err != nil {
					v.release()
					data.Release()
					return nil, err
				}
			}
		}
	}
	return makeArray(to.Arrow(), n, v.buf, data, v.nulls), nil
}

func floatFloatCast(from, to types.T, try bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		if from.Kind == types.Float32 {
			return castToFloat[float32](ctx, args[0], n, to)
		}
		vals := fixedValues[float64](args[0])
		return castRows(ctx, args[0], n, to.Arrow(), try, func(i int) (float32, error) {
			x := vals[i]
			r := float32(x)
			if math.IsInf(float64(r), 0) && !math.IsInf(x, 0) {
				return 0, errOutOfRange(types.Float32)
			}
			if r == 0 && x != 0 {
				return 0, errFloatUnderflow()
			}
			return r, nil
		})
	}
}

func intDecimalCast(from, to types.T, try bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		var get func(i int) int64
		switch from.Kind {
		case types.Int16:
			v := fixedValues[int16](args[0])
			get = func(i int) int64 { return int64(v[i]) }
		case types.Int32:
			v := fixedValues[int32](args[0])
			get = func(i int) int64 { return int64(v[i]) }
		default:
			v := fixedValues[int64](args[0])
			get = func(i int) int64 { return v[i] }
		}
		return castRows(ctx, args[0], n, to.Arrow(), try, func(i int) (decimal128.Num, error) {
			r, ovf := scaleUp(fromI64(get(i)), to.Scale)
			if ovf || !fitsPrecision(r, to.Precision) {
				return num{}, errNumericOverflow(to)
			}
			return r, nil
		})
	}
}

// floatDecimalCast converts through the float's text with PostgreSQL's digits (15
// significant for double, 6 for real, as float8_numeric and float4_numeric do), so
// 0.1::float8::numeric is exactly 0.1.
func floatDecimalCast(from, to types.T, try bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		var get func(i int) float64
		digits, bits := 14, 64
		if from.Kind == types.Float32 {
			v := fixedValues[float32](args[0])
			get = func(i int) float64 { return float64(v[i]) }
			digits, bits = 5, 32
		} else {
			v := fixedValues[float64](args[0])
			get = func(i int) float64 { return v[i] }
		}
		var tmp [40]byte
		return castRows(ctx, args[0], n, to.Arrow(), try, func(i int) (decimal128.Num, error) {
			return floatToDecimal(get(i), to, tmp[:0], digits, bits)
		})
	}
}

func floatToDecimal(x float64, to types.T, tmp []byte, digits, bits int) (num, error) {
	if math.IsNaN(x) {
		return num{}, newErr22003("cannot convert NaN to numeric")
	}
	if math.IsInf(x, 0) {
		return num{}, newErr22003("cannot convert infinity to numeric")
	}
	txt := strconv.AppendFloat(tmp, x, 'e', digits, bits)
	d, ok := scanDecimal(string(txt))
	if !ok {
		return num{}, errNumericOverflow(to)
	}
	r, ok := d.toScale(to.Scale)
	if !ok || !fitsPrecision(r, to.Precision) {
		return num{}, errNumericOverflow(to)
	}
	return r, nil
}

func decimalDecimalCast(from, to types.T, try bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		vals := fixedValues[decimal128.Num](args[0])
		fs := decScale(args[0], from)
		return castRows(ctx, args[0], n, to.Arrow(), try, func(i int) (decimal128.Num, error) {
			r, ok := rescale(vals[i], fs, to.Scale)
			if !ok || !fitsPrecision(r, to.Precision) {
				return num{}, errNumericOverflow(to)
			}
			return r, nil
		})
	}
}

// decScale returns the scale of a decimal argument: the array's own, which is what the
// values are stored at (the bound type says the same unless a caller mixed them up).
func decScale(a arrow.Array, t types.T) int32 {
	if dt, ok := a.DataType().(*arrow.Decimal128Type); ok {
		return dt.Scale
	}
	return t.Scale
}

// decimalIntCast rounds half away from zero, as PostgreSQL's numeric → integer casts do.
func decimalIntCast(from, to types.T, try bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		vals := fixedValues[decimal128.Num](args[0])
		fs := decScale(args[0], from)
		lo, hi := intRange(to.Kind)
		conv := func(i int) (int64, error) {
			r := scaleDown(vals[i], fs)
			if !isInt64(r) {
				return 0, errOutOfRange(to.Kind)
			}
			x := int64(r.LowBits())
			if x < lo || x > hi {
				return 0, errOutOfRange(to.Kind)
			}
			return x, nil
		}
		switch to.Kind {
		case types.Int16:
			return castRows(ctx, args[0], n, to.Arrow(), try, func(i int) (int16, error) { x, err := conv(i); return int16(x), err })
		case types.Int32:
			return castRows(ctx, args[0], n, to.Arrow(), try, func(i int) (int32, error) { x, err := conv(i); return int32(x), err })
		}
		return castRows(ctx, args[0], n, to.Arrow(), try, conv)
	}
}

func decimalFloatCast(from, to types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		vals := fixedValues[decimal128.Num](args[0])
		fs := decScale(args[0], from)
		if to.Kind == types.Float32 {
			return castRows(ctx, args[0], n, to.Arrow(), false, func(i int) (float32, error) {
				return float32(decimalToFloat(vals[i], fs)), nil
			})
		}
		return castRows(ctx, args[0], n, to.Arrow(), false, func(i int) (float64, error) {
			return decimalToFloat(vals[i], fs), nil
		})
	}
}
