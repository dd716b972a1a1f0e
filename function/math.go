package function

import (
	"math"
	"math/rand/v2"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Mathematical functions. Integer and DECIMAL arguments keep their type where the result
// is exact (abs, ceil, floor, round, trunc, sign, mod); the transcendental functions
// compute in double precision (PostgreSQL also has numeric versions of sqrt, ln, exp and
// power; Quarry evaluates those in double). round and trunc of a DECIMAL with a digit
// count keep the argument's scale and zero the dropped digits (round(1.2345, 2) is 1.2300
// as numeric(6,4)), because the result type cannot depend on the digit count's value.

// mathArg normalizes an untyped literal argument to double precision.
func mathArg(t types.T) types.T {
	if t.Kind == types.Unknown {
		return types.Float64T
	}
	if t.Kind == types.Decimal {
		return asDecimal(t)
	}
	return t
}

// bindFloatFn binds a function of double precision arguments returning double precision.
func bindFloatFn(arity int, f func(x []float64) (float64, error)) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != arity {
			return Sig{}, false
		}
		ts := make([]types.T, arity)
		for i, a := range args {
			a = mathArg(a)
			if !a.IsNumeric() {
				return Sig{}, false
			}
			ts[i] = types.Float64T
		}
		return Sig{Args: ts, Ret: types.Float64T, Kernel: floatRows(arity, f), Strict: true}, true
	}
}

// floatRows evaluates f over rows of double precision arguments.
func floatRows(arity int, f func(x []float64) (float64, error)) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		cols := make([][]float64, arity)
		for j := range cols {
			cols[j] = fixedValues[float64](args[j])
		}
		data, out := newFixed[float64](mem, n)
		x := make([]float64, arity)
		for i := 0; i < n; i++ {
			if !validAt(validity, i) {
				out[i] = 0
				continue
			}
			for j := range cols {
				x[j] = cols[j][i]
			}
			r, err := f(x)
			if err != nil {
				releaseBuf(validity)
				data.Release()
				return nil, err
			}
			out[i] = r
		}
		return makeArray(arrow.PrimitiveTypes.Float64, n, validity, data, nulls), nil
	}
}

func errArg(code, msg string) error { return sqlerr.New(code, "%s", msg) }

const (
	codeInvalidArgLog   = "2201E"
	codeInvalidArgPower = "2201F"
)

func fnSqrt(x []float64) (float64, error) {
	if x[0] < 0 {
		return 0, errArg(codeInvalidArgPower, "cannot take square root of a negative number")
	}
	return math.Sqrt(x[0]), nil
}

func fnCbrt(x []float64) (float64, error) { return math.Cbrt(x[0]), nil }

func fnExp(x []float64) (float64, error) {
	r := math.Exp(x[0])
	if math.IsInf(r, 0) && !math.IsInf(x[0], 0) {
		return 0, errOutOfRange(types.Float64)
	}
	if r == 0 && !math.IsInf(x[0], 0) {
		return 0, errFloatUnderflow()
	}
	return r, nil
}

func logCheck(v float64) error {
	if v == 0 {
		return errArg(codeInvalidArgLog, "cannot take logarithm of zero")
	}
	if v < 0 {
		return errArg(codeInvalidArgLog, "cannot take logarithm of a negative number")
	}
	return nil
}

func fnLn(x []float64) (float64, error) {
	if err := logCheck(x[0]); err != nil {
		return 0, err
	}
	return math.Log(x[0]), nil
}

func fnLog10(x []float64) (float64, error) {
	if err := logCheck(x[0]); err != nil {
		return 0, err
	}
	return math.Log10(x[0]), nil
}

func fnLog2(x []float64) (float64, error) {
	if err := logCheck(x[0]); err != nil {
		return 0, err
	}
	return math.Log2(x[0]), nil
}

// fnLogBase is log(b, x): the logarithm of x to base b.
func fnLogBase(x []float64) (float64, error) {
	if err := logCheck(x[0]); err != nil {
		return 0, err
	}
	if err := logCheck(x[1]); err != nil {
		return 0, err
	}
	d := math.Log(x[0])
	if d == 0 {
		return 0, errDivisionByZero()
	}
	return math.Log(x[1]) / d, nil
}

func fnPower(x []float64) (float64, error) {
	a, b := x[0], x[1]
	if a == 0 && b < 0 {
		return 0, errArg(codeInvalidArgPower, "zero raised to a negative power is undefined")
	}
	if a < 0 && b != math.Floor(b) {
		return 0, errArg(codeInvalidArgPower, "a negative number raised to a non-integer power yields a complex result")
	}
	r := math.Pow(a, b)
	if math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0) {
		return 0, errOutOfRange(types.Float64)
	}
	return r, nil
}

// bindLog resolves log(x) (base 10, as PostgreSQL) and log(b, x).
func bindLog(args []types.T) (Sig, bool) {
	if len(args) == 1 {
		return bindFloatFn(1, fnLog10)(args)
	}
	return bindFloatFn(2, fnLogBase)(args)
}

func bindPi(args []types.T) (Sig, bool) {
	if len(args) != 0 {
		return Sig{}, false
	}
	return Sig{Ret: types.Float64T, Kernel: constFloat(func() float64 { return math.Pi }), Strict: true}, true
}

func bindRandom(args []types.T) (Sig, bool) {
	if len(args) != 0 {
		return Sig{}, false
	}
	return Sig{Ret: types.Float64T, Kernel: constFloat(rand.Float64)}, true
}

// constFloat fills n rows from f (called per row, so random() differs per row).
func constFloat(f func() float64) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		data, out := newFixed[float64](ctx.mem(), n)
		for i := range out {
			out[i] = f()
		}
		return makeArray(arrow.PrimitiveTypes.Float64, n, nil, data, 0), nil
	}
}

// roundMode selects the rounding function of bindRound.
type roundMode uint8

const (
	rmRound roundMode = iota
	rmTrunc
	rmCeil
	rmFloor
)

// bindRounding resolves round, trunc (one or two arguments), ceil and floor (one).
func bindRounding(mode roundMode) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) < 1 || len(args) > 2 || (len(args) == 2 && (mode == rmCeil || mode == rmFloor)) {
			return Sig{}, false
		}
		t := mathArg(args[0])
		if !t.IsNumeric() {
			return Sig{}, false
		}
		if len(args) == 2 && !(args[1].IsInteger() || args[1].Kind == types.Unknown) {
			return Sig{}, false
		}
		ts := []types.T{t}
		if len(args) == 2 {
			ts = append(ts, types.Int32T)
		}
		switch {
		case t.IsInteger() && len(args) == 1:
			return Sig{Args: ts, Ret: t, Kernel: identityKernel(t), Strict: true}, true
		case t.IsInteger():
			return Sig{Args: ts, Ret: t, Kernel: intRound(mode, t), Strict: true}, true
		case t.IsFloat():
			ts[0] = types.Float64T
			return Sig{Args: ts, Ret: types.Float64T, Kernel: floatRound(mode, len(args) == 2), Strict: true}, true
		}
		ret := types.DecimalT(min(38, t.Precision+1), t.Scale) // room for 9.99 → 10.00
		if len(args) == 1 {
			// Rounding to an integer: PostgreSQL's numeric result has scale 0.
			ret = types.DecimalT(min(38, t.Precision-t.Scale+1), 0)
		}
		return Sig{Args: ts, Ret: ret, Kernel: decimalRound(mode, t, ret, len(args) == 2), Strict: true}, true
	}
}

func roundFloat(mode roundMode, x float64) float64 {
	switch mode {
	case rmTrunc:
		return math.Trunc(x)
	case rmCeil:
		return math.Ceil(x)
	case rmFloor:
		return math.Floor(x)
	}
	return math.RoundToEven(x) // PostgreSQL's round(double precision) is rint
}

func floatRound(mode roundMode, digits bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		mem := ctx.mem()
		validity, nulls := andValidity(mem, args, n)
		x := fixedValues[float64](args[0])
		var d []int32
		if digits {
			d = fixedValues[int32](args[1])
		}
		data, out := newFixed[float64](mem, n)
		for i := 0; i < n; i++ {
			if d == nil {
				out[i] = roundFloat(mode, x[i])
				continue
			}
			// round(double, n) exists in Trino; with n digits round half away from zero
			// as Trino does.
			p := math.Pow(10, float64(d[i]))
			v := x[i] * p
			switch mode {
			case rmTrunc:
				v = math.Trunc(v)
			default:
				v = math.Round(v)
			}
			out[i] = v / p
			if math.IsInf(p, 0) || p == 0 {
				out[i] = x[i]
			}
		}
		return makeArray(arrow.PrimitiveTypes.Float64, n, validity, data, nulls), nil
	}
}

// roundNum rounds a 128-bit integer value to a multiple of 10^k.
func roundNum(mode roundMode, v num, k int32) (num, bool) {
	if k <= 0 {
		return v, true
	}
	if k > 38 {
		return num{}, true
	}
	var q num
	switch mode {
	case rmRound:
		q = scaleDown(v, k)
	case rmTrunc:
		q = truncDown(v, k)
	case rmCeil, rmFloor:
		q = truncDown(v, k)
		back, _ := scaleUp(q, k)
		if back != v {
			if mode == rmCeil && v.Sign() > 0 {
				q = q.Add(fromI64(1))
			}
			if mode == rmFloor && v.Sign() < 0 {
				q = q.Sub(fromI64(1))
			}
		}
	}
	r, ovf := scaleUp(q, k)
	return r, !ovf
}

func decimalRound(mode roundMode, t, ret types.T, digits bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		vals := fixedValues[num](args[0])
		s := decScale(args[0], t)
		var d []int32
		if digits {
			d = fixedValues[int32](args[1])
		}
		return rowsFixed(ctx, args, n, ret.Arrow(), func(i int) (num, error) {
			k := s
			if d != nil {
				k = s - d[i]
			}
			r, ok := roundNum(mode, vals[i], k)
			if ok && !digits {
				r = truncDown(r, s) // to scale 0
			}
			if !ok || !fitsPrecision(r, ret.Precision) {
				return num{}, errNumericOverflow(ret)
			}
			return r, nil
		})
	}
}

func intRound(mode roundMode, t types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		x := intColumn(args[0], t)
		d := fixedValues[int32](args[1])
		conv := func(i int) (int64, error) {
			if d[i] >= 0 {
				return x(i), nil
			}
			r, ok := roundNum(mode, fromI64(x(i)), -d[i])
			if !ok || !isInt64(r) {
				return 0, errOutOfRange(t.Kind)
			}
			return int64(r.LowBits()), nil
		}
		return intResult(ctx, args, n, t, conv)
	}
}

// intColumn returns an accessor reading any integer column as int64.
func intColumn(a arrow.Array, t types.T) func(i int) int64 {
	switch t.Kind {
	case types.Int16:
		v := fixedValues[int16](a)
		return func(i int) int64 { return int64(v[i]) }
	case types.Int32:
		v := fixedValues[int32](a)
		return func(i int) int64 { return int64(v[i]) }
	}
	v := fixedValues[int64](a)
	return func(i int) int64 { return v[i] }
}

// intResult builds an integer result of kind t from per-row int64 values, range-checked.
func intResult(ctx *Context, args []arrow.Array, n int, t types.T, f func(i int) (int64, error)) (arrow.Array, error) {
	lo, hi := intRange(t.Kind)
	g := func(i int) (int64, error) {
		v, err := f(i)
		if err == nil && (v < lo || v > hi) {
			err = errOutOfRange(t.Kind)
		}
		return v, err
	}
	switch t.Kind {
	case types.Int16:
		return rowsFixed(ctx, args, n, t.Arrow(), func(i int) (int16, error) { v, err := g(i); return int16(v), err })
	case types.Int32:
		return rowsFixed(ctx, args, n, t.Arrow(), func(i int) (int32, error) { v, err := g(i); return int32(v), err })
	}
	return rowsFixed(ctx, args, n, t.Arrow(), g)
}

// rowsFixed is a strict n-ary kernel body from a per-row function (skipped under NULL).
func rowsFixed[R arrow.FixedWidthType](ctx *Context, args []arrow.Array, n int, dt arrow.DataType, f func(i int) (R, error)) (arrow.Array, error) {
	mem := ctx.mem()
	validity, nulls := andValidity(mem, args, n)
	data, out := newFixed[R](mem, n)
	for i := 0; i < n; i++ {
		if !validAt(validity, i) {
			var z R
			out[i] = z
			continue
		}
		r, err := f(i)
		if err != nil {
			releaseBuf(validity)
			data.Release()
			return nil, err
		}
		out[i] = r
	}
	return makeArray(dt, n, validity, data, nulls), nil
}

// bindAbs resolves abs and sign, keeping the argument's numeric type.
func bindAbsSign(sign bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 1 {
			return Sig{}, false
		}
		t := mathArg(args[0])
		if !t.IsNumeric() {
			return Sig{}, false
		}
		if t.Kind == types.Float32 {
			t = types.Float64T
		}
		return Sig{Args: []types.T{t}, Ret: t, Kernel: absSignKernel(t, sign), Strict: true}, true
	}
}

func absSignKernel(t types.T, sign bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		switch t.Kind {
		case types.Float64:
			x := fixedValues[float64](args[0])
			return rowsFixed(ctx, args, n, t.Arrow(), func(i int) (float64, error) {
				if sign {
					switch {
					case x[i] > 0:
						return 1, nil
					case x[i] < 0:
						return -1, nil
					}
					return x[i], nil // 0, -0 and NaN
				}
				return math.Abs(x[i]), nil
			})
		case types.Decimal:
			x := fixedValues[num](args[0])
			s := decScale(args[0], t)
			return rowsFixed(ctx, args, n, t.Arrow(), func(i int) (num, error) {
				if sign {
					r, _ := scaleUp(fromI64(int64(x[i].Sign())), s)
					return r, nil
				}
				if x[i].Sign() < 0 {
					return x[i].Negate(), nil
				}
				return x[i], nil
			})
		}
		x := intColumn(args[0], t)
		return intResult(ctx, args, n, t, func(i int) (int64, error) {
			v := x(i)
			if sign {
				switch {
				case v > 0:
					return 1, nil
				case v < 0:
					return -1, nil
				}
				return 0, nil
			}
			if v == math.MinInt64 {
				return 0, errOutOfRange(t.Kind)
			}
			return abs64(v), nil
		})
	}
}

// bindMod is mod(a, b), the function form of %.
func bindMod(args []types.T) (Sig, bool) {
	if len(args) != 2 {
		return Sig{}, false
	}
	a, b := mathArg(args[0]), mathArg(args[1])
	if !a.IsNumeric() || !b.IsNumeric() {
		return Sig{}, false
	}
	return bindArith(opMod)([]types.T{a, b})
}
