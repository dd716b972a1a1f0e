package planner

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/types"
)

// NewLiteral builds a literal of type t from a Go value: nil (NULL), bool, int32, int64,
// float64, string, []byte, decimal128.Num (unscaled), arrow.MonthDayNanoInterval.
func NewLiteral(t types.T, v any) *Literal {
	b := array.NewBuilder(memory.DefaultAllocator, t.Arrow())
	defer b.Release()
	if v == nil {
		b.AppendNull()
	} else {
		switch bb := b.(type) {
		case *array.BooleanBuilder:
			bb.Append(v.(bool))
		case *array.Int16Builder:
			bb.Append(int16(toInt64(v)))
		case *array.Int32Builder:
			bb.Append(int32(toInt64(v)))
		case *array.Int64Builder:
			bb.Append(toInt64(v))
		case *array.Float32Builder:
			bb.Append(float32(v.(float64)))
		case *array.Float64Builder:
			bb.Append(v.(float64))
		case *array.StringBuilder:
			bb.Append(v.(string))
		case *array.BinaryBuilder:
			bb.Append(v.([]byte))
		case *array.Decimal128Builder:
			bb.Append(v.(decimal128.Num))
		case *array.Date32Builder:
			bb.Append(arrow.Date32(toInt64(v)))
		case *array.TimestampBuilder:
			bb.Append(arrow.Timestamp(toInt64(v)))
		case *array.Time64Builder:
			bb.Append(arrow.Time64(toInt64(v)))
		case *array.MonthDayNanoIntervalBuilder:
			bb.Append(v.(arrow.MonthDayNanoInterval))
		default:
			b.AppendNull()
		}
	}
	arr := b.NewArray()
	return &Literal{T: t, Value: arr, Text: literalText(t, arr)}
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	}
	panic(fmt.Sprintf("planner: literal value %T is not an integer", v))
}

// literalFromArray wraps a one-element array (a folded constant) as a literal.
func literalFromArray(t types.T, arr arrow.Array) *Literal {
	return &Literal{T: t, Value: arr, Text: literalText(t, arr)}
}

func literalText(t types.T, arr arrow.Array) string {
	if arr.IsNull(0) {
		return "NULL"
	}
	s := string(function.FormatValue(nil, arr, 0, t))
	switch t.Kind {
	case types.Varchar, types.Unknown, types.JSON:
		return "'" + s + "'"
	case types.Date, types.Timestamp, types.TimestampTZ, types.Interval, types.Time:
		return t.PGName() + " '" + s + "'"
	}
	return s
}
