package function

import (
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/types"
)

// PostgreSQL gives each numeric value its own display scale; an Arrow column has one scale
// for all its rows. For a quotient of two columns Quarry keeps max(16, s1, s2) fractional
// digits (decimalResult), but when both operands are constants the binder asks
// ConstDecimalDiv for the scale PostgreSQL would pick for those very values, so that
// `SELECT 1.0/3` prints 0.33333333333333333333 as PostgreSQL does.

// pgMinSigDigits is PostgreSQL's NUMERIC_MIN_SIG_DIGITS: a quotient gets at least this many
// significant digits, so that numeric is never less precise than float8.
const pgMinSigDigits = 16

// nbaseWeight returns the weight and leading digit of |v| (v unscaled, scale s) written in
// PostgreSQL's base-10000 digits, which are aligned on the decimal point: 12345.6 is
// 1|2345.6000, weight 1, leading digit 1. Zero has weight 0 and leading digit 0.
func nbaseWeight(v *big.Int, s int32) (weight int32, first int64) {
	if v.Sign() == 0 {
		return 0, 0
	}
	a := new(big.Int).Abs(v)
	e := int32(len(a.String())) - 1 - s // decimal exponent of the leading digit
	weight = e / 4
	if e < 0 && e%4 != 0 {
		weight-- // floor division
	}
	// leading group = floor(|v| / 10^(s + 4*weight))
	k := s + 4*weight
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(k))), nil)
	if k >= 0 {
		a.Quo(a, p)
	} else {
		a.Mul(a, p)
	}
	return weight, a.Int64()
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// pgDivScale is the display scale PostgreSQL's numeric division picks for x / y
// (select_div_scale in numeric.c): enough fractional digits for pgMinSigDigits significant
// digits of the estimated quotient, and never fewer than either operand's scale.
func pgDivScale(x *big.Int, sx int32, y *big.Int, sy int32) int32 {
	w1, f1 := nbaseWeight(x, sx)
	w2, f2 := nbaseWeight(y, sy)
	// The quotient's weight; with equal leading digits PostgreSQL assumes x < y.
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	return min(max(pgMinSigDigits-qweight*4, sx, sy, 0), 1000)
}

// ConstDecimalDiv returns the signature of x / y for two constant DECIMAL operands (arrays
// of length 1 of types tx and ty) with the result scale PostgreSQL would display for these
// values, limited to what DECIMAL(38) holds. ok is false when either value is NULL or y is
// zero (the ordinary signature then raises or propagates as usual).
func ConstDecimalDiv(x, y arrow.Array, tx, ty types.T) (sig Sig, ok bool) {
	dx, okx := x.(*array.Decimal128)
	dy, oky := y.(*array.Decimal128)
	if !okx || !oky || tx.Kind != types.Decimal || ty.Kind != types.Decimal || dx.IsNull(0) || dy.IsNull(0) {
		return Sig{}, false
	}
	xv, yv := dx.Value(0).BigInt(), dy.Value(0).BigInt()
	if yv.Sign() == 0 {
		return Sig{}, false
	}
	scale := pgDivScale(xv, tx.Scale, yv, ty.Scale)
	// Digits before the point of |x / y|, at least 1.
	q := new(big.Int).Mul(xv, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(ty.Scale)), nil))
	q.Quo(q.Abs(q), new(big.Int).Abs(new(big.Int).Mul(yv, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(tx.Scale)), nil))))
	intDigits := int32(1)
	if q.Sign() > 0 {
		intDigits = int32(len(q.String()))
	}
	if intDigits+scale > types.MaxDecimalPrecision {
		scale = max(types.MaxDecimalPrecision-intDigits, 0)
	}
	// Rounding may carry into one more integer digit (9.99... → 10.0).
	p := min(intDigits+scale+1, types.MaxDecimalPrecision)
	ret := types.DecimalT(p, scale)
	return Sig{Args: []types.T{tx, ty}, Ret: ret, Kernel: decimalArith(opDiv, tx, ty, ret), Strict: true}, true
}
