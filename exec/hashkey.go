package exec

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// appendKeys appends the group-key encoding of every row of col to keys[row]. Equal SQL
// values (for grouping: NULLs equal each other, -0 equals 0, NaNs equal each other) get equal
// bytes; the type switch runs once per column per batch.
func appendKeys(keys [][]byte, col arrow.Array) error {
	n := col.Len()
	// Every value gets a validity byte, also in a batch without NULLs, so that a value's
	// bytes do not depend on whether its batch holds a NULL (a group would otherwise split
	// in two across batches).
	const nulls = true
	put := func(i int, b []byte) {
		if nulls {
			if col.IsNull(i) {
				keys[i] = append(keys[i], 0)
				return
			}
			keys[i] = append(keys[i], 1)
		}
		keys[i] = append(keys[i], b...)
	}
	var buf [16]byte
	switch a := col.(type) {
	case *array.Boolean:
		for i := 0; i < n; i++ {
			buf[0] = 0
			if a.Value(i) {
				buf[0] = 1
			}
			put(i, buf[:1])
		}
	case *array.Int16:
		for i, v := range a.Int16Values() {
			binary.LittleEndian.PutUint16(buf[:], uint16(v))
			put(i, buf[:2])
		}
	case *array.Int32:
		for i, v := range a.Int32Values() {
			binary.LittleEndian.PutUint32(buf[:], uint32(v))
			put(i, buf[:4])
		}
	case *array.Int64:
		for i, v := range a.Int64Values() {
			binary.LittleEndian.PutUint64(buf[:], uint64(v))
			put(i, buf[:8])
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			binary.LittleEndian.PutUint32(buf[:], uint32(v))
			put(i, buf[:4])
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			binary.LittleEndian.PutUint64(buf[:], uint64(v))
			put(i, buf[:8])
		}
	case *array.Time64:
		for i, v := range a.Time64Values() {
			binary.LittleEndian.PutUint64(buf[:], uint64(v))
			put(i, buf[:8])
		}
	case *array.Float32:
		for i, v := range a.Float32Values() {
			binary.LittleEndian.PutUint64(buf[:], floatKey(float64(v)))
			put(i, buf[:8])
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			binary.LittleEndian.PutUint64(buf[:], floatKey(v))
			put(i, buf[:8])
		}
	case *array.Decimal128:
		for i := 0; i < n; i++ {
			v := a.Value(i)
			binary.LittleEndian.PutUint64(buf[:], v.LowBits())
			binary.LittleEndian.PutUint64(buf[8:], uint64(v.HighBits()))
			put(i, buf[:16])
		}
	case *array.String:
		for i := 0; i < n; i++ {
			s := a.Value(i)
			binary.LittleEndian.PutUint32(buf[:], uint32(len(s)))
			if nulls && a.IsNull(i) {
				keys[i] = append(keys[i], 0)
				continue
			}
			if nulls {
				keys[i] = append(keys[i], 1)
			}
			keys[i] = append(keys[i], buf[:4]...)
			keys[i] = append(keys[i], s...)
		}
	case *array.Binary:
		for i := 0; i < n; i++ {
			s := a.Value(i)
			binary.LittleEndian.PutUint32(buf[:], uint32(len(s)))
			if nulls && a.IsNull(i) {
				keys[i] = append(keys[i], 0)
				continue
			}
			if nulls {
				keys[i] = append(keys[i], 1)
			}
			keys[i] = append(keys[i], buf[:4]...)
			keys[i] = append(keys[i], s...)
		}
	case *array.MonthDayNanoInterval:
		for i := 0; i < n; i++ {
			v := a.Value(i)
			binary.LittleEndian.PutUint32(buf[:], uint32(v.Months))
			binary.LittleEndian.PutUint32(buf[4:], uint32(v.Days))
			binary.LittleEndian.PutUint64(buf[8:], uint64(v.Nanoseconds))
			put(i, buf[:16])
		}
	case *array.FixedSizeBinary:
		for i := 0; i < n; i++ {
			put(i, a.Value(i))
		}
	case *array.Null:
		for i := 0; i < n; i++ {
			keys[i] = append(keys[i], 0)
		}
	case *array.List:
		// Arrays (decorrelated subqueries correlated on an array column): the element count,
		// then each element's length-prefixed key (which carries its own validity byte).
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				keys[i] = append(keys[i], 0)
				continue
			}
			start, end := a.ValueOffsets(i)
			binary.LittleEndian.PutUint32(buf[:], uint32(end-start))
			keys[i] = append(append(keys[i], 1), buf[:4]...)
			if end == start {
				continue
			}
			sub := array.NewSlice(a.ListValues(), start, end)
			elems := make([][]byte, end-start)
			err := appendKeys(elems, sub)
			sub.Release()
			if err != nil {
				return err
			}
			for _, e := range elems {
				binary.LittleEndian.PutUint32(buf[:], uint32(len(e)))
				keys[i] = append(append(keys[i], buf[:4]...), e...)
			}
		}
	default:
		return fmt.Errorf("grouping by %s is not supported yet", col.DataType())
	}
	return nil
}

func floatKey(v float64) uint64 {
	if v == 0 {
		return 0
	}
	if math.IsNaN(v) {
		return 0x7ff8000000000001
	}
	return math.Float64bits(v)
}
