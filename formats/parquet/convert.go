package parquet

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow-go/v18/arrow/float16"
	"github.com/parquet-go/parquet-go/encoding"
)

// A convFunc converts len(dst) consecutive values of a page, starting at value i, into the
// table's type. It is called once per run of values (a page, or the part of one that fits a
// batch), so its loop runs over concrete slices; the caller has checked that the page holds
// the values. An error is a value the table's type cannot hold.
type convFunc[T any] func(dst []T, v *encoding.Values, i int) error

// The integer and float types a page's numbers widen to.
type number interface {
	~int16 | ~int32 | ~int64 | ~float32 | ~float64
}

func copyInt32(dst []int32, v *encoding.Values, i int) error {
	copy(dst, v.Int32()[i:])
	return nil
}

func copyInt64(dst []int64, v *encoding.Values, i int) error {
	copy(dst, v.Int64()[i:])
	return nil
}

func copyFloat(dst []float32, v *encoding.Values, i int) error {
	copy(dst, v.Float()[i:])
	return nil
}

func copyDouble(dst []float64, v *encoding.Values, i int) error {
	copy(dst, v.Double()[i:])
	return nil
}

func fromInt32[T number](dst []T, v *encoding.Values, i int) error {
	src := v.Int32()[i : i+len(dst)]
	for j, x := range src {
		dst[j] = T(x)
	}
	return nil
}

func fromUint32[T number](dst []T, v *encoding.Values, i int) error {
	src := v.Uint32()[i : i+len(dst)]
	for j, x := range src {
		dst[j] = T(x)
	}
	return nil
}

func fromInt64[T number](dst []T, v *encoding.Values, i int) error {
	src := v.Int64()[i : i+len(dst)]
	for j, x := range src {
		dst[j] = T(x)
	}
	return nil
}

func fromUint64Float(dst []float64, v *encoding.Values, i int) error {
	src := v.Uint64()[i : i+len(dst)]
	for j, x := range src {
		dst[j] = float64(x)
	}
	return nil
}

// uint64ToInt64 reads UINT_64 as bigint, failing on values above 2^63-1.
func uint64ToInt64(dst []int64, v *encoding.Values, i int) error {
	src := v.Uint64()[i : i+len(dst)]
	for j, x := range src {
		if x > math.MaxInt64 {
			return errOutOfRange
		}
		dst[j] = int64(x)
	}
	return nil
}

func floatToDouble(dst []float64, v *encoding.Values, i int) error {
	src := v.Float()[i : i+len(dst)]
	for j, x := range src {
		dst[j] = float64(x)
	}
	return nil
}

// fromFloat16 reads FLOAT16 (two little-endian bytes in a FIXED_LEN_BYTE_ARRAY(2)).
func fromFloat16[T ~float32 | ~float64](dst []T, v *encoding.Values, i int) error {
	data, size := v.FixedLenByteArray()
	data = data[i*size : (i+len(dst))*size]
	for j := range dst {
		dst[j] = T(float16.FromBits(binary.LittleEndian.Uint16(data[2*j:])).Float32())
	}
	return nil
}

// scaleInt32 multiplies INT32 values into int64 (TIME millis → micros, DATE → timestamp).
func scaleInt32(factor int64) convFunc[int64] {
	return func(dst []int64, v *encoding.Values, i int) error {
		src := v.Int32()[i : i+len(dst)]
		for j, x := range src {
			dst[j] = int64(x) * factor
		}
		return nil
	}
}

// scaleInt64 multiplies INT64 values (TIMESTAMP millis → micros).
func scaleInt64(factor int64) convFunc[int64] {
	return func(dst []int64, v *encoding.Values, i int) error {
		src := v.Int64()[i : i+len(dst)]
		for j, x := range src {
			dst[j] = x * factor
		}
		return nil
	}
}

// nanosToMicros divides INT64 nanoseconds to microseconds, rounding toward minus infinity so
// that instants before 1970 keep their order.
func nanosToMicros(dst []int64, v *encoding.Values, i int) error {
	src := v.Int64()[i : i+len(dst)]
	for j, x := range src {
		q := x / 1000
		if x%1000 < 0 {
			q--
		}
		dst[j] = q
	}
	return nil
}

// julianUnixEpoch is the Julian day number of 1970-01-01, the origin of INT96 timestamps.
const julianUnixEpoch = 2440588

// int96ToMicros reads the legacy INT96 timestamps of Impala, Hive and Spark: eight bytes of
// nanoseconds within the day, then four bytes of Julian day, little-endian, both signed. The
// arithmetic wraps in 64 bits exactly as Spark's reader does, so that the out-of-range
// instants Spark writes read back as Spark reads them.
func int96ToMicros(dst []int64, v *encoding.Values, i int) error {
	src := v.Int96()[i : i+len(dst)]
	for j, x := range src {
		nanos := int64(uint64(x[1])<<32 | uint64(x[0]))
		dst[j] = (int64(int32(x[2]))-julianUnixEpoch)*86_400_000_000 + nanos/1000
	}
	return nil
}

// copyFixed16 reads FIXED_LEN_BYTE_ARRAY(16) values (UUID).
func copyFixed16(dst [][16]byte, v *encoding.Values, i int) error {
	data, _ := v.FixedLenByteArray()
	data = data[i*16 : (i+len(dst))*16]
	for j := range dst {
		copy(dst[j][:], data[16*j:])
	}
	return nil
}
