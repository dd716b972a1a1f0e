package function

import (
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// sqrt, exp and ln of numeric, as PostgreSQL computes them: exact to the last digit shown
// (here in 256-bit binary floating point, far beyond DECIMAL(38)), rounded half away from
// zero. PostgreSQL shows at least 16 significant digits, so the scale depends on the
// value's magnitude (numeric_sqrt, numeric_exp, numeric_ln in numeric.c); a Quarry column
// needs one scale, which is PostgreSQL's for arguments of weight 0 (1 <= x < 10000).
// Constant arguments get their own value's scale from ConstNumericFn.

// numFn names a numeric function of one argument.
type numFn uint8

const (
	numSqrt numFn = iota
	numExp
	numLn
)

const numPrec = 256 // bits of the big.Float intermediate results

// bindNumericFn binds f to numeric arguments and falls back to the double precision
// binder for every other type.
func bindNumericFn(f numFn, float Binder) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 1 || args[0].Kind != types.Decimal {
			return float(args)
		}
		t := asDecimal(args[0])
		ret := numericFnType(t.Scale, numericFnColumnScale(f))
		return Sig{Args: []types.T{t}, Ret: ret, Kernel: numericFnKernel(f, ret), Strict: true}, true
	}
}

// numericFnColumnScale is PostgreSQL's scale for an argument of weight 0.
func numericFnColumnScale(f numFn) int32 {
	if f == numSqrt {
		return pgMinSigDigits - 1
	}
	return pgMinSigDigits
}

func numericFnType(argScale, scale int32) types.T {
	s := min(max(scale, argScale, 0), types.MaxDecimalPrecision-1)
	return types.DecimalT(types.MaxDecimalPrecision, s)
}

// pgNumericFnScale is the scale PostgreSQL shows for f(x), x unscaled with scale s.
func pgNumericFnScale(f numFn, x *big.Int, s int32) int32 {
	xf, _ := new(big.Float).SetPrec(numPrec).Quo(new(big.Float).SetInt(x), pow10Float(s)).Float64()
	var r int32
	switch f {
	case numSqrt:
		w, _ := nbaseWeight(x, s)
		sweight := (w+1)*4/2 - 1 // C division: truncates toward zero
		r = pgMinSigDigits - sweight
	case numExp:
		v := max(min(xf*math.Log10E, 2000), -2000)
		r = pgMinSigDigits - int32(v)
	case numLn:
		var dweight int32
		if xf >= 0.9 && xf <= 1.1 {
			// ln(1+d) ≈ d: the decimal exponent of x-1's leading digit.
			d := new(big.Int).Sub(x, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s)), nil))
			if d.Sign() != 0 {
				dweight = int32(len(new(big.Int).Abs(d).String())) - 1 - s
			}
		} else if xf > 0 {
			dweight = int32(math.Log10(math.Abs(math.Log(xf))))
		}
		r = pgMinSigDigits - dweight
	}
	return min(max(r, s, 0), 1000)
}

// ConstNumericFn returns the signature of sqrt, exp or ln (name) over a constant numeric
// argument (an array of length 1 of type t), with the result scale PostgreSQL would show for
// that value, as far as DECIMAL(38) allows. ok is false for other functions and NULL.
func ConstNumericFn(name string, x arrow.Array, t types.T) (sig Sig, ok bool) {
	fns := map[string]numFn{"sqrt": numSqrt, "exp": numExp, "ln": numLn}
	f, known := fns[name]
	d, isDec := x.(*array.Decimal128)
	if !known || !isDec || t.Kind != types.Decimal || d.IsNull(0) {
		return Sig{}, false
	}
	v := d.Value(0).BigInt()
	scale := pgNumericFnScale(f, v, t.Scale)
	// Leave room for the integer digits of the result.
	digits := int32(1)
	if r, err := numericFnValue(f, v, t.Scale); err == nil {
		ip, _ := r.Int(nil)
		if ip.Sign() != 0 {
			digits = int32(len(ip.Abs(ip).String()))
		}
	}
	ret := types.DecimalT(types.MaxDecimalPrecision, min(scale, max(types.MaxDecimalPrecision-digits, 0)))
	return Sig{Args: []types.T{t}, Ret: ret, Kernel: numericFnKernel(f, ret), Strict: true}, true
}

// numericFnKernel evaluates f over a numeric column, rounding to ret's scale.
func numericFnKernel(f numFn, ret types.T) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		vals := fixedValues[num](args[0])
		s := decScale(args[0], types.T{})
		return rowsFixed(ctx, args, n, ret.Arrow(), func(i int) (num, error) {
			r, err := numericFnValue(f, vals[i].BigInt(), s)
			if err != nil {
				return num{}, err
			}
			return roundFloatToScale(r, ret)
		})
	}
}

func pow10Float(k int32) *big.Float {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(k))), nil)
	f := new(big.Float).SetPrec(numPrec).SetInt(p)
	if k < 0 {
		return new(big.Float).SetPrec(numPrec).Quo(big.NewFloat(1).SetPrec(numPrec), f)
	}
	return f
}

// roundFloatToScale rounds r half away from zero to ret's scale, or fails with 22003 when
// it does not fit ret's precision.
func roundFloatToScale(r *big.Float, ret types.T) (num, error) {
	scaled := new(big.Float).SetPrec(numPrec).Mul(r, pow10Float(ret.Scale))
	half := big.NewFloat(0.5)
	if scaled.Sign() < 0 {
		scaled.Sub(scaled, half)
	} else {
		scaled.Add(scaled, half)
	}
	i, _ := scaled.Int(nil) // truncates toward zero
	if i.BitLen() > 127 {
		return num{}, errNumericOverflow(ret)
	}
	v, ok := divRoundBig(i, big.NewInt(1))
	if !ok || !fitsPrecision(v, ret.Precision) {
		return num{}, errNumericOverflow(ret)
	}
	return v, nil
}

// numericFnValue computes f(x / 10^s).
func numericFnValue(f numFn, x *big.Int, s int32) (*big.Float, error) {
	v := new(big.Float).SetPrec(numPrec).Quo(new(big.Float).SetPrec(numPrec).SetInt(x), pow10Float(s))
	switch f {
	case numSqrt:
		if v.Sign() < 0 {
			return nil, errArg(codeInvalidArgPower, "cannot take square root of a negative number")
		}
		return new(big.Float).SetPrec(numPrec).Sqrt(v), nil
	case numExp:
		xf, _ := v.Float64()
		if xf > 88 { // e^88 > 10^38: beyond DECIMAL(38)
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
		}
		return bigExp(v), nil
	}
	switch v.Sign() {
	case 0:
		return nil, errArg(codeInvalidArgLog, "cannot take logarithm of zero")
	case -1:
		return nil, errArg(codeInvalidArgLog, "cannot take logarithm of a negative number")
	}
	return bigLn(v), nil
}

// bigLn is ln(v) for v > 0: v = m·2^e with m in [0.5, 1), ln v = ln m + e·ln 2, and
// ln m = 2·atanh((m-1)/(m+1)) by its series (|z| <= 1/3, so each term gains 3 bits).
func bigLn(v *big.Float) *big.Float {
	m := new(big.Float).SetPrec(numPrec)
	e := v.MantExp(m)
	r := atanhSeries(m)
	r.Mul(r, big.NewFloat(2))
	if e != 0 {
		l2 := ln2()
		r.Add(r, l2.Mul(l2, new(big.Float).SetInt64(int64(e))))
	}
	return r
}

func ln2() *big.Float {
	r := atanhSeries(new(big.Float).SetPrec(numPrec).SetFloat64(2))
	return r.Mul(r, big.NewFloat(2))
}

// atanhSeries returns atanh((m-1)/(m+1)) = Σ z^(2k+1)/(2k+1).
func atanhSeries(m *big.Float) *big.Float {
	one := new(big.Float).SetPrec(numPrec).SetInt64(1)
	z := new(big.Float).SetPrec(numPrec).Sub(m, one)
	z.Quo(z, new(big.Float).SetPrec(numPrec).Add(m, one))
	z2 := new(big.Float).SetPrec(numPrec).Mul(z, z)
	sum := new(big.Float).SetPrec(numPrec).Set(z)
	term := new(big.Float).SetPrec(numPrec).Set(z)
	for k := int64(1); k < 400; k++ {
		term.Mul(term, z2)
		t := new(big.Float).SetPrec(numPrec).Quo(term, new(big.Float).SetInt64(2*k+1))
		if t.Sign() == 0 || t.MantExp(nil)-sum.MantExp(nil) < -numPrec {
			break
		}
		sum.Add(sum, t)
	}
	return sum
}

// bigExp is e^v: v = k·ln 2 + r with |r| <= ln 2 / 2, e^v = 2^k · e^r, e^r by its series.
func bigExp(v *big.Float) *big.Float {
	l2 := ln2()
	kf := new(big.Float).SetPrec(numPrec).Quo(v, l2)
	kff, _ := kf.Float64()
	k := int64(math.Round(kff))
	r := new(big.Float).SetPrec(numPrec).Sub(v, new(big.Float).SetPrec(numPrec).Mul(l2, new(big.Float).SetInt64(k)))
	sum := new(big.Float).SetPrec(numPrec).SetInt64(1)
	term := new(big.Float).SetPrec(numPrec).SetInt64(1)
	for i := int64(1); i < 400; i++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(i))
		if term.Sign() == 0 || term.MantExp(nil)-sum.MantExp(nil) < -numPrec {
			break
		}
		sum.Add(sum, term)
	}
	return sum.SetMantExp(sum, int(k))
}
