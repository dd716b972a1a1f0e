package exec

import (
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Typed gathers for the joins' output. A join emits every output batch by gathering probe
// and build rows by index; Arrow's generic take kernel costs a kernel lookup, an index
// array and several allocations per column per batch, which dominated joins of small
// tables (SQLite's select5.test). These loops copy fixed-width values by their byte width
// (integers, floats, dates, times, timestamps alike) and strings by their bytes; other types
// go to the kernel.

// fastTake gathers rows idx of a (an index of -1 gives NULL), or returns false when a's type
// has no typed loop here.
func fastTake(alloc memory.Allocator, a arrow.Array, idx []int32) (arrow.Array, bool) {
	switch a := a.(type) {
	case *array.String:
		return takeStrings(alloc, a, idx), true
	case *array.Decimal128:
		if len(a.Data().Buffers()) == 2 && a.Data().Buffers()[1] != nil {
			return takeWidth[uint128](alloc, a, idx), true
		}
		return nil, false
	case *array.Boolean, *array.MonthDayNanoInterval:
		return nil, false
	}
	fw, ok := a.DataType().(arrow.FixedWidthDataType)
	if !ok || len(a.Data().Buffers()) != 2 || a.Data().Buffers()[1] == nil {
		return nil, false
	}
	switch fw.BitWidth() {
	case 8:
		return takeWidth[uint8](alloc, a, idx), true
	case 16:
		return takeWidth[uint16](alloc, a, idx), true
	case 32:
		return takeWidth[uint32](alloc, a, idx), true
	case 64:
		return takeWidth[uint64](alloc, a, idx), true
	}
	return nil, false
}

// uint128 is a 16-byte value (a decimal128), copied whole.
type uint128 struct{ lo, hi uint64 }

// bytesAs views an Arrow value buffer as T values (Arrow buffers are 64-byte aligned).
func bytesAs[T any](b []byte) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if len(b) < size {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/size)
}

// takeWidth gathers a fixed-width array whose values are T-sized.
func takeWidth[T uint8 | uint16 | uint32 | uint64 | uint128](alloc memory.Allocator, a arrow.Array, idx []int32) arrow.Array {
	n := len(idx)
	d := a.Data()
	src := bytesAs[T](d.Buffers()[1].Bytes())[d.Offset() : d.Offset()+d.Len()]
	var zero T
	data := memory.NewResizableBuffer(alloc)
	data.Resize(n * int(unsafe.Sizeof(zero)))
	dst := bytesAs[T](data.Bytes())[:n]
	valid, nulls := takeValidity(alloc, a, idx)
	for i, j := range idx {
		if j >= 0 {
			dst[i] = src[j]
		} else {
			dst[i] = zero
		}
	}
	out := array.NewData(a.DataType(), n, []*memory.Buffer{valid, data}, nil, nulls, 0)
	data.Release()
	if valid != nil {
		valid.Release()
	}
	defer out.Release()
	return array.MakeFromData(out)
}

// takeValidity returns the validity bitmap of the gathered rows and their NULL count; the
// bitmap is nil when there is no NULL.
func takeValidity(alloc memory.Allocator, a arrow.Array, idx []int32) (*memory.Buffer, int) {
	hasNulls := a.NullN() > 0
	if !hasNulls {
		for _, j := range idx {
			if j < 0 {
				hasNulls = true
				break
			}
		}
	}
	if !hasNulls {
		return nil, 0
	}
	buf := memory.NewResizableBuffer(alloc)
	buf.Resize(int(bitutil.BytesForBits(int64(len(idx)))))
	bits := buf.Bytes()
	clear(bits)
	nulls := 0
	for i, j := range idx {
		if j >= 0 && a.IsValid(int(j)) {
			bitutil.SetBit(bits, i)
		} else {
			nulls++
		}
	}
	return buf, nulls
}

// takeStrings gathers a string array.
func takeStrings(alloc memory.Allocator, a *array.String, idx []int32) arrow.Array {
	size := 0
	for _, j := range idx {
		if j >= 0 && a.IsValid(int(j)) {
			size += len(a.Value(int(j)))
		}
	}
	b := array.NewStringBuilder(alloc)
	defer b.Release()
	b.Reserve(len(idx))
	b.ReserveData(size)
	for _, j := range idx {
		if j < 0 || a.IsNull(int(j)) {
			b.AppendNull()
		} else {
			b.Append(a.Value(int(j)))
		}
	}
	return b.NewArray()
}
