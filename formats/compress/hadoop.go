package compress

import (
	"encoding/binary"
	"errors"
	"io"

	"github.com/klauspost/compress/snappy"
	"github.com/pierrec/lz4/v4"
)

// errHadoopCorrupt is returned for a Hadoop block stream that does not parse.
var errHadoopCorrupt = errors.New("corrupt Hadoop block-compressed stream")

// maxHadoopBlock bounds one block's sizes. Hadoop's codecs use 64-256 KiB buffers; a larger
// length is corruption, and refusing it keeps a bad header from allocating gigabytes.
const maxHadoopBlock = 64 << 20

// hadoopReader reads Hadoop's BlockCompressorStream format, which SnappyCodec and Lz4Codec
// write: a sequence of blocks, each a 4-byte big-endian uncompressed length followed by
// compressed chunks (a 4-byte big-endian compressed length, then the chunk) until that many
// bytes have been produced.
type hadoopReader struct {
	r      io.Reader
	decode func(dst, src []byte, max int) ([]byte, error)

	left int    // uncompressed bytes still due in the current block
	in   []byte // the compressed chunk
	out  []byte // the decompressed chunk
	pos  int    // read position in out
	err  error
}

func (h *hadoopReader) Read(p []byte) (int, error) {
	for h.pos == len(h.out) {
		if h.err != nil {
			return 0, h.err
		}
		h.err = h.nextChunk()
	}
	n := copy(p, h.out[h.pos:])
	h.pos += n
	return n, nil
}

func (h *hadoopReader) Close() error { return nil }

// nextChunk decompresses the next chunk into out, starting a new block when the current one
// is complete. It returns io.EOF at a clean end of the stream.
func (h *hadoopReader) nextChunk() error {
	h.out, h.pos = h.out[:0], 0
	for h.left == 0 {
		n, err := h.readLen()
		if err == io.ErrUnexpectedEOF {
			return errHadoopCorrupt
		}
		if err != nil {
			return err // io.EOF between blocks is the clean end
		}
		h.left = n // an empty block is legal and is skipped
	}
	n, err := h.readLen()
	if err != nil || n == 0 {
		return errHadoopCorrupt
	}
	h.in, err = readN(h.r, h.in[:0], n)
	if err != nil {
		return errHadoopCorrupt
	}
	out, err := h.decode(h.out[:0], h.in, h.left)
	if err != nil || len(out) > h.left {
		return errHadoopCorrupt
	}
	h.out = out
	h.left -= len(out)
	return nil
}

func (h *hadoopReader) readLen() (int, error) {
	var b [4]byte
	if _, err := io.ReadFull(h.r, b[:]); err != nil {
		return 0, err
	}
	n := binary.BigEndian.Uint32(b[:])
	if n > maxHadoopBlock {
		return 0, errHadoopCorrupt
	}
	return int(n), nil
}

// readN appends n bytes of r to buf, growing it as the bytes arrive so that a corrupt length
// costs memory only for data that is really there.
func readN(r io.Reader, buf []byte, n int) ([]byte, error) {
	for n > 0 {
		step := min(n, 1<<20)
		start := len(buf)
		buf = append(buf, make([]byte, step)...)
		if _, err := io.ReadFull(r, buf[start:]); err != nil {
			return buf, err
		}
		n -= step
	}
	return buf, nil
}

func decodeSnappy(dst, src []byte, max int) ([]byte, error) {
	n, err := snappy.DecodedLen(src)
	if err != nil {
		return dst, err
	}
	if n > max {
		return dst, errHadoopCorrupt
	}
	return snappy.Decode(dst[:cap(dst)], src)
}

func decodeLZ4(dst, src []byte, max int) ([]byte, error) {
	// An LZ4 block does not record its decompressed size; the block's remaining length bounds
	// it, as in Hadoop's Lz4Decompressor.
	if cap(dst) < max {
		dst = make([]byte, max)
	}
	n, err := lz4.UncompressBlock(src, dst[:max])
	if err != nil {
		return dst[:0], err
	}
	return dst[:n], nil
}
