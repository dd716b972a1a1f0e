package function

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/quarrydb/quarry/types"
)

// DECIMAL arithmetic, exact in 128 bits. Result types (p = precision, s = scale):
//
//	+ -   s = max(s1, s2)          p = min(38, max(p1-s1, p2-s2) + s + 1)
//	*     s = s1 + s2              p = min(38, p1 + p2)
//	      (when s1+s2 > 38 the product is rounded to s = max(s1, s2))
//	/     s = max(16, s1, s2)      p = min(38, (p1-s1) + s2 + s)
//	%     s = max(s1, s2)          p = min(38, min(p1-s1, p2-s2) + s)
//
// Division keeps at least 16 fractional digits, which is PostgreSQL's NUMERIC_MIN_SIG_DIGITS
// for quotients between 1 and 9999 (PostgreSQL picks the scale per value; an Arrow column
// needs one), and rounds half away from zero as PostgreSQL does. A result that does not fit
// its precision (or 38 digits) is 22003 numeric field overflow. The kernels take a 64-bit
// fast path when both operands fit in an int64 and fall back to 128-bit (and, for the
// rare products and quotients beyond 128 bits, math/big) arithmetic.

// decimalResult returns the result type of a decimal operator; a and b are DECIMAL types.
func decimalResult(op arithOp, a, b types.T) types.T {
	var p, s int32
	switch op {
	case opAdd, opSub:
		s = max(a.Scale, b.Scale)
		p = max(a.Precision-a.Scale, b.Precision-b.Scale) + s + 1
	case opMul:
		s = a.Scale + b.Scale
		if s > types.MaxDecimalPrecision {
			s = max(a.Scale, b.Scale)
		}
		p = a.Precision + b.Precision
	case opDiv:
		s = max(16, a.Scale, b.Scale)
		p = (a.Precision - a.Scale) + b.Scale + s
	case opMod:
		s = max(a.Scale, b.Scale)
		p = min(a.Precision-a.Scale, b.Precision-b.Scale) + s
	}
	p = min(p, types.MaxDecimalPrecision)
	p = max(p, s, 1)
	return types.DecimalT(p, s)
}

// decBin holds what a decimal operator's rows need: operand scales and the result type.
type decBin struct {
	op       arithOp
	sa, sb   int32
	ret      types.T
	ka, kb   int32 // scale-ups of a and b to the common scale (add, sub, mod)
	ma, mb   int64 // 10^ka, 10^kb when they fit in an int64, else 0
	lim      int64 // 10^p when p <= 18, else 0: the int64 fast path's precision bound
	divScale int32 // division: scale-up of the dividend
}

const (
	decOK uint8 = iota
	decOverflow
	decDivZero
)

func newDecBin(op arithOp, sa, sb int32, ret types.T) *decBin {
	d := &decBin{op: op, sa: sa, sb: sb, ret: ret}
	s := max(sa, sb)
	d.ka, d.kb = s-sa, s-sb
	if d.ka <= 18 {
		d.ma = pow10i64[d.ka]
	}
	if d.kb <= 18 {
		d.mb = pow10i64[d.kb]
	}
	if ret.Precision <= 18 {
		d.lim = pow10i64[ret.Precision]
	}
	d.divScale = ret.Scale - sa + sb
	return d
}

// mulInt64 returns x*m (m > 0) and whether it fits in an int64.
func mulInt64(x, m int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(abs64(x)), uint64(m))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if x < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

func (d *decBin) fits(r num) bool { return fitsPrecision(r, d.ret.Precision) }

// addRow computes one row of + or - in 128 bits.
func (d *decBin) addRow(x, y num) (num, uint8) {
	xs, o1 := scaleUp(x, d.ka)
	ys, o2 := scaleUp(y, d.kb)
	var r num
	var o3 bool
	if d.op == opSub {
		r, o3 = sub128(xs, ys)
	} else {
		r, o3 = add128(xs, ys)
	}
	if o1 || o2 || o3 || !d.fits(r) {
		return num{}, decOverflow
	}
	return r, decOK
}

// mulRow computes one row of * in 128 bits (math/big when the product must be rounded
// from beyond 128 bits).
func (d *decBin) mulRow(x, y num) (num, uint8) {
	drop := d.sa + d.sb - d.ret.Scale
	r, ovf := mul128(x, y)
	switch {
	case !ovf && drop > 0:
		r = scaleDown(r, drop)
	case ovf && drop > 0:
		p := new(big.Int).Mul(x.BigInt(), y.BigInt())
		var ok bool
		if r, ok = divRoundBig(p, pow10[drop].BigInt()); !ok {
			return num{}, decOverflow
		}
	case ovf:
		return num{}, decOverflow
	}
	if !d.fits(r) {
		return num{}, decOverflow
	}
	return r, decOK
}

// divRow computes one row of / : round(x * 10^divScale / y).
func (d *decBin) divRow(x, y num) (num, uint8) {
	if y.Sign() == 0 {
		return num{}, decDivZero
	}
	xs, ovf := scaleUp(x, d.divScale)
	var r num
	var ok bool
	if ovf {
		xb := new(big.Int).Mul(x.BigInt(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.divScale)), nil))
		r, ok = divRoundBig(xb, y.BigInt())
	} else {
		r, ok = divRound(xs, y)
	}
	if !ok || !d.fits(r) {
		return num{}, decOverflow
	}
	return r, decOK
}

// modRow computes one row of %: the remainder of truncating division, with the sign of x.
func (d *decBin) modRow(x, y num) (num, uint8) {
	if y.Sign() == 0 {
		return num{}, decDivZero
	}
	xs, o1 := scaleUp(x, d.ka)
	ys, o2 := scaleUp(y, d.kb)
	if o1 || o2 {
		// One side is beyond 128 bits once aligned: use math/big.
		xb := new(big.Int).Mul(x.BigInt(), pow10[d.ka].BigInt())
		yb := new(big.Int).Mul(y.BigInt(), pow10[d.kb].BigInt())
		r := new(big.Int).Rem(xb, yb)
		if r.BitLen() > 127 {
			return num{}, decOverflow
		}
		return fromBig(r), decOK
	}
	if isInt64(xs) && isInt64(ys) {
		a, b := int64(xs.LowBits()), int64(ys.LowBits())
		if b == -1 {
			return num{}, decOK
		}
		return fromI64(a % b), decOK
	}
	_, r := xs.Div(ys)
	return r, decOK
}

func fromBig(b *big.Int) num {
	if b.Sign() == 0 {
		return num{}
	}
	r, _ := divRoundBig(b, big.NewInt(1))
	return r
}

func (d *decBin) row(x, y num) (num, uint8) {
	switch d.op {
	case opAdd, opSub:
		return d.addRow(x, y)
	case opMul:
		return d.mulRow(x, y)
	case opDiv:
		return d.divRow(x, y)
	}
	return d.modRow(x, y)
}

// loop computes every row; rows that fail become zero and flag the batch for check.
func (d *decBin) loop(a, b, out []num) bool {
	b, out = b[:len(a)], out[:len(a)]
	bad := false
	switch d.op {
	case opAdd, opSub:
		sub := d.op == opSub
		for i := range a {
			x, y := a[i], b[i]
			if isInt64(x) && isInt64(y) && d.ma != 0 && d.mb != 0 {
				xi, yi := int64(x.LowBits()), int64(y.LowBits())
				ok1, ok2 := true, true
				if d.ma != 1 {
					xi, ok1 = mulInt64(xi, d.ma)
				}
				if d.mb != 1 {
					yi, ok2 = mulInt64(yi, d.mb)
				}
				if sub {
					ok2 = ok2 && yi != math.MinInt64
					yi = -yi
				}
				r := xi + yi
				if ok1 && ok2 && (xi^r)&(yi^r) >= 0 && (d.lim == 0 || (r < d.lim && r > -d.lim)) {
					out[i] = fromI64(r)
					continue
				}
			}
			r, e := d.addRow(x, y)
			bad = bad || e != decOK
			out[i] = r
		}
	case opMul:
		exact := d.sa+d.sb == d.ret.Scale
		for i := range a {
			x, y := a[i], b[i]
			if exact && isInt64(x) && isInt64(y) {
				xi, yi := int64(x.LowBits()), int64(y.LowBits())
				hi, lo := bits.Mul64(uint64(abs64(xi)), uint64(abs64(yi)))
				if hi == 0 && lo <= math.MaxInt64 {
					r := int64(lo)
					if (xi < 0) != (yi < 0) {
						r = -r
					}
					if d.lim == 0 || (r < d.lim && r > -d.lim) {
						out[i] = fromI64(r)
						continue
					}
				}
			}
			r, e := d.mulRow(x, y)
			bad = bad || e != decOK
			out[i] = r
		}
	default:
		for i := range a {
			r, e := d.row(a[i], b[i])
			bad = bad || e != decOK
			out[i] = r
		}
	}
	return bad
}

func (d *decBin) check(x, y num) error {
	switch _, e := d.row(x, y); e {
	case decOverflow:
		return errNumericOverflow(types.T{})
	case decDivZero:
		return errDivisionByZero()
	}
	return nil
}

// decimalArith returns the kernel of a decimal operator over DECIMAL(a) and DECIMAL(b).
func decimalArith(op arithOp, a, b types.T, ret types.T) Kernel {
	d := newDecBin(op, a.Scale, b.Scale, ret)
	dt := ret.Arrow()
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		return binaryFixed(ctx, args, n, dt, d.loop, d.check)
	}
}
