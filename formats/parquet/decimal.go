package parquet

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/parquet-go/parquet-go/encoding"
)

// errOutOfRange is a value the table's type cannot hold (a UINT_64 above 2^63-1 read as
// bigint, a decimal that overflows 38 digits when rescaled). The column reader reports it as
// SQLSTATE 22003 naming the file and column.
var errOutOfRange = errors.New("value out of range")

// Decimals are read as Arrow Decimal128 whose memory layout is decimal128.Num's: the low
// 64 bits, then the high 64 bits, little-endian. A file's DECIMAL(p1,s1) read as a table's
// DECIMAL(p2,s2) is rescaled: multiplied up exactly (overflow is an error) or divided down
// rounding half away from zero, as Trino's cast does. The declared precision is not enforced
// on read.

// rescale changes n's scale by d (to - from).
func rescale(n decimal128.Num, d int32) (decimal128.Num, error) {
	switch {
	case d > 0:
		if !n.FitsInPrecision(decimal128.MaxPrecision - d) {
			return n, errOutOfRange
		}
		return n.Mul(decimal128.GetScaleMultiplier(int(d))), nil
	case d < 0:
		q, r := n.Div(decimal128.GetScaleMultiplier(int(-d)))
		if !r.Abs().Less(decimal128.GetHalfScaleMultiplier(int(-d))) {
			q = q.Add(decimal128.FromI64(int64(n.Sign())))
		}
		return q, nil
	}
	return n, nil
}

// pow10 holds the powers of ten that fit an int64, for the integer fast path.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// rescaleInt64 is rescale for values that start as int64; it stays in int64 arithmetic when
// the result fits, which is the common case of small decimals and of integers read as decimal.
func rescaleInt64(x int64, d int32) (decimal128.Num, error) {
	switch {
	case d == 0:
		return decimal128.FromI64(x), nil
	case d > 0 && d < 19:
		if m := pow10[d]; x <= math.MaxInt64/m && x >= -(math.MaxInt64/m) {
			return decimal128.FromI64(x * m), nil
		}
	case d < 0 && d > -19:
		m := pow10[-d]
		q, r := x/m, x%m
		if r < 0 {
			r = -r
		}
		if r >= m/2 {
			if x < 0 {
				q--
			} else {
				q++
			}
		}
		return decimal128.FromI64(q), nil
	}
	return rescale(decimal128.FromI64(x), d)
}

// decFromInt32 reads INT32 values holding a decimal of scale from (0 for plain integers).
func decFromInt32(d int32) convFunc[decimal128.Num] {
	return func(dst []decimal128.Num, v *encoding.Values, i int) (err error) {
		src := v.Int32()[i : i+len(dst)]
		if d == 0 {
			for j, x := range src {
				dst[j] = decimal128.New(int64(x>>31), uint64(int64(x)))
			}
			return nil
		}
		for j, x := range src {
			if dst[j], err = rescaleInt64(int64(x), d); err != nil {
				return err
			}
		}
		return nil
	}
}

// decFromUint32 reads UINT_8/16/32 values as a decimal of scale d.
func decFromUint32(d int32) convFunc[decimal128.Num] {
	return func(dst []decimal128.Num, v *encoding.Values, i int) (err error) {
		src := v.Uint32()[i : i+len(dst)]
		for j, x := range src {
			if dst[j], err = rescaleInt64(int64(x), d); err != nil {
				return err
			}
		}
		return nil
	}
}

// decFromInt64 reads INT64 values holding a decimal (or an integer) and rescales by d.
func decFromInt64(d int32) convFunc[decimal128.Num] {
	return func(dst []decimal128.Num, v *encoding.Values, i int) (err error) {
		src := v.Int64()[i : i+len(dst)]
		if d == 0 {
			for j, x := range src {
				dst[j] = decimal128.New(x>>63, uint64(x)) // sign-extended, without FromI64's branches
			}
			return nil
		}
		for j, x := range src {
			if dst[j], err = rescaleInt64(x, d); err != nil {
				return err
			}
		}
		return nil
	}
}

// decFromUint64 reads UINT_64 values as a decimal of scale d.
func decFromUint64(d int32) convFunc[decimal128.Num] {
	return func(dst []decimal128.Num, v *encoding.Values, i int) (err error) {
		src := v.Uint64()[i : i+len(dst)]
		for j, x := range src {
			if dst[j], err = rescale(decimal128.FromU64(x), d); err != nil {
				return err
			}
		}
		return nil
	}
}

// decFromFixed reads FIXED_LEN_BYTE_ARRAY decimals: big-endian two's complement.
func decFromFixed(d int32) convFunc[decimal128.Num] {
	return func(dst []decimal128.Num, v *encoding.Values, i int) (err error) {
		data, size := v.FixedLenByteArray()
		data = data[i*size : (i+len(dst))*size]
		for j := range dst {
			n, ok := bigEndianNum(data[j*size : (j+1)*size])
			if !ok {
				return errOutOfRange
			}
			if dst[j], err = rescale(n, d); err != nil {
				return err
			}
		}
		return nil
	}
}

// decFromBytes reads BYTE_ARRAY decimals: big-endian two's complement of any length.
func decFromBytes(d int32) convFunc[decimal128.Num] {
	return func(dst []decimal128.Num, v *encoding.Values, i int) (err error) {
		data, offsets := v.ByteArray()
		offsets = offsets[i : i+len(dst)+1]
		for j := range dst {
			lo, hi := offsets[j], offsets[j+1]
			if lo > hi || int(hi) > len(data) {
				return errCorruptPage
			}
			n, ok := bigEndianNum(data[lo:hi])
			if !ok {
				return errOutOfRange
			}
			if dst[j], err = rescale(n, d); err != nil {
				return err
			}
		}
		return nil
	}
}

// bigEndianNum decodes a big-endian two's complement integer of up to 16 bytes (or longer,
// when the extra leading bytes only extend the sign).
func bigEndianNum(b []byte) (decimal128.Num, bool) {
	if len(b) == 0 {
		return decimal128.Num{}, true
	}
	var sign byte
	if b[0]&0x80 != 0 {
		sign = 0xff
	}
	for len(b) > 16 {
		if b[0] != sign {
			return decimal128.Num{}, false
		}
		b = b[1:]
	}
	if len(b) == 16 && (b[0]^sign)&0x80 != 0 { // sign changed after dropping extension bytes
		return decimal128.Num{}, false
	}
	var buf [16]byte
	if sign != 0 {
		buf = [16]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	}
	copy(buf[16-len(b):], b)
	return decimal128.New(int64(binary.BigEndian.Uint64(buf[:8])), binary.BigEndian.Uint64(buf[8:])), true
}
