package function

import (
	"math/big"
	"math/bits"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Exact 128-bit arithmetic for DECIMAL values. Arrow's decimal128.Num wraps on overflow and
// routes division and rescaling through math/big; the kernels need overflow detection and
// speed, so the common operations are done here with math/bits, falling back to math/big
// only for the rare operands that do not fit.

type num = decimal128.Num

// pow10 holds 10^0 .. 10^38 as 128-bit integers.
var pow10 = func() [39]num {
	var p [39]num
	p[0] = decimal128.FromU64(1)
	ten := decimal128.FromU64(10)
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1].Mul(ten)
	}
	return p
}()

// pow10i64 holds 10^0 .. 10^18.
var pow10i64 = func() [19]int64 {
	var p [19]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// isInt64 reports whether n fits in an int64.
func isInt64(n num) bool { return n.HighBits() == int64(n.LowBits())>>63 }

// fromI64 is decimal128.FromI64 without the branches.
func fromI64(v int64) num { return decimal128.New(v>>63, uint64(v)) }

// add128 returns a+b and whether the sum overflowed 128 bits.
func add128(a, b num) (num, bool) {
	lo, c := bits.Add64(a.LowBits(), b.LowBits(), 0)
	hi, _ := bits.Add64(uint64(a.HighBits()), uint64(b.HighBits()), c)
	r := decimal128.New(int64(hi), lo)
	ovf := (a.HighBits()^r.HighBits())&(b.HighBits()^r.HighBits()) < 0
	return r, ovf
}

// sub128 returns a-b and whether the difference overflowed 128 bits.
func sub128(a, b num) (num, bool) {
	lo, c := bits.Sub64(a.LowBits(), b.LowBits(), 0)
	hi, _ := bits.Sub64(uint64(a.HighBits()), uint64(b.HighBits()), c)
	r := decimal128.New(int64(hi), lo)
	ovf := (a.HighBits()^b.HighBits())&(a.HighBits()^r.HighBits()) < 0
	return r, ovf
}

// uabs returns |n| as an unsigned 128-bit (hi, lo) and n's sign.
func uabs(n num) (hi, lo uint64, neg bool) {
	if n.HighBits() < 0 {
		n = n.Negate()
		return uint64(n.HighBits()), n.LowBits(), true
	}
	return uint64(n.HighBits()), n.LowBits(), false
}

// fromUabs builds a signed value from a magnitude; ok is false if it does not fit.
func fromUabs(hi, lo uint64, neg bool) (num, bool) {
	if hi>>63 != 0 {
		// Only -2^127 fits, and no decimal precision allows it.
		return num{}, false
	}
	r := decimal128.New(int64(hi), lo)
	if neg {
		r = r.Negate()
	}
	return r, true
}

// mul128 returns a*b and whether it overflowed 128 bits.
func mul128(a, b num) (num, bool) {
	if isInt64(a) && isInt64(b) {
		x, y := int64(a.LowBits()), int64(b.LowBits())
		hi, lo := bits.Mul64(uint64(abs64(x)), uint64(abs64(y)))
		r, ok := fromUabs(hi, lo, (x < 0) != (y < 0))
		return r, !ok
	}
	ah, al, an := uabs(a)
	bh, bl, bn := uabs(b)
	if ah != 0 && bh != 0 {
		return num{}, true
	}
	// (ah*2^64 + al) * (bh*2^64 + bl) with at most one of ah, bh nonzero.
	h1, l1 := bits.Mul64(al, bl)
	c1h, c1 := bits.Mul64(ah, bl)
	c2h, c2 := bits.Mul64(al, bh)
	if c1h != 0 || c2h != 0 {
		return num{}, true
	}
	hi, carry := bits.Add64(h1, c1, 0)
	if carry != 0 {
		return num{}, true
	}
	hi, carry = bits.Add64(hi, c2, 0)
	if carry != 0 {
		return num{}, true
	}
	r, ok := fromUabs(hi, l1, an != bn)
	return r, !ok
}

// abs64 returns |x| (wrapping for MinInt64, whose magnitude as uint64 is still right).
func abs64(x int64) int64 {
	m := x >> 63
	return (x ^ m) - m
}

// scaleUp returns n*10^k, and whether that overflowed 128 bits.
func scaleUp(n num, k int32) (num, bool) {
	if k == 0 {
		return n, false
	}
	if k > 38 {
		return num{}, n.Sign() != 0
	}
	return mul128(n, pow10[k])
}

// divRound returns a/b rounded half away from zero. b must not be zero; ok is false when the
// quotient overflows (only for -2^127 / -1, which no decimal precision holds).
func divRound(a, b num) (num, bool) {
	if isInt64(a) && isInt64(b) {
		x, y := int64(a.LowBits()), int64(b.LowBits())
		if !(x == -1<<63 && y == -1) {
			q, r := x/y, x%y
			if r != 0 && uint64(abs64(r)) >= uint64(abs64(y))-uint64(abs64(r)) {
				if (x < 0) != (y < 0) {
					q--
				} else {
					q++
				}
			}
			return fromI64(q), true
		}
	}
	ah, al, an := uabs(a)
	bh, bl, bn := uabs(b)
	if bh == 0 {
		// 128 / 64 bit division by long division over two words.
		qh, r := ah/bl, ah%bl
		ql, r := bits.Div64(r, al, bl)
		// Round half away from zero: r >= bl - r.
		if r >= bl-r {
			var c uint64
			ql, c = bits.Add64(ql, 1, 0)
			qh += c
		}
		return fromUabs(qh, ql, an != bn)
	}
	return divRoundBig(a.BigInt(), b.BigInt())
}

// divRoundBig divides with math/big for operands beyond 64 bits.
func divRoundBig(x, y *big.Int) (num, bool) {
	q, r := new(big.Int).QuoRem(x, y, new(big.Int))
	if r.Sign() != 0 {
		r2 := new(big.Int).Abs(r)
		r2.Lsh(r2, 1)
		if r2.Cmp(new(big.Int).Abs(y)) >= 0 {
			if (x.Sign() < 0) != (y.Sign() < 0) {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	if q.BitLen() > 127 {
		return num{}, false
	}
	return decimal128.FromBigInt(q), true
}

// scaleDown divides n by 10^k rounding half away from zero.
func scaleDown(n num, k int32) num {
	if k <= 0 {
		return n
	}
	if k > 38 {
		return num{}
	}
	r, _ := divRound(n, pow10[k])
	return r
}

// truncDown divides n by 10^k truncating toward zero.
func truncDown(n num, k int32) num {
	if k <= 0 {
		return n
	}
	if k > 38 {
		return num{}
	}
	if isInt64(n) && k <= 18 {
		return fromI64(int64(n.LowBits()) / pow10i64[k])
	}
	q, _ := n.Div(pow10[k])
	return q
}

// rescale converts n from scale from to scale to (rounding half away from zero when the
// scale shrinks); ok is false on 128-bit overflow.
func rescale(n num, from, to int32) (num, bool) {
	if to >= from {
		r, ovf := scaleUp(n, to-from)
		return r, !ovf
	}
	return scaleDown(n, from-to), true
}

// fitsPrecision reports whether |n| < 10^p.
func fitsPrecision(n num, p int32) bool {
	if p <= 0 {
		p = 38
	}
	if p >= 39 {
		return true
	}
	if isInt64(n) {
		if p > 18 {
			return true
		}
		v := int64(n.LowBits())
		return v < pow10i64[p] && v > -pow10i64[p]
	}
	lim := pow10[p]
	return n.Less(lim) && n.Greater(lim.Negate())
}

// cmpScaled compares a (scale sa) with b (scale sb).
func cmpScaled(a num, sa int32, b num, sb int32) int {
	if sa == sb {
		return a.Cmp(b)
	}
	if sa < sb {
		as, ovf := scaleUp(a, sb-sa)
		if ovf {
			return a.Sign() // |a| scaled exceeds any 128-bit b
		}
		return as.Cmp(b)
	}
	bs, ovf := scaleUp(b, sa-sb)
	if ovf {
		return -b.Sign()
	}
	return a.Cmp(bs)
}

// appendDecimal appends n with exactly scale fractional digits, as PostgreSQL prints
// numeric ("0.50", "-12", "0.001").
func appendDecimal(buf []byte, n num, scale int32) []byte {
	hi, lo, neg := uabs(n)
	var tmp [48]byte
	digits := appendU128(tmp[:0], hi, lo)
	if neg {
		buf = append(buf, '-')
	}
	if scale <= 0 {
		buf = append(buf, digits...)
		for i := int32(0); i < -scale && !(len(digits) == 1 && digits[0] == '0'); i++ {
			buf = append(buf, '0')
		}
		return buf
	}
	s := int(scale)
	if len(digits) <= s {
		buf = append(buf, '0', '.')
		for i := len(digits); i < s; i++ {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	}
	buf = append(buf, digits[:len(digits)-s]...)
	buf = append(buf, '.')
	return append(buf, digits[len(digits)-s:]...)
}

// appendU128 appends the decimal digits of the unsigned 128-bit value hi:lo.
func appendU128(buf []byte, hi, lo uint64) []byte {
	if hi == 0 {
		return strconv.AppendUint(buf, lo, 10)
	}
	// Split off the low 19 digits: hi:lo = q*10^19 + r.
	const e19 = 10000000000000000000
	qh := hi / e19
	r := hi % e19
	ql, r := bits.Div64(r, lo, e19)
	buf = appendU128(buf, qh, ql)
	var pad [19]byte
	d := strconv.AppendUint(pad[:0], r, 10)
	for i := len(d); i < 19; i++ {
		buf = append(buf, '0')
	}
	return append(buf, d...)
}

// decimalToFloat converts n at scale s to the nearest float64.
func decimalToFloat(n num, s int32) float64 {
	if isInt64(n) {
		v := int64(n.LowBits())
		if v < 1<<53 && v > -(1<<53) && s >= 0 && s <= 22 {
			// Both operands are exact, so one division rounds correctly.
			return float64(v) / float64pow10[s]
		}
	}
	var tmp [48]byte
	f, _ := strconv.ParseFloat(string(appendDecimal(tmp[:0], n, s)), 64)
	return f
}

var float64pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// mulPow10Big returns n * 10^k as a big.Int.
func mulPow10Big(n num, k int32) *big.Int {
	return new(big.Int).Mul(n.BigInt(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil))
}
