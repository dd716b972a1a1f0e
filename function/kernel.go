package function

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The helpers in this file are the plumbing every kernel shares: typed views of argument
// buffers, the combined validity of strict functions, and result arrays built straight from
// buffers (no per-value builder calls).

// mem returns the allocator kernels allocate results from.
func (c *Context) mem() memory.Allocator {
	if c == nil || c.Alloc == nil {
		return memory.DefaultAllocator
	}
	return c.Alloc
}

// fixedValues returns the values of a fixed-width array as a []T view of its data buffer,
// adjusted for the array's offset. T must match the array's physical width.
func fixedValues[T arrow.FixedWidthType](a arrow.Array) []T {
	d := a.Data()
	bufs := d.Buffers()
	if len(bufs) < 2 || bufs[1] == nil || d.Len() == 0 {
		return nil
	}
	return arrow.GetData[T](bufs[1].Bytes())[d.Offset() : d.Offset()+d.Len()]
}

// validityOf returns a's validity bitmap and its bit offset; nil when a has no nulls.
// allNull is true for arrays that are entirely NULL without a bitmap (arrow.Null).
func validityOf(a arrow.Array) (bm []byte, off int, allNull bool) {
	if a.NullN() == 0 {
		return nil, 0, false
	}
	d := a.Data()
	bufs := d.Buffers()
	if len(bufs) == 0 || bufs[0] == nil {
		return nil, 0, true
	}
	return bufs[0].Bytes(), d.Offset(), false
}

// newBitmap returns a zeroed bitmap buffer of n bits.
func newBitmap(mem memory.Allocator, n int) *memory.Buffer {
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(int(bitutil.BytesForBits(int64(n))))
	clear(buf.Bytes())
	return buf
}

// andValidity returns the validity of a strict function's result over args (a row is valid
// when every argument is) as a new bitmap with offset 0, and its null count. It returns nil
// and 0 when no argument has a NULL, which is the common case and costs nothing.
func andValidity(mem memory.Allocator, args []arrow.Array, n int) (*memory.Buffer, int) {
	var out *memory.Buffer
	for _, a := range args {
		bm, off, allNull := validityOf(a)
		if allNull {
			if out != nil {
				out.Release()
			}
			return newBitmap(mem, n), n
		}
		if bm == nil {
			continue
		}
		if out == nil {
			out = newBitmap(mem, n)
			bitutil.CopyBitmap(bm, off, n, out.Bytes(), 0)
			continue
		}
		bitutil.BitmapAnd(out.Bytes(), bm, 0, int64(off), out.Bytes(), 0, int64(n))
	}
	if out == nil {
		return nil, 0
	}
	return out, n - bitutil.CountSetBits(out.Bytes(), 0, n)
}

// validAt reports whether row i of a result bitmap from andValidity is valid.
func validAt(v *memory.Buffer, i int) bool {
	return v == nil || bitutil.BitIsSet(v.Bytes(), i)
}

// argValid reports whether row i of a is not NULL.
func argValid(a arrow.Array, i int) bool { return a.IsValid(i) }

// newFixed allocates the data buffer of a fixed-width result of n values.
func newFixed[T arrow.FixedWidthType](mem memory.Allocator, n int) (*memory.Buffer, []T) {
	var z T
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(n * int(unsafe.Sizeof(z)))
	if n == 0 {
		return buf, nil
	}
	return buf, arrow.GetData[T](buf.Bytes())[:n]
}

// makeArray wraps result buffers into an array of type dt, taking over the caller's
// references to validity and data.
func makeArray(dt arrow.DataType, n int, validity, data *memory.Buffer, nulls int) arrow.Array {
	d := array.NewData(dt, n, []*memory.Buffer{validity, data}, nil, nulls, 0)
	arr := array.MakeFromData(d)
	d.Release()
	if validity != nil {
		validity.Release()
	}
	data.Release()
	return arr
}

// makeNulls returns an all-NULL array of type dt and length n.
func makeNulls(mem memory.Allocator, dt arrow.DataType, n int) arrow.Array {
	return array.MakeArrayOfNull(mem, dt, n)
}

// b2u converts a bool to 0/1 without a branch (the compiler emits SETcc).
func b2u(b bool) uint8 {
	var r uint8
	if b {
		r = 1
	}
	return r
}

// boolOut accumulates a bitmap of results one bit at a time.
type boolOut struct {
	bits []byte
	acc  uint8
}

func (o *boolOut) set(i int, v bool) {
	o.acc |= b2u(v) << (i & 7)
	if i&7 == 7 {
		o.bits[i>>3] = o.acc
		o.acc = 0
	}
}

// flush writes the last partial byte after n values.
func (o *boolOut) flush(n int) {
	if n&7 != 0 {
		o.bits[n>>3] = o.acc
	}
}

// boolValues unpacks a Boolean array's values into a bitmap view and offset.
func boolBits(a arrow.Array) ([]byte, int) {
	d := a.Data()
	if b := d.Buffers()[1]; b != nil {
		return b.Bytes(), d.Offset()
	}
	// An empty array may come without a values buffer (a scan of a table with no rows).
	return nil, d.Offset()
}

// releaseAll releases arrays built on an error path.
func releaseAll(arrs ...arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// releaseBuf releases a buffer that may be nil.
func releaseBuf(b *memory.Buffer) {
	if b != nil {
		b.Release()
	}
}
