package function

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// byteView is a String or Binary array seen as its offsets and data buffer, so kernels can
// walk values as []byte without building a Go string per row.
type byteView struct {
	offs []int32 // len n+1, absolute offsets into data
	data []byte
}

// viewBytes returns the byteView of a String or Binary array.
func viewBytes(a arrow.Array) byteView {
	d := a.Data()
	bufs := d.Buffers()
	if d.Len() == 0 || len(bufs) < 3 || bufs[1] == nil {
		return byteView{offs: make([]int32, d.Len()+1)}
	}
	offs := arrow.GetData[int32](bufs[1].Bytes())[d.Offset() : d.Offset()+d.Len()+1]
	var data []byte
	if bufs[2] != nil {
		data = bufs[2].Bytes()
	}
	return byteView{offs: offs, data: data}
}

// at returns value i (valid until the array is released).
func (v byteView) at(i int) []byte { return v.data[v.offs[i]:v.offs[i+1]] }

// bytesOut builds a String or Binary result directly in allocator buffers.
type bytesOut struct {
	offBuf  *memory.Buffer
	dataBuf *memory.Buffer
	offs    []int32
	data    []byte // dataBuf's whole capacity
	used    int
	row     int
}

// newBytesOut prepares a result of n rows with room for about hint bytes.
func newBytesOut(mem memory.Allocator, n, hint int) *bytesOut {
	o := &bytesOut{offBuf: memory.NewResizableBuffer(mem), dataBuf: memory.NewResizableBuffer(mem)}
	o.offBuf.Resize((n + 1) * 4)
	o.offs = arrow.GetData[int32](o.offBuf.Bytes())[:n+1]
	o.offs[0] = 0
	if hint < 64 {
		hint = 64
	}
	o.dataBuf.Reserve(hint)
	o.data = o.dataBuf.Buf()
	return o
}

// grow makes room for k more bytes.
func (o *bytesOut) grow(k int) {
	need := o.used + k
	if need <= len(o.data) {
		return
	}
	c := 2 * len(o.data)
	if c < need {
		c = need
	}
	o.dataBuf.ResizeNoShrink(o.used) // keep the written prefix across the reallocation
	o.dataBuf.Reserve(c)
	o.data = o.dataBuf.Buf()
}

// append adds the next row's value.
func (o *bytesOut) append(p []byte) {
	o.grow(len(p))
	o.used += copy(o.data[o.used:], p)
	o.row++
	o.offs[o.row] = int32(o.used)
}

// appendString adds the next row's value.
func (o *bytesOut) appendString(s string) {
	o.grow(len(s))
	o.used += copy(o.data[o.used:], s)
	o.row++
	o.offs[o.row] = int32(o.used)
}

// appendEmpty adds an empty value (used under NULL rows).
func (o *bytesOut) appendEmpty() {
	o.row++
	o.offs[o.row] = int32(o.used)
}

// tail returns a slice to write the next row into: callers append to it (within the
// reserved capacity they asked for) and then call commit with the result.
func (o *bytesOut) tail(k int) []byte {
	o.grow(k)
	return o.data[o.used:o.used]
}

// commit ends the row whose bytes were appended to the slice from tail.
func (o *bytesOut) commit(p []byte) {
	if len(p) > 0 && (o.used >= len(o.data) || &p[0] != &o.data[o.used]) {
		// The appender outgrew the reserved room and reallocated: copy it in.
		o.append(p)
		return
	}
	o.used += len(p)
	o.row++
	o.offs[o.row] = int32(o.used)
}

// appendFunc writes a row with an append-style formatter (buf = f(buf)).
func (o *bytesOut) appendFunc(k int, f func([]byte) []byte) {
	o.commit(f(o.tail(k)))
}

// finish returns the result array of type dt (String or Binary), taking validity.
func (o *bytesOut) finish(dt arrow.DataType, validity *memory.Buffer, nulls int) arrow.Array {
	o.dataBuf.ResizeNoShrink(o.used)
	d := array.NewData(dt, o.row, []*memory.Buffer{validity, o.offBuf, o.dataBuf}, nil, nulls, 0)
	arr := array.MakeFromData(d)
	d.Release()
	if validity != nil {
		validity.Release()
	}
	o.offBuf.Release()
	o.dataBuf.Release()
	return arr
}
