package pgwire

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/quarrydb/quarry/types"
)

// Text encoding: Arrow values to the exact text PostgreSQL 15 prints with its default
// settings (DateStyle ISO, IntervalStyle postgres, extra_float_digits 1, bytea_output hex,
// TimeZone UTC).
//
// Work is done a batch at a time: newTextAppender type-switches once per column per batch
// and returns a closure typed for that array, which DataRow encoding then calls per value.

// textAppender appends the text form of row i and reports true, or appends nothing and
// reports false when the value is NULL.
type textAppender func(dst []byte, i int) ([]byte, bool)

// nullable wraps f, which assumes a valid value, with the array's null check; arrays
// without nulls skip the check.
func nullable(arr arrow.Array, f func(dst []byte, i int) []byte) textAppender {
	if arr.NullN() == 0 {
		return func(dst []byte, i int) ([]byte, bool) { return f(dst, i), true }
	}
	return func(dst []byte, i int) ([]byte, bool) {
		if arr.IsNull(i) {
			return dst, false
		}
		return f(dst, i), true
	}
}

// newTextAppender returns the appender for one column of one batch. t is the column's SQL
// type; it decides between readings of the same Arrow layout (uuid or bytea for 16-byte
// fixed binary, text or bytea for binary, json for structs and maps).
func newTextAppender(t types.T, arr arrow.Array) (textAppender, error) {
	if t.Kind == types.JSON || t.Kind == types.Map || t.Kind == types.Struct {
		switch arr.(type) {
		case *array.String, *array.LargeString, *array.StringView, *array.Binary, *array.LargeBinary:
			// Already JSON text.
		default:
			return newJSONAppender(arr)
		}
	}
	switch a := arr.(type) {
	case *array.Null:
		return func(dst []byte, _ int) ([]byte, bool) { return dst, false }, nil
	case *array.Boolean:
		return nullable(a, func(dst []byte, i int) []byte {
			if a.Value(i) {
				return append(dst, 't')
			}
			return append(dst, 'f')
		}), nil
	case *array.Int8:
		return nullable(a, func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }), nil
	case *array.Int16:
		return nullable(a, func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }), nil
	case *array.Int32:
		return nullable(a, func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }), nil
	case *array.Int64:
		return nullable(a, func(dst []byte, i int) []byte { return strconv.AppendInt(dst, a.Value(i), 10) }), nil
	case *array.Uint8:
		return nullable(a, func(dst []byte, i int) []byte { return strconv.AppendUint(dst, uint64(a.Value(i)), 10) }), nil
	case *array.Uint16:
		return nullable(a, func(dst []byte, i int) []byte { return strconv.AppendUint(dst, uint64(a.Value(i)), 10) }), nil
	case *array.Uint32:
		return nullable(a, func(dst []byte, i int) []byte { return strconv.AppendUint(dst, uint64(a.Value(i)), 10) }), nil
	case *array.Uint64:
		return nullable(a, func(dst []byte, i int) []byte { return strconv.AppendUint(dst, a.Value(i), 10) }), nil
	case *array.Float16:
		return nullable(a, func(dst []byte, i int) []byte { return appendFloat4(dst, a.Value(i).Float32()) }), nil
	case *array.Float32:
		return nullable(a, func(dst []byte, i int) []byte { return appendFloat4(dst, a.Value(i)) }), nil
	case *array.Float64:
		return nullable(a, func(dst []byte, i int) []byte { return appendFloat8(dst, a.Value(i)) }), nil
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return nullable(a, func(dst []byte, i int) []byte { return appendDecimal128(dst, a.Value(i), scale) }), nil
	case *array.Decimal256:
		scale := a.DataType().(*arrow.Decimal256Type).Scale
		return nullable(a, func(dst []byte, i int) []byte { return appendDecimal256(dst, a.Value(i), scale) }), nil
	case *array.String:
		return nullable(a, func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }), nil
	case *array.LargeString:
		return nullable(a, func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }), nil
	case *array.StringView:
		return nullable(a, func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }), nil
	case *array.Binary:
		return binaryAppender(t, a, a.Value), nil
	case *array.LargeBinary:
		return binaryAppender(t, a, a.Value), nil
	case *array.BinaryView:
		return binaryAppender(t, a, a.Value), nil
	case *array.FixedSizeBinary:
		if t.Kind == types.UUID && a.DataType().(*arrow.FixedSizeBinaryType).ByteWidth == 16 {
			return nullable(a, func(dst []byte, i int) []byte { return appendUUID(dst, a.Value(i)) }), nil
		}
		return binaryAppender(t, a, a.Value), nil
	case *array.Dictionary:
		inner, err := newTextAppender(t, a.Dictionary())
		if err != nil {
			return nil, err
		}
		return func(dst []byte, i int) ([]byte, bool) {
			if a.IsNull(i) {
				return dst, false
			}
			return inner(dst, a.GetValueIndex(i))
		}, nil
	}
	if app, ok, err := newTemporalAppender(t, arr); ok {
		return app, err
	}
	if app, ok, err := newNestedAppender(t, arr); ok {
		return app, err
	}
	return nil, fmt.Errorf("pgwire: cannot encode Arrow %s as %s", arr.DataType(), t)
}

// binaryAppender prints binary data as bytea's hex form, or as is when the column is
// textual (a reader may hand text over as Arrow binary).
func binaryAppender(t types.T, arr arrow.Array, value func(int) []byte) textAppender {
	if t.Kind == types.Varchar || t.Kind == types.JSON || t.Kind == types.Unknown {
		return nullable(arr, func(dst []byte, i int) []byte { return append(dst, value(i)...) })
	}
	return nullable(arr, func(dst []byte, i int) []byte { return appendBytea(dst, value(i)) })
}

func appendBytea(dst, b []byte) []byte {
	dst = append(dst, '\\', 'x')
	return hex.AppendEncode(dst, b)
}

func appendUUID(dst, b []byte) []byte {
	dst = hex.AppendEncode(dst, b[0:4])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, b[4:6])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, b[6:8])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, b[8:10])
	dst = append(dst, '-')
	return hex.AppendEncode(dst, b[10:16])
}

// appendFloat8 and appendFloat4 print as PostgreSQL 12+ does with extra_float_digits >= 1:
// the shortest digits that read back to the same value (Ryu there, strconv here: both are
// shortest-round-trip), fixed notation when the decimal exponent is in [-4, 15) for float8
// and [-4, 6) for float4 (printf's %g thresholds at DBL_DIG and FLT_DIG), exponent notation
// with at least two exponent digits otherwise; NaN, Infinity, -Infinity, and -0.
func appendFloat8(dst []byte, f float64) []byte { return appendFloat(dst, f, 64, 15) }
func appendFloat4(dst []byte, f float32) []byte { return appendFloat(dst, float64(f), 32, 6) }

func appendFloat(dst []byte, f float64, bitSize, fixedBelow int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'e', -1, bitSize)
	if exp := decimalExponent(dst[start:]); exp >= -4 && exp < fixedBelow {
		dst = strconv.AppendFloat(dst[:start], f, 'f', -1, bitSize)
	}
	return dst
}

// decimalExponent reads the exponent of strconv's 'e' format ("-1.5e-07" is -7).
func decimalExponent(s []byte) int {
	i := len(s) - 1
	for i >= 0 && s[i] != 'e' {
		i--
	}
	exp := 0
	for _, ch := range s[i+2:] {
		exp = exp*10 + int(ch-'0')
	}
	if s[i+1] == '-' {
		exp = -exp
	}
	return exp
}

// appendDecimal128 prints n/10^scale with exactly scale fractional digits, as numeric does.
func appendDecimal128(dst []byte, n decimal128.Num, scale int32) []byte {
	neg := n.Sign() < 0
	if neg {
		n = n.Negate()
	}
	var buf [40]byte
	digits := appendUint128(buf[:0], uint64(n.HighBits()), n.LowBits())
	return appendScaled(dst, neg, digits, scale)
}

func appendDecimal256(dst []byte, n decimal256.Num, scale int32) []byte {
	v := n.BigInt()
	neg := v.Sign() < 0
	var buf [80]byte
	digits := new(big.Int).Abs(v).Append(buf[:0], 10)
	return appendScaled(dst, neg, digits, scale)
}

// appendUint128 appends the decimal digits of hi<<64|lo, working in base-10^19 chunks.
func appendUint128(dst []byte, hi, lo uint64) []byte {
	const chunk = 1e19
	var parts [2]uint64 // 2^128 < 10^39, so at most two chunks below the leading one
	n := 0
	for hi != 0 {
		var r uint64
		qhi := hi / chunk
		lo, r = bits.Div64(hi%chunk, lo, chunk)
		hi = qhi
		parts[n] = r
		n++
	}
	dst = strconv.AppendUint(dst, lo, 10)
	for n--; n >= 0; n-- {
		var tmp [20]byte
		s := strconv.AppendUint(tmp[:0], parts[n], 10)
		for range 19 - len(s) {
			dst = append(dst, '0')
		}
		dst = append(dst, s...)
	}
	return dst
}

// appendScaled places a decimal point scale digits from the right of digits (an unsigned
// integer's decimal digits), padding with zeros; a negative scale multiplies by 10^-scale.
func appendScaled(dst []byte, neg bool, digits []byte, scale int32) []byte {
	if neg {
		dst = append(dst, '-')
	}
	if scale <= 0 {
		dst = append(dst, digits...)
		if len(digits) == 1 && digits[0] == '0' {
			return dst
		}
		for range -scale {
			dst = append(dst, '0')
		}
		return dst
	}
	s := int(scale)
	if len(digits) <= s {
		dst = append(dst, '0', '.')
		for range s - len(digits) {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-s]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-s:]...)
}
