package function

import (
	"encoding/hex"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/quarrydb/quarry/types"
)

// Text output of values in PostgreSQL 15's format (DateStyle ISO, IntervalStyle postgres,
// extra_float_digits 1, bytea_output hex). Casts to text use these, and pgwire reuses them
// for the text wire format through NewFormatter with FormatOptions.WireBool.

// FormatOptions adjusts the output of NewFormatter.
type FormatOptions struct {
	// Location is the session time zone for timestamptz output; nil means UTC.
	Location *time.Location
	// WireBool prints booleans as PostgreSQL's output function does ("t"/"f") instead of
	// the text cast's "true"/"false".
	WireBool bool
}

// FormatValue appends the text of row i of arr, of SQL type t, to buf. The row must not be
// NULL. It resolves the array's type on every call; use NewFormatter for a whole column.
func FormatValue(buf []byte, arr arrow.Array, i int, t types.T) []byte {
	return NewFormatter(arr, t, FormatOptions{})(buf, i)
}

// NewFormatter returns a function that appends the text of a non-NULL row of arr (of SQL
// type t) to buf. The array's concrete type is resolved once, so the per-row call is cheap.
// Types without a text form yet (maps, structs) format as empty.
func NewFormatter(arr arrow.Array, t types.T, opt FormatOptions) func(buf []byte, i int) []byte {
	switch t.Kind {
	case types.Bool:
		a := arr.(*array.Boolean)
		if opt.WireBool {
			return func(buf []byte, i int) []byte {
				if a.Value(i) {
					return append(buf, 't')
				}
				return append(buf, 'f')
			}
		}
		return func(buf []byte, i int) []byte { return AppendBool(buf, a.Value(i)) }
	case types.Int16:
		v := fixedValues[int16](arr)
		return func(buf []byte, i int) []byte { return strconv.AppendInt(buf, int64(v[i]), 10) }
	case types.Int32:
		v := fixedValues[int32](arr)
		return func(buf []byte, i int) []byte { return strconv.AppendInt(buf, int64(v[i]), 10) }
	case types.Int64:
		v := fixedValues[int64](arr)
		return func(buf []byte, i int) []byte { return strconv.AppendInt(buf, v[i], 10) }
	case types.Float32:
		v := fixedValues[float32](arr)
		return func(buf []byte, i int) []byte { return AppendFloat32(buf, v[i]) }
	case types.Float64:
		v := fixedValues[float64](arr)
		return func(buf []byte, i int) []byte { return AppendFloat64(buf, v[i]) }
	case types.Decimal:
		v := fixedValues[decimal128.Num](arr)
		s := arr.DataType().(*arrow.Decimal128Type).Scale
		return func(buf []byte, i int) []byte { return AppendNumeric(buf, v[i], s) }
	case types.Varchar, types.JSON, types.Unknown:
		v := viewBytes(arr)
		return func(buf []byte, i int) []byte { return append(buf, v.at(i)...) }
	case types.Bytea:
		v := viewBytes(arr)
		return func(buf []byte, i int) []byte { return AppendBytea(buf, v.at(i)) }
	case types.Date:
		v := fixedValues[int32](arr)
		return func(buf []byte, i int) []byte { return AppendDate(buf, v[i]) }
	case types.Time:
		v := fixedValues[int64](arr)
		return func(buf []byte, i int) []byte { return AppendTime(buf, v[i]) }
	case types.Timestamp:
		v := fixedValues[int64](arr)
		return func(buf []byte, i int) []byte { return AppendTimestamp(buf, v[i]) }
	case types.TimestampTZ:
		v := fixedValues[int64](arr)
		loc := opt.Location
		return func(buf []byte, i int) []byte { return AppendTimestampTZ(buf, v[i], loc) }
	case types.Interval:
		v := fixedValues[arrow.MonthDayNanoInterval](arr)
		return func(buf []byte, i int) []byte { return AppendInterval(buf, v[i]) }
	case types.UUID:
		v := arr.(*array.FixedSizeBinary)
		return func(buf []byte, i int) []byte { return AppendUUID(buf, v.Value(i)) }
	case types.Array:
		return newArrayFormatter(arr, t, opt)
	}
	return func(buf []byte, i int) []byte { return buf }
}

// AppendBool appends "true" or "false" (boolean cast to text).
func AppendBool(buf []byte, v bool) []byte {
	if v {
		return append(buf, "true"...)
	}
	return append(buf, "false"...)
}

// AppendFloat64 appends f as PostgreSQL 12+ prints double precision: the shortest text that
// reads back exactly, in positional notation for decimal exponents -4..14 and otherwise in
// exponent notation with at least two exponent digits ("1e+20", "1.5e-07").
func AppendFloat64(buf []byte, f float64) []byte { return appendFloat(buf, f, 64, 15) }

// AppendFloat32 appends f as PostgreSQL prints real (positional for exponents -4..5).
func AppendFloat32(buf []byte, f float32) []byte { return appendFloat(buf, float64(f), 32, 6) }

func appendFloat(buf []byte, f float64, bitSize, fixedBelow int) []byte {
	switch {
	case math.IsNaN(f):
		return append(buf, "NaN"...)
	case math.IsInf(f, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(f, -1):
		return append(buf, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(buf, "-0"...)
		}
		return append(buf, '0')
	}
	start := len(buf)
	buf = strconv.AppendFloat(buf, f, 'e', -1, bitSize)
	exp := 0
	for j := len(buf) - 1; j > start; j-- {
		if buf[j] == 'e' {
			exp, _ = strconv.Atoi(string(buf[j+1:]))
			break
		}
	}
	if exp < -4 || exp >= fixedBelow {
		return buf
	}
	return strconv.AppendFloat(buf[:start], f, 'f', -1, bitSize)
}

// AppendNumeric appends a DECIMAL value with exactly scale fractional digits ("1.50").
func AppendNumeric(buf []byte, n decimal128.Num, scale int32) []byte {
	return appendDecimal(buf, n, scale)
}

// appendInt appends v zero-padded to at least width digits (v >= 0).
func appendInt(buf []byte, v int64, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], v, 10)
	for i := len(d); i < width; i++ {
		buf = append(buf, '0')
	}
	return append(buf, d...)
}

// appendYMD appends a date as YYYY-MM-DD and reports whether it is BC.
func appendYMD(buf []byte, days int64) ([]byte, bool) {
	y, m, d := civilFromDays(days)
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	buf = appendInt(buf, y, 4)
	buf = append(buf, '-')
	buf = appendInt(buf, m, 2)
	buf = append(buf, '-')
	return appendInt(buf, d, 2), bc
}

// AppendDate appends a date (days since 1970-01-01) as "2020-01-02" ("0044-03-15 BC").
func AppendDate(buf []byte, days int32) []byte {
	buf, bc := appendYMD(buf, int64(days))
	if bc {
		buf = append(buf, " BC"...)
	}
	return buf
}

// appendClock appends µs within a day (or an interval's time, non-negative) as HH:MM:SS
// with the fraction's trailing zeros trimmed.
func appendClock(buf []byte, us int64) []byte {
	buf = appendInt(buf, us/usPerHour, 2)
	buf = append(buf, ':')
	buf = appendInt(buf, us/usPerMinute%60, 2)
	buf = append(buf, ':')
	buf = appendInt(buf, us/usPerSecond%60, 2)
	if frac := us % usPerSecond; frac != 0 {
		w := 6
		for frac%10 == 0 {
			frac /= 10
			w--
		}
		buf = append(buf, '.')
		buf = appendInt(buf, frac, w)
	}
	return buf
}

// AppendTime appends a time of day (µs since midnight) as "13:04:05.5".
func AppendTime(buf []byte, us int64) []byte { return appendClock(buf, us) }

// AppendTimestamp appends a timestamp (µs since the epoch) as "2020-01-02 03:04:05.123".
func AppendTimestamp(buf []byte, us int64) []byte {
	days, tod := splitTimestamp(us)
	buf, bc := appendYMD(buf, days)
	buf = append(buf, ' ')
	buf = appendClock(buf, tod)
	if bc {
		buf = append(buf, " BC"...)
	}
	return buf
}

// AppendTimestampTZ appends a timestamptz in loc (nil = UTC) with its UTC offset as
// PostgreSQL prints it: "+00", "+05:30", "-03:00:15".
func AppendTimestampTZ(buf []byte, us int64, loc *time.Location) []byte {
	off := int64(0)
	if loc != nil && loc != time.UTC {
		_, o := time.Unix(floorDiv(us, usPerSecond), 0).In(loc).Zone()
		off = int64(o)
	}
	days, tod := splitTimestamp(us + off*usPerSecond)
	buf, bc := appendYMD(buf, days)
	buf = append(buf, ' ')
	buf = appendClock(buf, tod)
	if off < 0 {
		buf = append(buf, '-')
		off = -off
	} else {
		buf = append(buf, '+')
	}
	buf = appendInt(buf, off/3600, 2)
	if off%3600 != 0 {
		buf = append(buf, ':')
		buf = appendInt(buf, off/60%60, 2)
		if off%60 != 0 {
			buf = append(buf, ':')
			buf = appendInt(buf, off%60, 2)
		}
	}
	if bc {
		buf = append(buf, " BC"...)
	}
	return buf
}

// AppendInterval appends an interval in IntervalStyle postgres: "1 year 2 mons 3 days
// 04:05:06", "-1 days", "00:00:00". Nanoseconds are truncated to PostgreSQL's µs.
func AppendInterval(buf []byte, v arrow.MonthDayNanoInterval) []byte {
	years := int64(v.Months / 12)
	mons := int64(v.Months % 12)
	isZero, isBefore := true, false
	part := func(val int64, unit string) {
		if val == 0 {
			return
		}
		if !isZero {
			buf = append(buf, ' ')
		}
		if isBefore && val > 0 {
			buf = append(buf, '+')
		}
		buf = strconv.AppendInt(buf, val, 10)
		buf = append(buf, ' ')
		buf = append(buf, unit...)
		if val != 1 {
			buf = append(buf, 's')
		}
		isBefore = val < 0
		isZero = false
	}
	part(years, "year")
	part(mons, "mon")
	part(int64(v.Days), "day")
	us := v.Nanoseconds / nsPerUs
	if isZero || us != 0 {
		if !isZero {
			buf = append(buf, ' ')
		}
		switch {
		case us < 0:
			buf = append(buf, '-')
			us = -us
		case isBefore:
			buf = append(buf, '+')
		}
		buf = appendClock(buf, us)
	}
	return buf
}

// AppendBytea appends bytes in bytea's hex output format ("\x0a1b").
func AppendBytea(buf []byte, b []byte) []byte {
	buf = append(buf, '\\', 'x')
	return hex.AppendEncode(buf, b)
}

// AppendUUID appends a 16-byte UUID as "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".
func AppendUUID(buf []byte, b []byte) []byte {
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			buf = append(buf, '-')
		}
		buf = append(buf, hexDigits[c>>4], hexDigits[c&15])
	}
	return buf
}

const hexDigits = "0123456789abcdef"
