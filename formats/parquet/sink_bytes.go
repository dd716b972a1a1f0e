package parquet

import (
	"math"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go/encoding"
)

// bytesSink builds String and Binary arrays (int32 offsets) from BYTE_ARRAY pages, and Binary
// arrays from FIXED_LEN_BYTE_ARRAY pages. A PLAIN page's values are already one byte run with
// offsets, Arrow's own layout, so a run of values is one copy plus an offset shift; dictionary
// codes are gathered from the dictionary's bytes.
type bytesSink struct {
	dt    arrow.DataType
	fixed bool // the file column is FIXED_LEN_BYTE_ARRAY

	offBuf  *memory.Buffer
	offs    []int32
	dataBuf *memory.Buffer
	data    []byte // dataBuf's whole capacity; len(data) >= used
	used    int
	last    int // bytes of the previous batch: the next one reserves as much up front
}

func (s *bytesSink) begin(alloc memory.Allocator, n int) error {
	s.offBuf = memory.NewResizableBuffer(alloc)
	s.offBuf.Resize(4 * (n + 1))
	s.offs = castSlice[int32](s.offBuf.Bytes(), n+1)
	s.offs[0] = 0
	s.dataBuf = memory.NewResizableBuffer(alloc)
	s.dataBuf.Reserve(s.last + copySlack)
	s.data = s.dataBuf.Buf()
	s.used = 0
	return nil
}

// grow makes room for extra more bytes.
func (s *bytesSink) grow(extra int) error {
	need := s.used + extra
	if need > math.MaxInt32 {
		return errTooLarge
	}
	if need > len(s.data) {
		s.dataBuf.Reserve(max(need, 2*len(s.data), 4096))
		s.data = s.dataBuf.Buf()
	}
	return nil
}

func (s *bytesSink) take(c *pageCursor, o, k, nv int, defs []byte) error {
	out := s.offs[o+1 : o+k+1]
	if s.fixed {
		return s.takeFixed(c, out, nv, defs)
	}
	if c.dict != nil {
		return s.takeDict(c, out, nv, defs)
	}
	data, voffs := c.values.ByteArray()
	vo := voffs[c.val : c.val+nv+1]
	start, end := int(vo[0]), int(vo[nv])
	if err := s.grow(end - start); err != nil {
		return err
	}
	copy(s.data[s.used:], data[start:end])
	base := int64(s.used) - int64(start) // maps a page offset to a batch offset
	if defs == nil {
		for j := range out {
			out[j] = int32(base + int64(vo[j+1]))
		}
	} else {
		j, maxDef := 0, c.maxDef[0]
		for i, d := range defs {
			j += int(b2u8(d == maxDef))
			out[i] = int32(base + int64(vo[j]))
		}
	}
	s.used += end - start
	return nil
}

// takeDict gathers dictionary-encoded byte arrays: a first pass sums the lengths (and checks
// the codes) so that the data buffer grows once.
func (s *bytesSink) takeDict(c *pageCursor, out []int32, nv int, defs []byte) error {
	v := c.dict.Page().Data()
	if v.Kind() != encoding.ByteArray || valueCount(&v, encoding.ByteArray, 0) < 0 {
		return errCorruptPage
	}
	ddata, doffs := v.ByteArray()
	if len(doffs) == 0 {
		doffs = []uint32{0}
	}
	codes := c.codes[c.val : c.val+nv]
	ndict := uint32(len(doffs) - 1)
	total := 0
	for _, x := range codes {
		if uint32(x) >= ndict {
			return errDictIndex
		}
		total += int(doffs[x+1] - doffs[x])
	}
	if err := s.grow(total + copySlack); err != nil {
		return err
	}
	pos, dst := s.used, s.data
	if defs == nil {
		for j, x := range codes {
			pos = copyValue(dst, pos, ddata, doffs[x], doffs[x+1])
			out[j] = int32(pos)
		}
	} else {
		j, maxDef := 0, c.maxDef[0]
		for i, d := range defs {
			if d == maxDef {
				x := codes[j]
				j++
				pos = copyValue(dst, pos, ddata, doffs[x], doffs[x+1])
			}
			out[i] = int32(pos)
		}
	}
	s.used = pos
	return nil
}

// copySlack is the room copyValue may write past the end of the values copied.
const copySlack = 64

// copyValue copies src[lo:hi] to dst[pos:] and returns the new end. Dictionary values are
// mostly short, and a call to memmove per value costs more than the copy: a value of up to
// 64 bytes is copied as 16-byte blocks (which the compiler turns into vector moves; larger
// arrays become memmove calls), overwriting bytes past its end that the next value will
// overwrite in turn. dst must have copySlack bytes of room after the values; src is read
// past hi only when it has the room.
func copyValue(dst []byte, pos int, src []byte, lo, hi uint32) int {
	n := int(hi - lo)
	if n > copySlack || int(lo)+copySlack > len(src) || pos+copySlack > len(dst) {
		copy(dst[pos:], src[lo:hi])
		return pos + n
	}
	d, s := unsafe.Pointer(&dst[pos]), unsafe.Pointer(&src[lo])
	for off := 0; off < n; off += 16 {
		*(*[16]byte)(unsafe.Add(d, off)) = *(*[16]byte)(unsafe.Add(s, off))
	}
	return pos + n
}

// takeFixed copies FIXED_LEN_BYTE_ARRAY values, plain or from a dictionary.
func (s *bytesSink) takeFixed(c *pageCursor, out []int32, nv int, defs []byte) error {
	size := c.size
	if err := s.grow(nv * size); err != nil {
		return err
	}
	dst := s.data[s.used : s.used+nv*size]
	if c.dict != nil {
		v := c.dict.Page().Data()
		n := valueCount(&v, encoding.FixedLenByteArray, size)
		if v.Kind() != encoding.FixedLenByteArray || n < 0 {
			return errCorruptPage
		}
		ddata, _ := v.FixedLenByteArray()
		for j, x := range c.codes[c.val : c.val+nv] {
			if uint32(x) >= uint32(n) {
				return errDictIndex
			}
			copy(dst[j*size:], ddata[int(x)*size:int(x+1)*size])
		}
	} else {
		data, _ := c.values.FixedLenByteArray()
		copy(dst, data[c.val*size:(c.val+nv)*size])
	}
	pos := s.used
	if defs == nil {
		for j := range out {
			pos += size
			out[j] = int32(pos)
		}
	} else {
		maxDef := c.maxDef[0]
		for i, d := range defs {
			pos += size * int(b2u8(d == maxDef))
			out[i] = int32(pos)
		}
	}
	s.used = pos
	return nil
}

func (s *bytesSink) finish(n int, validity *memory.Buffer, nulls int) arrow.Array {
	s.dataBuf.ResizeNoShrink(s.used)
	s.last = s.used
	arr := makeArray(s.dt, n, nulls, validity, s.offBuf, s.dataBuf)
	s.offBuf, s.dataBuf, s.offs, s.data = nil, nil, nil, nil
	return arr
}

func (s *bytesSink) discard() {
	if s.offBuf != nil {
		s.offBuf.Release()
		s.dataBuf.Release()
	}
	s.offBuf, s.dataBuf, s.offs, s.data = nil, nil, nil, nil
}
