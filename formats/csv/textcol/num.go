package textcol

import (
	"math"
	"math/bits"
	"strconv"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// status is the outcome of parsing one value.
type status uint8

const (
	stOK       status = iota
	stSyntax          // not a value of the type: 22P02
	stRange           // a number out of the type's range: 22003
	stOverflow        // a decimal with too many integer digits: 22003
	stDateTime        // a date/time field out of range (Feb 30): 22008
)

// trimSpace drops the ASCII white space PostgreSQL allows around non-string input.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// parseInt parses a decimal integer in [lo, hi] without converting b to a string.
func parseInt(b []byte, lo, hi int64) (int64, status) {
	if len(b) == 0 || isSpace(b[0]) || isSpace(b[len(b)-1]) {
		b = trimSpace(b)
	}
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, stSyntax
	}
	var u uint64
	if len(b) <= 18 { // cannot overflow: 10^18 < 2^63
		for _, c := range b {
			d := c - '0'
			if d > 9 {
				return 0, stSyntax
			}
			u = u*10 + uint64(d)
		}
	} else {
		for _, c := range b {
			d := c - '0'
			if d > 9 {
				return 0, stSyntax
			}
			if u > (math.MaxUint64-uint64(d))/10 {
				// Keep scanning: a later non-digit makes it a syntax error, as in PostgreSQL.
				for _, c := range b {
					if c-'0' > 9 {
						return 0, stSyntax
					}
				}
				return 0, stRange
			}
			u = u*10 + uint64(d)
		}
	}
	if neg {
		if u > uint64(-lo) {
			return 0, stRange
		}
		return -int64(u), stOK
	}
	if u > uint64(hi) {
		return 0, stRange
	}
	return int64(u), stOK
}

// integralNumber parses a JSON number such as 1.0 or 1e3 whose value is a whole number.
func integralNumber(b []byte, lo, hi int64) (int64, status) {
	n, st := parseDecimal(b, 19, 0, false, true)
	if st != stOK {
		if st == stOverflow {
			return 0, stRange
		}
		return 0, st
	}
	if n.HighBits() != 0 && n.HighBits() != -1 {
		return 0, stRange
	}
	v := int64(n.LowBits())
	if (n.HighBits() < 0) != (v < 0) {
		return 0, stRange
	}
	if v < lo || v > hi {
		return 0, stRange
	}
	return v, stOK
}

// parseFloat parses a float as PostgreSQL's float8in does: decimal notation, exponents,
// NaN and [+-]Infinity in any case. Hexadecimal floats, which strconv would take, are not
// PostgreSQL input.
func parseFloat(b []byte, bitSize int) (float64, status) {
	b = trimSpace(b)
	if len(b) == 0 {
		return 0, stSyntax
	}
	for _, c := range b {
		if c == 'x' || c == 'X' || c == '_' {
			return 0, stSyntax
		}
	}
	// strconv does not keep its argument (its errors copy it), so a string header over b is
	// safe and saves an allocation per value.
	f, err := strconv.ParseFloat(unsafe.String(&b[0], len(b)), bitSize)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, stRange
		}
		return 0, stSyntax
	}
	return f, stOK
}

// parseBool accepts PostgreSQL's boolean input: true/false, yes/no, on/off, 1/0 and the
// one-letter forms t/f/y/n, in any case.
func parseBool(b []byte) (bool, status) {
	b = trimSpace(b)
	if len(b) > 5 {
		return false, stSyntax
	}
	var lower [5]byte
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	switch string(lower[:len(b)]) {
	case "t", "true", "y", "yes", "on", "1":
		return true, stOK
	case "f", "false", "n", "no", "off", "0":
		return false, stOK
	}
	return false, stSyntax
}

// u128 is an unsigned 128-bit magnitude.
type u128 struct{ hi, lo uint64 }

func (a u128) mulAdd(m, d uint64) u128 {
	hi, lo := bits.Mul64(a.lo, m)
	lo, carry := bits.Add64(lo, d, 0)
	return u128{hi: a.hi*m + hi + carry, lo: lo}
}

func (a u128) less(b u128) bool { return a.hi < b.hi || (a.hi == b.hi && a.lo < b.lo) }

// pow10 holds 10^0 .. 10^38.
var pow10 = func() (p [39]u128) {
	p[0] = u128{lo: 1}
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1].mulAdd(10, 0)
	}
	return p
}()

// parseDecimal parses a decimal number exactly into a DECIMAL(prec, scale) unscaled value:
// "1234.5" into (15,2) is 123450. Digits beyond the scale are rounded half away from zero, as
// PostgreSQL's numeric input does; a value needing more than prec-scale integer digits is
// stOverflow. An exponent (1.5e3) is accepted. prec 0 means 38. With trim false the input
// must have no surrounding space. With exact, a value that would need rounding is stSyntax
// (an integer column given 2.5).
func parseDecimal(b []byte, prec, scale int32, trim, exact bool) (decimal128.Num, status) {
	if trim {
		b = trimSpace(b)
	}
	if prec <= 0 || prec > 38 {
		prec = 38
	}
	if v, ok := decimalFast(b, prec, scale); ok {
		return v, stOK
	}
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	// First pass: find the mantissa's digits and the exponent, validating the syntax.
	i := 0
	intStart := i
	for i < len(b) && b[i]-'0' <= 9 {
		i++
	}
	intEnd := i
	fracStart, fracEnd := i, i
	if i < len(b) && b[i] == '.' {
		i++
		fracStart = i
		for i < len(b) && b[i]-'0' <= 9 {
			i++
		}
		fracEnd = i
	}
	if intEnd == intStart && fracEnd == fracStart {
		return decimal128.Num{}, stSyntax
	}
	exp := 0
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		eneg := false
		if i < len(b) && (b[i] == '-' || b[i] == '+') {
			eneg = b[i] == '-'
			i++
		}
		if i == len(b) {
			return decimal128.Num{}, stSyntax
		}
		for ; i < len(b); i++ {
			d := b[i] - '0'
			if d > 9 {
				return decimal128.Num{}, stSyntax
			}
			if exp < 100000 {
				exp = exp*10 + int(d)
			}
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(b) {
		return decimal128.Num{}, stSyntax
	}

	// The mantissa M is the digits of both parts; the value is M × 10^(exp-len(frac)) and the
	// unscaled result M × 10^k.
	nInt, nFrac := intEnd-intStart, fracEnd-fracStart
	k := exp - nFrac + int(scale)
	keep := nInt + nFrac // mantissa digits that survive the scaling
	if k < 0 {
		keep += k
	}
	var m u128
	sig := 0 // significant digits accumulated so far
	for j := 0; j < keep && j < nInt+nFrac; j++ {
		d := digitAt(b, j, intStart, nInt, fracStart)
		if sig == 0 && d == 0 {
			continue
		}
		sig++
		if sig > 38 {
			return decimal128.Num{}, stOverflow
		}
		m = m.mulAdd(10, uint64(d))
	}
	if k > 0 {
		if sig > 0 && sig+k > 38 {
			return decimal128.Num{}, stOverflow
		}
		for k > 0 && sig > 0 {
			step := min(k, 19) // 10^19 is the largest power of ten in 64 bits
			m = m.mulAdd(pow10[step].lo, 0)
			k -= step
		}
	} else if k < 0 && keep < nInt+nFrac {
		if exact {
			for j := max(keep, 0); j < nInt+nFrac; j++ {
				if digitAt(b, j, intStart, nInt, fracStart) != 0 {
					return decimal128.Num{}, stSyntax
				}
			}
		}
		// Round half away from zero on the first dropped digit.
		if keep >= 0 && digitAt(b, keep, intStart, nInt, fracStart) >= 5 {
			m = m.mulAdd(1, 1)
		}
	}
	if !m.less(pow10[prec]) {
		return decimal128.Num{}, stOverflow
	}
	n := decimal128.New(int64(m.hi), m.lo)
	if neg {
		n = n.Negate()
	}
	return n, stOK
}

// decimalFast parses the common case in one pass: [-+]digits[.digits] with at most 18 digits
// and no more fraction digits than the scale. ok is false for anything else, which the
// general path then handles (or rejects).
func decimalFast(b []byte, prec, scale int32) (decimal128.Num, bool) {
	if len(b) == 0 || len(b) > 19 {
		return decimal128.Num{}, false
	}
	neg := b[0] == '-'
	if neg || b[0] == '+' {
		b = b[1:]
	}
	var u uint64
	frac := int32(-1) // digits after the point, -1 before it
	nd := 0
	for _, c := range b {
		if d := c - '0'; d <= 9 {
			u = u*10 + uint64(d)
			nd++
			if frac >= 0 {
				frac++
			}
			continue
		}
		if c != '.' || frac >= 0 {
			return decimal128.Num{}, false
		}
		frac = 0
	}
	if nd == 0 || nd > 18 {
		return decimal128.Num{}, false
	}
	frac = max(frac, 0)
	shift := scale - frac
	if shift < 0 || int(shift)+nd > 18 {
		return decimal128.Num{}, false
	}
	u *= pow10[shift].lo
	if prec < 19 && u >= pow10[prec].lo {
		return decimal128.Num{}, false // the general path reports the overflow
	}
	n := decimal128.FromU64(u)
	if neg {
		n = n.Negate()
	}
	return n, true
}

// digitAt returns the j-th mantissa digit, counting the integer part's digits first.
func digitAt(b []byte, j, intStart, nInt, fracStart int) byte {
	if j < nInt {
		return b[intStart+j] - '0'
	}
	return b[fracStart+j-nInt] - '0'
}
