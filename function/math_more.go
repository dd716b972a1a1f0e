package function

import (
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// More mathematical functions: trigonometric and hyperbolic (double precision, with
// PostgreSQL's "input is out of range" for arguments outside the domain), degrees and
// radians, the float classification functions (is_nan, is_finite, is_infinite, Trino),
// the constants e, infinity and nan, width_bucket, and div (integer quotient).

func errInputRange() error { return sqlerr.New(sqlerr.NumericValueOutOfRange, "input is out of range") }

// finiteArg wraps f so that an infinite argument is out of range (sin, cos, tan, cot).
func finiteArg(f func(float64) float64) func(x []float64) (float64, error) {
	return func(x []float64) (float64, error) {
		if math.IsInf(x[0], 0) {
			return 0, errInputRange()
		}
		return f(x[0]), nil
	}
}

// unitArg wraps f so that arguments outside [-1, 1] are out of range (asin, acos).
func unitArg(f func(float64) float64) func(x []float64) (float64, error) {
	return func(x []float64) (float64, error) {
		if x[0] < -1 || x[0] > 1 {
			return 0, errInputRange()
		}
		return f(x[0]), nil
	}
}

func plain(f func(float64) float64) func(x []float64) (float64, error) {
	return func(x []float64) (float64, error) { return f(x[0]), nil }
}

func fnCot(x float64) float64 { return 1 / math.Tan(x) }

func fnDegrees(x float64) float64 { return x * (180 / math.Pi) }

func fnRadians(x float64) float64 { return x * (math.Pi / 180) }

func fnAtan2(x []float64) (float64, error) { return math.Atan2(x[0], x[1]), nil }

func fnAcosh(x []float64) (float64, error) {
	if x[0] < 1 {
		return 0, errInputRange()
	}
	return math.Acosh(x[0]), nil
}

func fnAtanh(x []float64) (float64, error) {
	if x[0] < -1 || x[0] > 1 {
		return 0, errInputRange()
	}
	return math.Atanh(x[0]), nil
}

// bindConst binds a constant double precision function of no arguments.
func bindConst(v float64) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 0 {
			return Sig{}, false
		}
		return Sig{Ret: types.Float64T, Kernel: constFloat(func() float64 { return v }), Strict: true}, true
	}
}

// bindFloatClass binds is_nan / is_finite / is_infinite(double precision) → boolean.
func bindFloatClass(f func(float64) bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 1 || (!args[0].IsNumeric() && args[0].Kind != types.Unknown) {
			return Sig{}, false
		}
		return Sig{Args: []types.T{types.Float64T}, Ret: types.BoolT, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			x := fixedValues[float64](args[0])
			return boolRows(ctx, args, n, func(i int) bool { return f(x[i]) })
		}}, true
	}
}

func isNaN(x float64) bool      { return x != x }
func isFinite(x float64) bool   { return !math.IsInf(x, 0) && x == x }
func isInfinite(x float64) bool { return math.IsInf(x, 0) }

// bindWidthBucket resolves width_bucket(operand, low, high, count) → integer: the bucket
// of operand among count equal-width buckets over [low, high), 0 below and count+1 above
// (buckets run downward when low > high).
func bindWidthBucket(args []types.T) (Sig, bool) {
	if len(args) != 4 {
		return Sig{}, false
	}
	for _, a := range args[:3] {
		if !a.IsNumeric() && a.Kind != types.Unknown {
			return Sig{}, false
		}
	}
	if !args[3].IsInteger() && args[3].Kind != types.Unknown {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.Float64T, types.Float64T, types.Float64T, types.Int32T}, Ret: types.Int32T, Strict: true, Kernel: widthBucketKernel}, true
}

func widthBucketKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	x, lo, hi := fixedValues[float64](args[0]), fixedValues[float64](args[1]), fixedValues[float64](args[2])
	cnt := fixedValues[int32](args[3])
	return int32Rows(ctx, args, n, func(i int) (int32, error) {
		c, op, l, h := cnt[i], x[i], lo[i], hi[i]
		switch {
		case c <= 0:
			return 0, sqlerr.New("2201G", "count must be greater than zero")
		case l == h:
			return 0, sqlerr.New("2201G", "lower bound cannot equal upper bound")
		case op != op || l != l || h != h:
			return 0, sqlerr.New("2201G", "operand, lower bound, and upper bound cannot be NaN")
		case math.IsInf(l, 0) || math.IsInf(h, 0):
			return 0, sqlerr.New("2201G", "lower and upper bounds must be finite")
		}
		var b float64
		if l < h {
			switch {
			case op < l:
				return 0, nil
			case op >= h:
				b = float64(c) + 1
			default:
				b = math.Floor((op-l)/(h-l)*float64(c)) + 1
			}
		} else {
			switch {
			case op > l:
				return 0, nil
			case op <= h:
				b = float64(c) + 1
			default:
				b = math.Floor((l-op)/(l-h)*float64(c)) + 1
			}
		}
		if b > math.MaxInt32 {
			return 0, errOutOfRange(types.Int32)
		}
		return int32(min(b, float64(c)+1)), nil
	})
}

// bindDiv resolves div(a, b): the quotient truncated toward zero, in the integer type of
// the arguments, or numeric with scale 0 for DECIMAL arguments (PostgreSQL's div is
// numeric-only; the values are the same).
func bindDiv(args []types.T) (Sig, bool) {
	if len(args) != 2 {
		return Sig{}, false
	}
	a, b := mathArg(args[0]), mathArg(args[1])
	t, ok := promoteNumeric(a, b)
	if !ok || t.IsFloat() {
		// Floats take the numeric path, as PostgreSQL converts them to numeric.
		if !ok {
			return Sig{}, false
		}
		t = types.DecimalT(types.MaxDecimalPrecision, 16)
	}
	if t.IsInteger() {
		return Sig{Args: []types.T{t, t}, Ret: t, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
			x, y := intColumn(args[0], t), intColumn(args[1], t)
			return intResult(ctx, args, n, t, func(i int) (int64, error) {
				if y(i) == 0 {
					return 0, errDivisionByZero()
				}
				if y(i) == -1 {
					if x(i) == math.MinInt64 {
						return 0, errOutOfRange(t.Kind)
					}
					return -x(i), nil
				}
				return x(i) / y(i), nil
			})
		}}, true
	}
	ret := types.DecimalT(types.MaxDecimalPrecision, 0)
	return Sig{Args: []types.T{t, t}, Ret: ret, Strict: true, Kernel: func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		x, y := fixedValues[num](args[0]), fixedValues[num](args[1])
		return rowsFixed(ctx, args, n, ret.Arrow(), func(i int) (num, error) {
			if y[i].Sign() == 0 {
				return num{}, errDivisionByZero()
			}
			// Both operands have the same scale, so the quotient of the unscaled values is
			// the quotient of the numbers.
			q := new(big.Int).Quo(x[i].BigInt(), y[i].BigInt())
			if q.BitLen() > 126 || !fitsPrecision(fromBig(q), ret.Precision) {
				return num{}, errNumericOverflow(ret)
			}
			return fromBig(q), nil
		})
	}}, true
}
