package pgwire

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/types"
)

// Binary encoding: Arrow values to the bytes PostgreSQL 15's *send functions produce, for
// the result columns a client asks in binary format (pgx asks it for every type whose codec
// prefers it; pgJDBC once a statement is prepared).
//
// Like text encoding it works a batch at a time: newBinaryAppender type-switches once per
// column per batch and returns an appender of the same shape as a textAppender (it appends
// the value's bytes, or reports NULL), so DataRow encoding does not care which format a
// column has. Where the binary form is the text (text, varchar, json, and Quarry's structs
// and maps sent as json) the text appender is used as is.

// PostgreSQL counts dates and timestamps from 2000-01-01; Arrow from 1970-01-01.
const (
	pgEpochDays   = 10957
	pgEpochMicros = pgEpochDays * usPerDay
)

// PostgreSQL's NaN is C's NAN, whatever NaN payload a computation produced; Go's math.NaN()
// has another bit pattern.
const (
	canonicalNaN32 = 0x7fc00000
	canonicalNaN64 = 0x7ff8000000000000
)

// binaryEncodable reports whether a column of type t can be sent in binary format. A
// request for binary on any other column is refused at Bind, as PostgreSQL refuses a type
// without a send function.
func binaryEncodable(t types.T) bool {
	switch t.Kind {
	case types.Array:
		e := *t.Elem
		return e.Kind != types.Array && e.Kind != types.Map && e.Kind != types.Struct && binaryEncodable(e)
	case types.Unknown, types.Bool, types.Int16, types.Int32, types.Int64, types.Float32, types.Float64,
		types.Decimal, types.Varchar, types.Bytea, types.Date, types.Time, types.Timestamp,
		types.TimestampTZ, types.Interval, types.JSON, types.UUID, types.Map, types.Struct:
		return true
	}
	return false
}

// newBinaryAppender returns the binary appender for one column of one batch; t is the
// column's SQL type, which decides the wire format (the OID the client was told).
func newBinaryAppender(t types.T, arr arrow.Array) (textAppender, error) {
	if d, ok := arr.(*array.Dictionary); ok {
		inner, err := newBinaryAppender(t, d.Dictionary())
		if err != nil {
			return nil, err
		}
		return func(dst []byte, i int) ([]byte, bool) {
			if d.IsNull(i) {
				return dst, false
			}
			return inner(dst, d.GetValueIndex(i))
		}, nil
	}
	if _, ok := arr.(*array.Null); ok {
		return func(dst []byte, _ int) ([]byte, bool) { return dst, false }, nil
	}
	var app textAppender
	switch t.Kind {
	case types.Unknown, types.Varchar, types.JSON, types.Map, types.Struct:
		return newTextAppender(t, arr)
	case types.Bool:
		if a, ok := arr.(*array.Boolean); ok {
			app = nullable(a, func(dst []byte, i int) []byte {
				if a.Value(i) {
					return append(dst, 1)
				}
				return append(dst, 0)
			})
		}
	case types.Int16:
		if v, ok := intValues(arr); ok {
			app = nullable(arr, func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint16(dst, uint16(v(i))) })
		}
	case types.Int32:
		if v, ok := intValues(arr); ok {
			app = nullable(arr, func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint32(dst, uint32(v(i))) })
		}
	case types.Int64:
		if v, ok := intValues(arr); ok && t.IsReg() {
			// oid and the reg* types are unsigned 32-bit on the wire (types/reg.go).
			app = nullable(arr, func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint32(dst, uint32(v(i))) })
		} else if ok {
			app = nullable(arr, func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint64(dst, uint64(v(i))) })
		}
	case types.Float32:
		if v, ok := floatValues(arr); ok {
			app = nullable(arr, func(dst []byte, i int) []byte {
				f := float32(v(i))
				if f != f {
					return binary.BigEndian.AppendUint32(dst, canonicalNaN32)
				}
				return binary.BigEndian.AppendUint32(dst, math.Float32bits(f))
			})
		}
	case types.Float64:
		if v, ok := floatValues(arr); ok {
			app = nullable(arr, func(dst []byte, i int) []byte {
				f := v(i)
				if f != f {
					return binary.BigEndian.AppendUint64(dst, canonicalNaN64)
				}
				return binary.BigEndian.AppendUint64(dst, math.Float64bits(f))
			})
		}
	case types.Decimal:
		return newNumericAppender(t, arr)
	case types.Bytea:
		if v, ok := bytesValues(arr); ok {
			app = nullable(arr, func(dst []byte, i int) []byte { return append(dst, v(i)...) })
		}
	case types.UUID:
		if a, ok := arr.(*array.FixedSizeBinary); ok && a.DataType().(*arrow.FixedSizeBinaryType).ByteWidth == 16 {
			app = nullable(a, func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) })
		}
	case types.Date:
		app = dateAppender(arr)
	case types.Time:
		app = timeAppender(arr)
	case types.Timestamp, types.TimestampTZ:
		if a, ok := arr.(*array.Timestamp); ok {
			toMicros := unitToMicros(a.DataType().(*arrow.TimestampType).Unit)
			app = nullable(a, func(dst []byte, i int) []byte {
				v := int64(a.Value(i))
				if v != math.MaxInt64 && v != math.MinInt64 { // infinities are the same on both sides
					v = toMicros(v) - pgEpochMicros
				}
				return binary.BigEndian.AppendUint64(dst, uint64(v))
			})
		}
	case types.Interval:
		app = intervalAppender(arr)
	case types.Array:
		return newArrayBinaryAppender(t, arr)
	}
	if app == nil {
		return nil, fmt.Errorf("pgwire: cannot encode Arrow %s as binary %s", arr.DataType(), t)
	}
	return app, nil
}

// intValues reads any Arrow integer array as int64.
func intValues(arr arrow.Array) (func(int) int64, bool) {
	switch a := arr.(type) {
	case *array.Int8:
		return func(i int) int64 { return int64(a.Value(i)) }, true
	case *array.Int16:
		return func(i int) int64 { return int64(a.Value(i)) }, true
	case *array.Int32:
		return func(i int) int64 { return int64(a.Value(i)) }, true
	case *array.Int64:
		return func(i int) int64 { return a.Value(i) }, true
	case *array.Uint8:
		return func(i int) int64 { return int64(a.Value(i)) }, true
	case *array.Uint16:
		return func(i int) int64 { return int64(a.Value(i)) }, true
	case *array.Uint32:
		return func(i int) int64 { return int64(a.Value(i)) }, true
	}
	return nil, false
}

func floatValues(arr arrow.Array) (func(int) float64, bool) {
	switch a := arr.(type) {
	case *array.Float16:
		return func(i int) float64 { return float64(a.Value(i).Float32()) }, true
	case *array.Float32:
		return func(i int) float64 { return float64(a.Value(i)) }, true
	case *array.Float64:
		return a.Value, true
	}
	return nil, false
}

func bytesValues(arr arrow.Array) (func(int) []byte, bool) {
	switch a := arr.(type) {
	case *array.Binary:
		return a.Value, true
	case *array.LargeBinary:
		return a.Value, true
	case *array.BinaryView:
		return a.Value, true
	case *array.FixedSizeBinary:
		return a.Value, true
	case *array.String:
		return func(i int) []byte { return []byte(a.Value(i)) }, true
	}
	return nil, false
}

func dateAppender(arr arrow.Array) textAppender {
	put := func(dst []byte, days int64) []byte { return binary.BigEndian.AppendUint32(dst, uint32(int32(days))) }
	switch a := arr.(type) {
	case *array.Date32:
		return nullable(a, func(dst []byte, i int) []byte {
			d := int32(a.Value(i))
			if d == math.MaxInt32 || d == math.MinInt32 { // date infinities, as in PostgreSQL
				return put(dst, int64(d))
			}
			return put(dst, int64(d)-pgEpochDays)
		})
	case *array.Date64:
		return nullable(a, func(dst []byte, i int) []byte {
			return put(dst, floorDiv(int64(a.Value(i)), 86_400_000)-pgEpochDays)
		})
	}
	return nil
}

func timeAppender(arr arrow.Array) textAppender {
	put := func(dst []byte, us int64) []byte { return binary.BigEndian.AppendUint64(dst, uint64(us)) }
	switch a := arr.(type) {
	case *array.Time32:
		mul := int64(1_000)
		if a.DataType().(*arrow.Time32Type).Unit == arrow.Second {
			mul = usPerSec
		}
		return nullable(a, func(dst []byte, i int) []byte { return put(dst, int64(a.Value(i))*mul) })
	case *array.Time64:
		div := int64(1)
		if a.DataType().(*arrow.Time64Type).Unit == arrow.Nanosecond {
			div = 1_000
		}
		return nullable(a, func(dst []byte, i int) []byte { return put(dst, int64(a.Value(i))/div) })
	}
	return nil
}

// intervalAppender writes interval_send's layout: microseconds (int64), days (int32),
// months (int32).
func intervalAppender(arr arrow.Array) textAppender {
	put := func(dst []byte, months, days int32, us int64) []byte {
		dst = binary.BigEndian.AppendUint64(dst, uint64(us))
		dst = binary.BigEndian.AppendUint32(dst, uint32(days))
		return binary.BigEndian.AppendUint32(dst, uint32(months))
	}
	switch a := arr.(type) {
	case *array.MonthDayNanoInterval:
		return nullable(a, func(dst []byte, i int) []byte {
			v := a.Value(i)
			return put(dst, v.Months, v.Days, v.Nanoseconds/1_000)
		})
	case *array.DayTimeInterval:
		return nullable(a, func(dst []byte, i int) []byte {
			v := a.Value(i)
			return put(dst, 0, v.Days, int64(v.Milliseconds)*1_000)
		})
	case *array.MonthInterval:
		return nullable(a, func(dst []byte, i int) []byte { return put(dst, int32(a.Value(i)), 0, 0) })
	}
	return nil
}

// newNumericAppender encodes decimals as numeric_send does. The value's exact text (which
// the text encoder already prints, whatever the Arrow layout) is converted to base-10000
// digits; the scratch buffer is reused across values.
func newNumericAppender(t types.T, arr arrow.Array) (textAppender, error) {
	text, err := newTextAppender(t, arr)
	if err != nil {
		return nil, err
	}
	var scratch []byte
	return func(dst []byte, i int) ([]byte, bool) {
		var ok bool
		scratch, ok = text(scratch[:0], i)
		if !ok {
			return dst, false
		}
		return appendNumericBinary(dst, scratch), true
	}, nil
}

// numeric sign words (numeric.c).
const (
	numericPos  = 0x0000
	numericNeg  = 0x4000
	numericNaN  = 0xC000
	numericPInf = 0xD000
	numericNInf = 0xF000
)

// appendNumericBinary converts a plain decimal text ("-123.4500", "0.05", "7") to numeric's
// binary form: ndigits, weight, sign, dscale (int16 each), then ndigits base-10000 digits.
// The decimal point falls between digits, so the integer part is padded with zeros on the
// left and the fraction on the right to whole groups of four; leading and trailing zero
// digits are then dropped, as numeric stores them stripped. dscale is the number of
// fractional digits shown. "NaN", "Infinity" and "-Infinity" get their sign words.
func appendNumericBinary(dst, text []byte) []byte {
	switch string(text) {
	case "NaN":
		return appendNumericHeader(dst, 0, 0, numericNaN, 0)
	case "Infinity":
		return appendNumericHeader(dst, 0, 0, numericPInf, 0)
	case "-Infinity":
		return appendNumericHeader(dst, 0, 0, numericNInf, 0)
	}
	sign := uint16(numericPos)
	if len(text) > 0 && text[0] == '-' {
		sign, text = numericNeg, text[1:]
	}
	intPart, frac := text, []byte(nil)
	for i, c := range text {
		if c == '.' {
			intPart, frac = text[:i], text[i+1:]
			break
		}
	}
	for len(intPart) > 0 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	dscale := len(frac)
	padL := (4 - len(intPart)%4) % 4
	weight := (padL+len(intPart))/4 - 1
	// Digits are gathered in a fixed buffer: Decimal128 has at most 39 digits.
	var digits [64]int16
	n := 0
	group, filled := 0, padL
	push := func(c byte) {
		group = group*10 + int(c-'0')
		filled++
		if filled == 4 {
			if n < len(digits) {
				digits[n] = int16(group)
			}
			n++
			group, filled = 0, 0
		}
	}
	for _, c := range intPart {
		push(c)
	}
	for _, c := range frac {
		push(c)
	}
	for filled != 0 {
		push('0')
	}
	n = min(n, len(digits))
	ds := digits[:n]
	for len(ds) > 0 && ds[0] == 0 {
		ds = ds[1:]
		weight--
	}
	for len(ds) > 0 && ds[len(ds)-1] == 0 {
		ds = ds[:len(ds)-1]
	}
	if len(ds) == 0 {
		weight, sign = 0, numericPos
	}
	dst = appendNumericHeader(dst, len(ds), weight, sign, dscale)
	for _, d := range ds {
		dst = binary.BigEndian.AppendUint16(dst, uint16(d))
	}
	return dst
}

func appendNumericHeader(dst []byte, ndigits, weight int, sign uint16, dscale int) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(ndigits))
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(weight)))
	dst = binary.BigEndian.AppendUint16(dst, sign)
	return binary.BigEndian.AppendUint16(dst, uint16(dscale))
}

// newArrayBinaryAppender encodes a list column as array_send does for a one-dimensional
// array: ndim (0 for an empty array, else 1), a has-nulls flag, the element OID, the
// dimension's length and lower bound (1), then each element as a length-prefixed value (-1
// for NULL).
func newArrayBinaryAppender(t types.T, arr arrow.Array) (textAppender, error) {
	a, ok := arr.(array.ListLike)
	if !ok || t.Elem == nil {
		return nil, fmt.Errorf("pgwire: cannot encode Arrow %s as binary %s", arr.DataType(), t)
	}
	elemT := *t.Elem
	elemOID := elemT.OID()
	values := a.ListValues()
	var elem textAppender
	var err error
	if t.OID() == 1009 && elemOID != types.OidText {
		// An element type without an array type of its own is announced as text[] (see
		// types.T.OID), so its elements go as text.
		elemOID = types.OidText
		elem, err = newTextAppender(elemT, values)
	} else {
		elem, err = newBinaryAppender(elemT, values)
	}
	if err != nil {
		return nil, err
	}
	return nullable(arr, func(dst []byte, i int) []byte {
		start, end := a.ValueOffsets(i)
		ndim := uint32(1)
		if end == start {
			ndim = 0
		}
		dst = binary.BigEndian.AppendUint32(dst, ndim)
		hasNull := 0
		for j := start; j < end; j++ {
			if values.IsNull(int(j)) {
				hasNull = 1
				break
			}
		}
		dst = binary.BigEndian.AppendUint32(dst, uint32(hasNull))
		dst = binary.BigEndian.AppendUint32(dst, elemOID)
		if ndim == 0 {
			return dst
		}
		dst = binary.BigEndian.AppendUint32(dst, uint32(end-start))
		dst = binary.BigEndian.AppendUint32(dst, 1)
		for j := start; j < end; j++ {
			at := len(dst)
			dst = append(dst, 0, 0, 0, 0)
			var ok bool
			if dst, ok = elem(dst, int(j)); ok {
				binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
			} else {
				binary.BigEndian.PutUint32(dst[at:], 0xffffffff)
			}
		}
		return dst
	}), nil
}
