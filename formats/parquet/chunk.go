package parquet

import (
	"io"
	"math/bits"
	"sync"

	"github.com/parquet-go/parquet-go/format"
)

// A column chunk is read through a chunkReader: parquet-go asks for the chunk's bytes through
// a small bufio.Reader, which on an object store would be one request per 64 KiB. The
// chunkReader instead fetches the whole chunk in one request (or, for a chunk larger than
// wholeChunkLimit, windows of chunkWindow bytes), and checks every page header in the bytes it
// fetched before parquet-go sees them, since parquet-go allocates the sizes and counts a
// header claims before it finds them false.
const (
	wholeChunkLimit = 32 << 20
	chunkWindow     = 8 << 20
	// maxPageSize bounds a page's uncompressed size. Writers cut pages at about 1 MiB; a
	// page of a gigabyte is a corrupt header.
	maxPageSize = 1 << 30
)

// maxExpansion bounds the compression ratio a page header may claim, so that a corrupt size
// cannot make the decompressor allocate much more than the page's bytes justify. Zstd's RLE
// blocks reach about 32768:1 and gzip about 1032:1; Brotli can go further.
func maxExpansion(codec format.CompressionCodec) int64 {
	if codec == format.Brotli {
		return 1 << 20
	}
	return 1 << 16
}

type chunkReader struct {
	key        string
	r          io.ReaderAt
	start, end int64 // the chunk's byte range in the file
	window     int64
	buf        []byte // the fetched bytes [bufOff, bufOff+len(buf))
	bufOff     int64
	err        error // the first failure; every later read returns it

	// Page-header checking: next is the offset of the first header not yet checked, values
	// counts the values of the data pages checked. Checking stops once the pages hold all of
	// the row group's rows, as reading does (a flat column has one value per row).
	next      int64
	values    int64
	maxValues int64
	codec     format.CompressionCodec
	minBits   int64 // the fewest bits a PLAIN value of the column's type takes

	// pages describes the data pages checked so far, in order, for the page cursor's
	// check of each page parquet-go decodes (see pageCursor.checkPlain).
	pages []pageInfo
}

// pageInfo is what a data page's header says about its values.
type pageInfo struct {
	encoding format.Encoding
	values   int64 // V1: values and nulls; V2: values without nulls
	payload  int64 // uncompressed bytes of values (V1: and of levels)
	v2       bool
}

// newChunkReader reads the chunk described by md, of a row group of rows rows, from r.
func newChunkReader(key string, r io.ReaderAt, fileSize int64, md *format.ColumnMetaData, rows int64, fc *fileColumn) (*chunkReader, error) {
	start := md.DataPageOffset
	if md.DictionaryPageOffset != 0 { // as parquet-go decides where the chunk starts
		start = md.DictionaryPageOffset
	}
	size := md.TotalCompressedSize
	if start < 0 || size < 0 || start > fileSize || size > fileSize-start {
		return nil, corrupt(key, "column chunk at offset %d of %d bytes lies outside the %d-byte file", start, size, fileSize)
	}
	window := size
	if window > wholeChunkLimit {
		window = chunkWindow
	}
	return &chunkReader{
		key: key, r: r, start: start, end: start + size, window: window, bufOff: start,
		next: start, maxValues: rows, codec: md.Codec, minBits: plainBits(fc),
	}, nil
}

func (c *chunkReader) ReadAt(p []byte, off int64) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if off < c.start || off >= c.end {
		return 0, io.EOF
	}
	want := min(int64(len(p)), c.end-off)
	if off < c.bufOff || off+want > c.bufOff+int64(len(c.buf)) {
		if err := c.load(off, want); err != nil {
			c.err = err
			return 0, err
		}
	}
	n := copy(p, c.buf[off-c.bufOff:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (c *chunkReader) checking() bool { return c.values < c.maxValues && c.next < c.end }

// load fetches a window holding [off, off+want), starting earlier if a header before off
// has not been checked yet.
func (c *chunkReader) load(off, want int64) error {
	from := off
	if c.checking() && c.next < off {
		from = c.next
	}
	size := min(max(c.window, off-from+want), c.end-from)
	if int64(cap(c.buf)) >= size {
		c.buf = c.buf[:size]
	} else {
		putChunkBuf(c.buf)
		c.buf = getChunkBuf(int(size))
	}
	c.bufOff = from
	if err := readFull(c.r, c.buf, from); err != nil {
		return err
	}
	return c.check()
}

// extend appends the bytes after the window, at least doubling it, so that a page header
// that straddles the window's end can be checked whole.
func (c *chunkReader) extend() error {
	end := c.bufOff + int64(len(c.buf))
	more := min(max(int64(len(c.buf)), 64<<10), c.end-end)
	b := getChunkBuf(len(c.buf) + int(more))
	copy(b, c.buf)
	putChunkBuf(c.buf)
	c.buf = b
	return readFull(c.r, b[len(b)-int(more):], end)
}

// release returns the chunk's buffer to the pool. parquet-go copies what it reads, so no
// page refers to the buffer.
func (c *chunkReader) release() {
	putChunkBuf(c.buf)
	c.buf = nil
	if c.err == nil {
		c.err = io.ErrClosedPipe
	}
}

// Chunk buffers are pooled by power-of-two size class: a scan reads one chunk per column
// per row group, each up to wholeChunkLimit bytes, and allocating (and zeroing) them anew
// would cost as much as reading them.
var chunkPools [32]sync.Pool

func chunkClass(n int) int { return bits.Len(uint(max(n, 1) - 1)) }

func getChunkBuf(n int) []byte {
	c := chunkClass(n)
	if c >= len(chunkPools) {
		return make([]byte, n)
	}
	if b, ok := chunkPools[c].Get().(*[]byte); ok {
		return (*b)[:n]
	}
	return make([]byte, n, 1<<c)
}

func putChunkBuf(b []byte) {
	c := chunkClass(cap(b))
	if cap(b) == 0 || c >= len(chunkPools) || cap(b) != 1<<c {
		return
	}
	b = b[:0]
	chunkPools[c].Put(&b)
}

// check checks the page headers that start in the window.
func (c *chunkReader) check() error {
	for c.checking() && c.next < c.bufOff+int64(len(c.buf)) {
		if c.next < c.bufOff {
			return corrupt(c.key, "column chunk read out of order at offset %d", c.next)
		}
		b := c.buf[c.next-c.bufOff:]
		n, err := thriftStructLen(b)
		if err == errThriftShort && c.bufOff+int64(len(c.buf)) < c.end {
			if err := c.extend(); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return corrupt(c.key, "corrupt page header at offset %d", c.next)
		}
		h, err := decodePageHeader(b[:n])
		if err != nil {
			return corrupt(c.key, "corrupt page header at offset %d: %v", c.next, err)
		}
		if err := c.checkHeader(h, c.next+int64(n)); err != nil {
			return err
		}
		c.next += int64(n) + int64(h.CompressedPageSize)
	}
	return nil
}

// checkHeader checks the sizes and counts of the page header ending at body.
func (c *chunkReader) checkHeader(h *format.PageHeader, body int64) error {
	bad := func(what string, v int32) error {
		return corrupt(c.key, "corrupt page header at offset %d: %s %d", c.next, what, v)
	}
	comp, uncomp := h.CompressedPageSize, h.UncompressedPageSize
	switch {
	case comp < 0 || int64(comp) > c.end-body:
		return bad("compressed size", comp)
	case uncomp < 0 || uncomp > maxPageSize:
		return bad("uncompressed size", uncomp)
	case c.codec != format.Uncompressed && int64(uncomp) > 64<<10+int64(comp)*maxExpansion(c.codec):
		return bad("uncompressed size", uncomp)
	}
	switch h.Type {
	case format.DataPage:
		nv := h.DataPageHeader.V.NumValues
		if nv < 0 || int64(nv) > c.maxValues {
			return bad("value count", nv)
		}
		c.values += int64(nv)
		c.pages = append(c.pages, pageInfo{encoding: h.DataPageHeader.V.Encoding, values: int64(nv), payload: int64(uncomp)})
	case format.DataPageV2:
		v := &h.DataPageHeaderV2.V
		switch {
		case v.NumValues < 0 || int64(v.NumValues) > c.maxValues:
			return bad("value count", v.NumValues)
		case v.NumNulls < 0 || v.NumNulls > v.NumValues:
			return bad("null count", v.NumNulls)
		case v.NumRows < 0 || v.NumRows > v.NumValues:
			return bad("row count", v.NumRows)
		case v.DefinitionLevelsByteLength < 0 || v.RepetitionLevelsByteLength < 0 ||
			int64(v.DefinitionLevelsByteLength)+int64(v.RepetitionLevelsByteLength) > int64(comp):
			return bad("level length", v.DefinitionLevelsByteLength)
		}
		c.values += int64(v.NumValues)
		c.pages = append(c.pages, pageInfo{encoding: v.Encoding, values: int64(v.NumValues - v.NumNulls), v2: true,
			payload: int64(uncomp) - int64(v.DefinitionLevelsByteLength) - int64(v.RepetitionLevelsByteLength)})
	case format.DictionaryPage:
		// A dictionary is PLAIN-encoded, so its size bounds its value count.
		if nv := h.DictionaryPageHeader.V.NumValues; nv < 0 || int64(nv)*c.minBits > 8*int64(uncomp) {
			return bad("dictionary size", nv)
		}
	}
	return nil
}

// plainBits returns the size in bits of the smallest PLAIN-encoded value of a column.
func plainBits(fc *fileColumn) int64 {
	switch fc.physical {
	case format.Boolean:
		return 1
	case format.Int64, format.Double:
		return 64
	case format.Int96:
		return 96
	case format.FixedLenByteArray:
		return 8 * max(int64(fc.typeLen), 1)
	}
	return 32 // INT32, FLOAT, and BYTE_ARRAY's length prefix
}
