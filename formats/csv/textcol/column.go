package textcol

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// layout is how a column's values sit in Arrow buffers.
type layout uint8

const (
	fixedLayout layout = iota // validity, values of width bytes
	boolLayout                // validity, a bitmap of values
	varLayout                 // validity, int32 offsets, data
)

// Column accumulates one batch of one output column, writing parsed values straight into
// the Arrow buffers the batch will hold. A batch's buffers pass to the array that finish
// returns; the next reset allocates fresh ones.
type Column struct {
	t      types.T
	dt     arrow.DataType
	alloc  memory.Allocator
	layout layout
	width  int

	n, nulls int // rows and NULLs in the batch so far
	capacity int

	validity *memory.Buffer
	values   *memory.Buffer // fixed values, the bool bitmap, or offsets
	data     *memory.Buffer // varLayout bytes
	dataLen  int
	dataHint int // the last batch's data size, to size the next

	scratch []byte
}

// NewColumn returns a column of type t, or a FeatureNotSupported error for a type the text
// formats cannot hold yet (arrays, maps, structs, intervals).
func NewColumn(t types.T, alloc memory.Allocator) (*Column, error) {
	c := &Column{t: t, dt: t.Arrow(), alloc: alloc}
	switch t.Kind {
	case types.Bool:
		c.layout = boolLayout
	case types.Int16:
		c.width = 2
	case types.Int32, types.Date:
		c.width = 4
	case types.Int64, types.Float64, types.Time, types.Timestamp, types.TimestampTZ:
		c.width = 8
	case types.Float32:
		c.width = 4
	case types.Decimal, types.UUID:
		c.width = 16
	case types.Varchar, types.JSON, types.Unknown, types.Bytea:
		c.layout = varLayout
	default:
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "reading columns of type %s from text files is not supported yet", t.PGName())
	}
	return c, nil
}

// reset starts a batch of at most capacity rows.
func (c *Column) reset(capacity int) {
	c.release()
	c.n, c.nulls, c.capacity, c.dataLen = 0, 0, capacity, 0
	c.validity = memory.NewResizableBuffer(c.alloc)
	c.validity.Resize(int(bitutil.BytesForBits(int64(capacity))))
	memory.Set(c.validity.Bytes(), 0xff)
	c.values = memory.NewResizableBuffer(c.alloc)
	switch c.layout {
	case fixedLayout:
		c.values.Resize(capacity * c.width)
	case boolLayout:
		c.values.Resize(int(bitutil.BytesForBits(int64(capacity))))
		memory.Set(c.values.Bytes(), 0)
	case varLayout:
		c.values.Resize((capacity + 1) * 4)
		c.offsets()[0] = 0
		c.data = memory.NewResizableBuffer(c.alloc)
		c.data.Reserve(max(c.dataHint, 64<<10))
	}
}

func (c *Column) offsets() []int32 { return arrow.Int32Traits.CastFromBytes(c.values.Bytes()) }

// setNull marks row r of the chunk being appended as NULL.
func (c *Column) setNull(r int) {
	bitutil.ClearBit(c.validity.Bytes(), c.n+r)
	c.nulls++
}

// appendData appends b to the data buffer and returns the new data length.
func (c *Column) appendData(b []byte) int32 {
	end := c.dataLen + len(b)
	if end > c.data.Cap() {
		c.data.Reserve(max(2*c.data.Cap(), end))
	}
	copy(c.data.Buf()[c.dataLen:end], b)
	c.dataLen = end
	return int32(end)
}

// finish hands the batch's buffers to a new array of c.n values.
func (c *Column) finish() arrow.Array {
	validity := c.validity
	if c.nulls == 0 {
		validity.Release()
		validity = nil
	}
	var bufs []*memory.Buffer
	switch c.layout {
	case fixedLayout:
		c.values.ResizeNoShrink(c.n * c.width)
		bufs = []*memory.Buffer{validity, c.values}
	case boolLayout:
		c.values.ResizeNoShrink(int(bitutil.BytesForBits(int64(c.n))))
		bufs = []*memory.Buffer{validity, c.values}
	case varLayout:
		c.values.ResizeNoShrink((c.n + 1) * 4)
		c.data.ResizeNoShrink(c.dataLen)
		c.dataHint = c.dataLen + c.dataLen/8
		bufs = []*memory.Buffer{validity, c.values, c.data}
	}
	data := array.NewData(c.dt, c.n, bufs, nil, c.nulls, 0)
	arr := array.MakeFromData(data)
	data.Release()
	for _, b := range bufs {
		if b != nil {
			b.Release()
		}
	}
	c.validity, c.values, c.data = nil, nil, nil
	return arr
}

// release frees the buffers of an unfinished batch.
func (c *Column) release() {
	for _, b := range []*memory.Buffer{c.validity, c.values, c.data} {
		if b != nil {
			b.Release()
		}
	}
	c.validity, c.values, c.data = nil, nil, nil
}
