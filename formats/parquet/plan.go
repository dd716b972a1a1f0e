package parquet

import (
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/parquet-go/parquet-go/format"
	"github.com/quarrydb/quarry/types"
)

// newSink returns the sink that reads file column fc as the table's type t, or false when t
// cannot hold fc's values. The conversions allowed are the ones that lose nothing (or, for
// decimals scaled down and integers read as double, what a SQL cast would do): a narrower
// type, a string read as a number or a timestamp read as a date are refused, as Athena
// refuses them.
func newSink(fc *fileColumn, t types.T) (sink, bool) {
	dt := t.Arrow()
	phys, ann := fc.physical, fc.ann
	isInt := ann == annNone || ann == annInt // a plain integer, not a date, time or decimal
	unsigned := ann == annInt && !fc.signed
	switch t.Kind {
	case types.Bool:
		if phys == format.Boolean && ann == annNone {
			return &boolSink{}, true
		}
	case types.Int16:
		if phys == format.Int32 && ann == annInt && (fc.bitWidth <= 8 || fc.bitWidth <= 16 && fc.signed) {
			return newFixed(dt, fromInt32[int16]), true
		}
	case types.Int32:
		if phys == format.Int32 && (ann == annNone || ann == annInt && (fc.signed || fc.bitWidth <= 16)) {
			return newFixed(dt, copyInt32), true
		}
	case types.Int64:
		switch {
		case phys == format.Int32 && unsigned:
			return newFixed(dt, fromUint32[int64]), true
		case phys == format.Int32 && isInt:
			return newFixed(dt, fromInt32[int64]), true
		case phys == format.Int64 && unsigned:
			return newFixed(dt, uint64ToInt64), true
		case phys == format.Int64 && isInt:
			return newFixed(dt, copyInt64), true
		}
	case types.Float32:
		switch {
		case phys == format.Float && ann == annNone:
			return newFixed(dt, copyFloat), true
		case isFloat16(fc):
			return newFixed(dt, fromFloat16[float32]), true
		}
	case types.Float64:
		switch {
		case phys == format.Double && ann == annNone:
			return newFixed(dt, copyDouble), true
		case phys == format.Float && ann == annNone:
			return newFixed(dt, floatToDouble), true
		case isFloat16(fc):
			return newFixed(dt, fromFloat16[float64]), true
		case phys == format.Int32 && unsigned:
			return newFixed(dt, fromUint32[float64]), true
		case phys == format.Int32 && isInt:
			return newFixed(dt, fromInt32[float64]), true
		case phys == format.Int64 && unsigned:
			return newFixed(dt, fromUint64Float), true
		case phys == format.Int64 && isInt:
			return newFixed(dt, fromInt64[float64]), true
		}
	case types.Decimal:
		if conv := decimalConv(fc, t); conv != nil {
			return newFixed(dt, conv), true
		}
	case types.Varchar, types.JSON, types.Unknown:
		if phys == format.ByteArray && (ann == annNone || ann == annString || ann == annEnum || ann == annJSON) {
			return &bytesSink{dt: dt}, true
		}
	case types.Bytea:
		if ann != annDecimal && (phys == format.ByteArray || phys == format.FixedLenByteArray) {
			return &bytesSink{dt: dt, fixed: phys == format.FixedLenByteArray}, true
		}
	case types.Date:
		if phys == format.Int32 && ann == annDate {
			return newFixed(dt, copyInt32), true
		}
	case types.Time:
		switch {
		case phys == format.Int32 && ann == annTime && fc.unit == unitMillis:
			return newFixed(dt, scaleInt32(1000)), true
		case phys == format.Int64 && ann == annTime && fc.unit == unitMicros:
			return newFixed(dt, copyInt64), true
		case phys == format.Int64 && ann == annTime && fc.unit == unitNanos:
			return newFixed(dt, nanosToMicros), true
		}
	case types.Timestamp, types.TimestampTZ:
		// The stored instant is kept as is; whether the file says isAdjustedToUTC only
		// matters to the table's choice between the two types.
		switch {
		case phys == format.Int64 && ann == annTimestamp && fc.unit == unitMillis:
			return newFixed(dt, scaleInt64(1000)), true
		case phys == format.Int64 && ann == annTimestamp && fc.unit == unitMicros:
			return newFixed(dt, copyInt64), true
		case phys == format.Int64 && ann == annTimestamp && fc.unit == unitNanos:
			return newFixed(dt, nanosToMicros), true
		case phys == format.Int96 && ann == annNone:
			return newFixed(dt, int96ToMicros), true
		case phys == format.Int32 && ann == annDate:
			return newFixed(dt, scaleInt32(86_400_000_000)), true
		}
	case types.UUID:
		if phys == format.FixedLenByteArray && fc.typeLen == 16 && (ann == annNone || ann == annUUID) {
			return newFixed(dt, copyFixed16), true
		}
	}
	return nil, false
}

func isFloat16(fc *fileColumn) bool {
	return fc.physical == format.FixedLenByteArray && fc.typeLen == 2 && fc.ann == annFloat16
}

// decimalConv returns the conversion of fc to DECIMAL(p, s): a file decimal is rescaled, an
// integer is scaled.
func decimalConv(fc *fileColumn, t types.T) convFunc[decimal128.Num] {
	to := t.Scale
	if fc.ann == annDecimal {
		d := to - fc.scale
		if d > decimal128.MaxScale || d < -decimal128.MaxScale {
			return nil
		}
		switch fc.physical {
		case format.Int32:
			return decFromInt32(d)
		case format.Int64:
			return decFromInt64(d)
		case format.FixedLenByteArray:
			if fc.typeLen > 0 {
				return decFromFixed(d)
			}
		case format.ByteArray:
			return decFromBytes(d)
		}
		return nil
	}
	if (fc.ann != annNone && fc.ann != annInt) || to < 0 || to > decimal128.MaxScale {
		return nil
	}
	unsigned := fc.ann == annInt && !fc.signed
	switch {
	case fc.physical == format.Int32 && unsigned:
		return decFromUint32(to)
	case fc.physical == format.Int32:
		return decFromInt32(to)
	case fc.physical == format.Int64 && unsigned:
		return decFromUint64(to)
	case fc.physical == format.Int64:
		return decFromInt64(to)
	}
	return nil
}
