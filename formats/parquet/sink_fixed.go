package parquet

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
)

// fixedSink builds arrays of a fixed-width Arrow type whose values have the memory layout of
// T: int16, int32 (also Date32), int64 (also Time64, Timestamp), float32, float64,
// decimal128.Num and [16]byte (FixedSizeBinary(16)). Values are converted straight into the
// array's value buffer; a dictionary is converted once per column chunk and then gathered.
type fixedSink[T any] struct {
	dt   arrow.DataType
	conv convFunc[T]

	buf *memory.Buffer
	out []T

	dictOf parquet.Dictionary // the dictionary dict was converted from
	dict   []T
}

func newFixed[T any](dt arrow.DataType, conv convFunc[T]) sink {
	return &fixedSink[T]{dt: dt, conv: conv}
}

func (s *fixedSink[T]) begin(alloc memory.Allocator, n int) error {
	var zero T
	s.buf = memory.NewResizableBuffer(alloc)
	s.buf.Resize(n * int(unsafe.Sizeof(zero)))
	s.out = castSlice[T](s.buf.Bytes(), n)
	return nil
}

func (s *fixedSink[T]) take(c *pageCursor, o, k, nv int, defs []byte) error {
	dst := s.out[o : o+nv]
	if c.dict != nil {
		dict, err := s.dictionary(c)
		if err != nil {
			return err
		}
		if !gather(dst, dict, c.codes[c.val:c.val+nv]) {
			return errDictIndex
		}
	} else if err := s.conv(dst, &c.values, c.val); err != nil {
		return err
	}
	if defs != nil {
		expand(s.out[o:o+k], defs, c.maxDef[0], nv)
	}
	return nil
}

// dictionary returns the page's dictionary converted to T, converting it on first use.
func (s *fixedSink[T]) dictionary(c *pageCursor) ([]T, error) {
	if c.dict == s.dictOf {
		return s.dict, nil
	}
	v := c.dict.Page().Data()
	if v.Kind() != c.kind {
		return nil, errCorruptPage
	}
	n := valueCount(&v, c.kind, c.size)
	if n < 0 {
		return nil, errCorruptPage
	}
	n = min(n, c.dict.Len()) // a BOOLEAN dictionary's bytes round its count up
	if cap(s.dict) >= n {
		s.dict = s.dict[:n]
	} else {
		s.dict = make([]T, n)
	}
	if err := s.conv(s.dict, &v, 0); err != nil {
		return nil, err
	}
	s.dictOf = c.dict
	return s.dict, nil
}

func (s *fixedSink[T]) finish(n int, validity *memory.Buffer, nulls int) arrow.Array {
	arr := makeArray(s.dt, n, nulls, validity, s.buf)
	s.buf, s.out = nil, nil
	return arr
}

func (s *fixedSink[T]) discard() {
	if s.buf != nil {
		s.buf.Release()
	}
	s.buf, s.out = nil, nil
}

// makeArray wraps finished buffers in an array, handing the caller's references to it.
func makeArray(dt arrow.DataType, n, nulls int, buffers ...*memory.Buffer) arrow.Array {
	data := array.NewData(dt, n, buffers, nil, nulls, 0)
	for _, b := range buffers {
		if b != nil {
			b.Release() // NewData took its own reference
		}
	}
	arr := array.MakeFromData(data)
	data.Release()
	return arr
}

// castSlice views the first n elements of a buffer's bytes as a []T. Arrow buffers are
// 64-byte aligned, so any T here is aligned.
func castSlice[T any](b []byte, n int) []T {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// boolSink builds Boolean arrays from BOOLEAN pages, whose values parquet-go hands over as
// a bitmap in Arrow's bit order.
type boolSink struct {
	buf  *memory.Buffer
	bits []byte
}

func (s *boolSink) begin(alloc memory.Allocator, n int) error {
	s.buf = memory.NewResizableBuffer(alloc)
	s.buf.Resize(int(bitutil.BytesForBits(int64(n))))
	s.bits = s.buf.Bytes()
	clear(s.bits)
	return nil
}

func (s *boolSink) take(c *pageCursor, o, k, nv int, defs []byte) error {
	var src []byte
	var codes []int32
	if c.dict != nil {
		v := c.dict.Page().Data()
		if v.Kind() != encoding.Boolean || c.dict.Len() > 8*len(v.Boolean()) {
			return errCorruptPage
		}
		src, codes = v.Boolean(), c.codes[c.val:c.val+nv]
		for _, x := range codes {
			if uint32(x) >= uint32(c.dict.Len()) {
				return errDictIndex
			}
		}
	} else {
		src = c.values.Boolean()
		if defs == nil {
			bitutil.CopyBitmap(src, c.val, k, s.bits, o)
			return nil
		}
	}
	j := 0
	for i := range k {
		if defs != nil && defs[i] != c.maxDef[0] {
			continue
		}
		x := c.val + j
		if codes != nil {
			x = int(codes[j])
		}
		if bitutil.BitIsSet(src, x) {
			bitutil.SetBit(s.bits, o+i)
		}
		j++
	}
	return nil
}

func (s *boolSink) finish(n int, validity *memory.Buffer, nulls int) arrow.Array {
	arr := makeArray(arrow.FixedWidthTypes.Boolean, n, nulls, validity, s.buf)
	s.buf, s.bits = nil, nil
	return arr
}

func (s *boolSink) discard() {
	if s.buf != nil {
		s.buf.Release()
	}
	s.buf, s.bits = nil, nil
}
