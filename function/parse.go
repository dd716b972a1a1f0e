package function

import (
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Text input of numbers and booleans with PostgreSQL 15's syntax and error texts. The
// date/time and interval parsers are in parse_datetime.go and parse_interval.go.

// isSpace is PostgreSQL's scanner_isspace.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// intRange returns the bounds of an integer kind.
func intRange(k types.Kind) (lo, hi int64) {
	switch k {
	case types.Int16:
		return math.MinInt16, math.MaxInt16
	case types.Int32:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

// ParseInt parses an integer of kind t (smallint, integer, bigint) as PostgreSQL's int2in,
// int4in and int8in do: optional surrounding white space and sign, decimal digits.
func ParseInt(s string, t types.T) (int64, error) {
	v := trimSpace(s)
	neg := false
	if v != "" && (v[0] == '+' || v[0] == '-') {
		neg = v[0] == '-'
		v = v[1:]
	}
	if v == "" {
		return 0, errSyntax(t, s)
	}
	var u uint64
	over := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, errSyntax(t, s)
		}
		if u > (math.MaxUint64-9)/10 {
			over = true
		}
		u = u*10 + uint64(c-'0')
	}
	lo, hi := intRange(t.Kind)
	if over || (!neg && u > uint64(hi)) || (neg && u > uint64(hi)+1) {
		return 0, errValueRange(t, s)
	}
	if neg {
		r := -int64(u)
		if r < lo {
			return 0, errValueRange(t, s)
		}
		return r, nil
	}
	return int64(u), nil
}

// ParseFloat64 parses double precision input: decimal or exponent notation, NaN, Infinity,
// -Infinity and inf (case-insensitive), with surrounding white space.
func ParseFloat64(s string) (float64, error) { return parseFloat(s, types.Float64T) }

// ParseFloat32 parses real input.
func ParseFloat32(s string) (float32, error) {
	f, err := parseFloat(s, types.Float32T)
	return float32(f), err
}

func parseFloat(s string, t types.T) (float64, error) {
	v := trimSpace(s)
	if v == "" {
		return 0, errSyntax(t, s)
	}
	if c := v[len(v)-1]; c == 'n' || c == 'N' || c == 'f' || c == 'F' || c == 'y' || c == 'Y' {
		// Only the special values end in a letter other than a hex float's digit.
		w, neg := v, false
		if w[0] == '+' || w[0] == '-' {
			neg, w = w[0] == '-', w[1:]
		}
		switch {
		case strings.EqualFold(w, "nan"):
			return math.NaN(), nil
		case strings.EqualFold(w, "infinity"), strings.EqualFold(w, "inf"):
			if neg {
				return math.Inf(-1), nil
			}
			return math.Inf(1), nil
		}
	}
	// strconv accepts forms PostgreSQL rejects (underscores, "0x" integers without an
	// exponent); allow only digits, sign, dot, exponent and hex floats' letters.
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E' ||
			c == 'x' || c == 'X' || c == 'p' || c == 'P' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return 0, errSyntax(t, s)
		}
	}
	bits := 64
	if t.Kind == types.Float32 {
		bits = 32
	}
	f, err := strconv.ParseFloat(v, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, errOutOfRangeText(t, s)
		}
		return 0, errSyntax(t, s)
	}
	if f == 0 && hasNonzeroMantissa(v) {
		return 0, errOutOfRangeText(t, s) // underflow, as strtod's ERANGE in PostgreSQL
	}
	return f, nil
}

// errOutOfRangeText is PostgreSQL's float input range error: "1e400" is out of range for
// type double precision.
func errOutOfRangeText(t types.T, s string) error {
	return newErr22003("\"" + s + "\" is out of range for type " + t.PGName())
}

// hasNonzeroMantissa reports whether a float literal has a nonzero digit before its exponent.
func hasNonzeroMantissa(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == 'e' || c == 'E' || c == 'p' || c == 'P' {
			return false
		}
		if c >= '1' && c <= '9' {
			return true
		}
	}
	return false
}

// ParseBool parses boolean input: t, true, yes, on, 1, f, false, no, off, 0 and unique
// prefixes of the words, case-insensitive, with surrounding white space.
func ParseBool(s string) (bool, error) {
	v := strings.ToLower(trimSpace(s))
	if v != "" {
		switch v[0] {
		case 't':
			if strings.HasPrefix("true", v) {
				return true, nil
			}
		case 'f':
			if strings.HasPrefix("false", v) {
				return false, nil
			}
		case 'y':
			if strings.HasPrefix("yes", v) {
				return true, nil
			}
		case 'n':
			if strings.HasPrefix("no", v) {
				return false, nil
			}
		case 'o':
			if len(v) >= 2 {
				if strings.HasPrefix("on", v) {
					return true, nil
				}
				if strings.HasPrefix("off", v) {
					return false, nil
				}
			}
		case '1':
			if v == "1" {
				return true, nil
			}
		case '0':
			if v == "0" {
				return false, nil
			}
		}
	}
	return false, errSyntax(types.BoolT, s)
}

// ErrDecimalLiteralTooLarge is returned by ParseDecimalLiteral for a literal with more
// than 38 integer digits, which must be typed double precision instead.
var ErrDecimalLiteralTooLarge = sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric literal has more than 38 integer digits")

// decimalText is a parsed numeric literal: value = digits × 10^exp, where digits has no
// leading zeros (none at all for zero). Only the first 40 significant digits are kept:
// a value needing more than 38 overflows, and rounding half away from zero needs only the
// first dropped digit, which is always among them.
type decimalText struct {
	neg bool
	buf [40]byte
	nd  int // number of significant digits, which may exceed len(buf)
	exp int
}

// digits returns the stored significant digits.
func (d *decimalText) digits() []byte { return d.buf[:min(d.nd, len(d.buf))] }

// scanDecimal parses [space][sign]digits[.digits][e[sign]digits][space] without
// allocating.
func scanDecimal(s string) (decimalText, bool) {
	v := trimSpace(s)
	var d decimalText
	if v != "" && (v[0] == '+' || v[0] == '-') {
		d.neg = v[0] == '-'
		v = v[1:]
	}
	seen, dot := false, false
	frac := 0
	i := 0
	for ; i < len(v); i++ {
		c := v[i]
		if c >= '0' && c <= '9' {
			seen = true
			if dot {
				frac++
			}
			if c == '0' && d.nd == 0 {
				continue
			}
			if d.nd < len(d.buf) {
				d.buf[d.nd] = c
			}
			d.nd++
			continue
		}
		if c == '.' && !dot {
			dot = true
			continue
		}
		break
	}
	if !seen {
		return d, false
	}
	exp := 0
	if i < len(v) && (v[i] == 'e' || v[i] == 'E') {
		i++
		eneg := false
		if i < len(v) && (v[i] == '+' || v[i] == '-') {
			eneg = v[i] == '-'
			i++
		}
		if i == len(v) {
			return d, false
		}
		for ; i < len(v); i++ {
			c := v[i]
			if c < '0' || c > '9' {
				return d, false
			}
			if exp < 100000 {
				exp = exp*10 + int(c-'0')
			}
		}
		if eneg {
			exp = -exp
		}
	}
	if i != len(v) {
		return d, false
	}
	d.exp = exp - frac
	return d, true
}

// toScale returns the value rounded half away from zero to scale fractional digits;
// ok is false when it needs more than 38 digits.
func (d *decimalText) toScale(scale int32) (num, bool) {
	digits := d.digits()
	shift := d.exp + int(scale)
	if shift < 0 {
		drop := -shift
		if drop > d.nd {
			return num{}, true // rounds to zero
		}
		keep := d.nd - drop
		if keep > 38 {
			return num{}, false
		}
		up := digits[keep] >= '5'
		n, ok := digitsToNum(digits[:keep], 0)
		if !ok {
			return num{}, false
		}
		if up {
			n, _ = add128(n, fromI64(1))
		}
		if d.neg {
			n = n.Negate()
		}
		return n, true
	}
	if d.nd == 0 {
		return num{}, true
	}
	if d.nd+shift > 38 {
		return num{}, false
	}
	n, ok := digitsToNum(digits, shift)
	if d.neg {
		n = n.Negate()
	}
	return n, ok
}

// digitsToNum converts decimal digits followed by zeros more zeros (at most 38 digits).
func digitsToNum(digits []byte, zeros int) (num, bool) {
	if len(digits)+zeros > 38 {
		return num{}, false
	}
	if len(digits) == 0 {
		return num{}, true
	}
	if len(digits)+zeros <= 18 {
		var u int64
		for _, c := range digits {
			u = u*10 + int64(c-'0')
		}
		return fromI64(u * pow10i64[zeros]), true
	}
	// Chunks of up to 18 digits, each fitting an int64.
	var n num
	for len(digits) > 0 {
		k := min(len(digits), 18)
		var c int64
		for _, ch := range digits[:k] {
			c = c*10 + int64(ch-'0')
		}
		n, _ = mul128(n, fromI64(pow10i64[k]))
		n, _ = add128(n, fromI64(c))
		digits = digits[k:]
	}
	n, ovf := scaleUp(n, int32(zeros))
	return n, !ovf
}

// ParseNumeric parses numeric input and rounds it half away from zero to t's scale. It
// returns 22P02 for bad syntax and 22003 numeric field overflow when the value needs more
// integer digits than t's precision allows (38 for numeric without a precision).
func ParseNumeric(s string, t types.T) (decimal128.Num, error) {
	d, ok := scanDecimal(s)
	if !ok {
		return num{}, errSyntax(t, s)
	}
	n, ok := d.toScale(t.Scale)
	if !ok || !fitsPrecision(n, t.Precision) {
		return num{}, errNumericOverflow(t)
	}
	return n, nil
}

// ParseDecimalLiteral types a numeric literal as the planner sees it ("123.45", "1.5e3",
// ".5"): the scale is the number of fractional digits the literal denotes and the
// precision its number of significant digits (at least the scale, at least 1), so
// 123.45 is numeric(5,2), 0.5 numeric(1,1), 1.50 numeric(3,2), 1e3 numeric(4,0).
// A literal with more than 38 digits keeps its integer digits and is rounded to the
// fractional digits that still fit (numeric(38, 38-intdigits)). A literal with more than 38
// integer digits cannot be a DECIMAL: ParseDecimalLiteral then returns types.Float64T and
// ErrDecimalLiteralTooLarge, and the caller types the literal as double precision with the
// value from ParseFloat64.
func ParseDecimalLiteral(s string) (types.T, decimal128.Num, error) {
	d, ok := scanDecimal(s)
	if !ok {
		return types.T{}, num{}, errSyntax(types.DecimalT(0, 0), s)
	}
	scale := 0
	if d.exp < 0 {
		scale = -d.exp
	}
	prec := d.nd
	if d.exp > 0 && d.nd > 0 {
		prec += d.exp
	}
	if prec < scale {
		prec = scale
	}
	if prec == 0 {
		prec = 1
	}
	if prec > 38 {
		intDigits := prec - scale
		if intDigits > 38 {
			return types.Float64T, num{}, ErrDecimalLiteralTooLarge
		}
		scale = 38 - intDigits
		prec = 38
	}
	if scale > 38 {
		// A literal like 1e-50: all digits are fractional and beyond reach.
		scale = 38
	}
	n, ok := d.toScale(int32(scale))
	if !ok {
		return types.Float64T, num{}, ErrDecimalLiteralTooLarge
	}
	return types.DecimalT(int32(prec), int32(scale)), n, nil
}
