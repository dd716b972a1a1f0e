package parquet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding"
	"github.com/parquet-go/parquet-go/format"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
)

var (
	errCorruptPage = errors.New("page holds fewer values than it declares")
	errDictIndex   = errors.New("dictionary index out of range")
	errTooLarge    = errors.New("more than 2 GiB of string data in one batch")
)

// A sink builds one column's Arrow array for one batch from page values. There is one sink
// type per Arrow layout (fixed-width, boolean, variable-length bytes); the conversion from the
// file's type is chosen when the reader opens (see newSink) and runs once per run of values,
// never once per value through an interface.
type sink interface {
	// begin allocates the buffers of a batch of n rows.
	begin(alloc memory.Allocator, n int) error
	// take writes k rows at row o of the batch from the cursor's page: nv values starting at
	// the cursor's value position. defs is nil when the k rows are all non-null; otherwise it
	// holds their definition levels and nv < k.
	take(c *pageCursor, o, k, nv int, defs []byte) error
	// finish returns the batch's array. It takes over the reference to validity (nil when
	// the batch has no nulls).
	finish(n int, validity *memory.Buffer, nulls int) arrow.Array
	// discard releases the buffers of a batch that failed.
	discard()
}

// pageCursor is a reader's position in one column chunk: its current page and how much of it
// has been consumed. Values of a page are dense (nulls take no value), so the row position
// and the value position differ once a null has been passed.
type pageCursor struct {
	chunk  *chunkReader
	pageNo int // data pages read so far
	pages  *parquet.FilePages
	page   parquet.Page // owned: released when the next page is read or the chunk closes
	kind   encoding.Kind
	size   int // FIXED_LEN_BYTE_ARRAY width
	maxDef [1]byte
	defs   []byte // definition levels of the page's rows; nil for a required column

	rows, row  int // rows in the page, rows consumed
	nvals, val int // values in the page, values consumed
	values     encoding.Values
	dict       parquet.Dictionary // non-nil when the page holds dictionary codes
	codes      []int32
}

// release gives the current page back to parquet-go. Every value the batch needs has been
// copied out of it by then: a page's memory is recycled once released.
func (c *pageCursor) release() {
	if c.page != nil {
		parquet.Release(c.page)
		c.page = nil
	}
	c.rows, c.row, c.nvals, c.val = 0, 0, 0, 0
	c.defs, c.dict, c.codes = nil, nil, nil
	c.values = encoding.Values{}
}

func (c *pageCursor) close() {
	c.release()
	if c.pages != nil {
		c.pages.Close()
		c.pages = nil
	}
	if c.chunk != nil {
		c.chunk.release()
		c.chunk = nil
	}
}

// next moves to the chunk's next page.
func (c *pageCursor) next() error {
	c.release()
	p, err := c.pages.ReadPage()
	if err != nil {
		return err
	}
	c.page = p
	if len(p.RepetitionLevels()) > 0 {
		return errors.New("repetition levels in a flat column")
	}
	if c.maxDef[0] > 0 {
		c.defs = p.DefinitionLevels()
		c.rows = len(c.defs)
	} else {
		c.rows = int(p.NumRows())
	}
	c.values = p.Data()
	if c.dict = p.Dictionary(); c.dict != nil {
		if c.values.Kind() != encoding.Int32 {
			return errCorruptPage
		}
		c.codes = c.values.Int32()
		c.nvals = len(c.codes)
	} else {
		if c.values.Kind() != c.kind {
			return fmt.Errorf("page holds %s values", c.values.Kind())
		}
		if c.nvals = valueCount(&c.values, c.kind, c.size); c.nvals < 0 {
			return errCorruptPage
		}
	}
	if c.maxDef[0] == 0 && c.nvals < c.rows {
		return errCorruptPage
	}
	c.pageNo++
	return c.checkPlain()
}

// checkPlain checks a PLAIN page's size against its value count. parquet-go slices a page
// that holds fewer values than its header declares up to the declared count, within the
// capacity of a pooled buffer: without this check the reader would return whatever bytes an
// earlier page left there.
func (c *pageCursor) checkPlain() error {
	if c.dict != nil || c.chunk == nil || c.pageNo > len(c.chunk.pages) {
		return nil
	}
	info := c.chunk.pages[c.pageNo-1]
	if info.encoding != format.Plain {
		return nil
	}
	var bits int64
	switch c.kind {
	case encoding.Boolean:
		bits = 1
	case encoding.Int32, encoding.Float:
		bits = 32
	case encoding.Int64, encoding.Double:
		bits = 64
	case encoding.Int96:
		bits = 96
	case encoding.FixedLenByteArray:
		bits = 8 * int64(c.size)
	default:
		return nil // BYTE_ARRAY values carry their lengths, which parquet-go checks
	}
	n := info.values
	if c.defs != nil && !info.v2 {
		n = int64(bytes.Count(c.defs, c.maxDef[:]))
	}
	if (n*bits+7)/8 > info.payload {
		return errCorruptPage
	}
	return nil
}

// valueCount returns how many values of the given kind v holds, or -1 if v is malformed.
func valueCount(v *encoding.Values, kind encoding.Kind, size int) int {
	data, offsets := v.Data()
	switch kind {
	case encoding.Boolean:
		return 8 * len(data)
	case encoding.Int32, encoding.Float:
		return len(data) / 4
	case encoding.Int64, encoding.Double:
		return len(data) / 8
	case encoding.Int96:
		return len(data) / 12
	case encoding.ByteArray:
		if len(offsets) == 0 {
			return 0
		}
		if int(offsets[len(offsets)-1]) > len(data) || offsets[0] > offsets[len(offsets)-1] {
			return -1
		}
		return len(offsets) - 1
	case encoding.FixedLenByteArray:
		if _, sz := v.FixedLenByteArray(); sz != size || size <= 0 {
			return -1
		}
		return len(data) / size
	}
	return -1
}

// column reads one projected column of the file, a row group at a time.
type column struct {
	key  string
	name string // the table's name for it, for messages
	fc   *fileColumn
	sink sink
	cur  pageCursor
}

// reset starts reading a new column chunk.
func (col *column) reset(chunk *chunkReader, pages *parquet.FilePages) {
	col.cur.close()
	col.cur = pageCursor{chunk: chunk, pages: pages, kind: encoding.Kind(col.fc.physical + 1), size: col.fc.typeLen}
	if col.fc.optional {
		col.cur.maxDef[0] = 1
	}
}

// read returns the chunk's next n rows as an array.
func (col *column) read(alloc memory.Allocator, n int) (arrow.Array, error) {
	s, c := col.sink, &col.cur
	if err := s.begin(alloc, n); err != nil {
		return nil, col.fail(err)
	}
	var validity *memory.Buffer
	var bits []byte
	nulls := 0
	fail := func(err error) (arrow.Array, error) {
		s.discard()
		if validity != nil {
			validity.Release()
		}
		return nil, col.fail(err)
	}
	for o := 0; o < n; {
		if c.row >= c.rows {
			if err := c.next(); err != nil {
				return fail(err)
			}
			continue
		}
		k := min(n-o, c.rows-c.row)
		nv := k
		var defs []byte
		if c.defs != nil {
			defs = c.defs[c.row : c.row+k]
			nv = bytes.Count(defs, c.maxDef[:])
		}
		if nv > c.nvals-c.val {
			return fail(errCorruptPage)
		}
		if nv < k {
			if bits == nil { // the batch's first null: rows before it were all valid
				validity = memory.NewResizableBuffer(alloc)
				validity.Resize(int(bitutil.BytesForBits(int64(n))))
				bits = validity.Bytes()
				clear(bits)
				bitutil.SetBitsTo(bits, 0, int64(o), true)
			}
			setValidity(bits, o, defs, c.maxDef[0])
			nulls += k - nv
		} else {
			defs = nil
			if bits != nil {
				bitutil.SetBitsTo(bits, int64(o), int64(k), true)
			}
		}
		if err := s.take(c, o, k, nv, defs); err != nil {
			return fail(err)
		}
		c.val += nv
		c.row += k
		o += k
	}
	return s.finish(n, validity, nulls), nil
}

// fail names the file and column in a read error.
func (col *column) fail(err error) error {
	switch {
	case errors.Is(err, io.EOF):
		return corrupt(col.key, "column %s: column chunk ends before the row group's last row", col.name)
	case errors.Is(err, errOutOfRange):
		return &formats.DataError{Key: col.key, Code: sqlerr.NumericValueOutOfRange,
			Msg: fmt.Sprintf("column %s: a %s value is out of range for the table's type", col.name, col.fc.desc)}
	case errors.Is(err, errTooLarge):
		return sqlerr.New(sqlerr.ProgramLimitExceeded, "%s: column %s: %v", col.key, col.name, err)
	}
	var de *formats.DataError
	if errors.As(err, &de) {
		return err
	}
	return corrupt(col.key, "column %s: %v", col.name, err)
}

// setValidity sets the validity bits of rows o.. from their definition levels (the bits are
// clear beforehand). A top-level optional column has levels 0 and 1 only, so eight levels
// read as one little-endian word become a bitmap byte with one multiplication: the constant
// moves the low bit of byte i to bit 56+i, and no two partial products overlap.
func setValidity(bits []byte, o int, defs []byte, maxDef byte) {
	i := 0
	if maxDef == 1 {
		for ; i < len(defs) && (o+i)&7 != 0; i++ {
			bits[(o+i)>>3] |= b2u8(defs[i] == 1) << ((o + i) & 7)
		}
		for ; i+8 <= len(defs); i += 8 {
			w := binary.LittleEndian.Uint64(defs[i:]) & 0x0101010101010101
			bits[(o+i)>>3] = byte((w * 0x0102040810204080) >> 56)
		}
	}
	for ; i < len(defs); i++ {
		bits[(o+i)>>3] |= b2u8(defs[i] == maxDef) << ((o + i) & 7)
	}
}

func b2u8(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// expand spreads the first nv values of out to the positions of the non-null rows among
// defs, working backwards so that it can run in place: position i is written only after
// every value it held has moved. It is branch-free, as nulls come in no predictable
// pattern; a null slot gets a copy of some value, which Arrow allows.
func expand[T any](out []T, defs []byte, maxDef byte, nv int) {
	out = out[:len(defs)]
	j := nv - 1
	for i := len(defs) - 1; i > j; i-- {
		out[i] = out[max(j, 0)]
		j -= int(b2u8(defs[i] == maxDef))
	}
}

// gather looks codes up in a dictionary; it reports false for a code outside it.
func gather[T any](dst, dict []T, codes []int32) bool {
	codes = codes[:len(dst)]
	n := uint32(len(dict))
	for i, x := range codes {
		if uint32(x) >= n {
			return false
		}
		dst[i] = dict[x]
	}
	return true
}
