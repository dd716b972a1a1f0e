package compress

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"errors"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/quarrydb/quarry/sqlerr"
)

// Codec names, as Glue crawlers write them in a table's `compressionType` parameter where
// they have one.
const (
	None    = ""
	Gzip    = "gzip"
	Zstd    = "zstd"
	Snappy  = "snappy"
	LZ4     = "lz4"
	Bzip2   = "bzip2"
	Deflate = "deflate"
)

// byExt maps a lower-case file extension to its codec. Extensions of codecs Quarry cannot
// decode map to their name with unsupported set, so Open refuses them.
var byExt = map[string]struct {
	codec       string
	unsupported bool
}{
	".gz":          {codec: Gzip},
	".gzip":        {codec: Gzip},
	".zst":         {codec: Zstd},
	".zstd":        {codec: Zstd},
	".snappy":      {codec: Snappy},
	".lz4":         {codec: LZ4},
	".bz2":         {codec: Bzip2},
	".bzip2":       {codec: Bzip2},
	".deflate":     {codec: Deflate},
	".zlib":        {codec: Deflate},
	".lzo":         {codec: "lzo", unsupported: true},
	".lzo_deflate": {codec: "lzo", unsupported: true},
	".br":          {codec: "brotli", unsupported: true},
	".xz":          {codec: "xz", unsupported: true},
	".lzma":        {codec: "lzma", unsupported: true},
}

// Codec returns the codec a key's extension names, or None for a file read as it is.
func Codec(key string) string {
	return byExt[ext(key)].codec
}

// Splittable reports whether a file can be cut into byte ranges read independently. Only
// uncompressed files can be, for now: bzip2 is splittable in Hadoop (by searching for block
// magic), but Quarry reads it as one stream.
func Splittable(key string) bool {
	return Codec(key) == None
}

// bufSize is the read size under a decompressor. Decompressors read in small pieces (flate
// asks for 4 KiB); each read of the object store may be a network request, so they go through
// one large buffer.
const bufSize = 1 << 20

// Open returns the decompressed contents of r, choosing the codec by key's extension. Closing
// the result releases the decompressor; it does not close r. An empty input is an empty
// stream whatever its extension (Hive writes empty .gz files as zero bytes at times).
// Corrupt data surfaces as an error from Read.
func Open(key string, r io.Reader) (io.ReadCloser, error) {
	e := byExt[ext(key)]
	if e.unsupported {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s: %s compression is not supported", key, e.codec)
	}
	if e.codec == None {
		return io.NopCloser(r), nil
	}
	size := bufSize
	if sr, ok := r.(interface{ Size() int64 }); ok && sr.Size() < bufSize {
		size = max(int(sr.Size()), 4096) // small files need no megabyte each
	}
	br := bufio.NewReaderSize(r, size)
	if _, err := br.Peek(1); err == io.EOF {
		return io.NopCloser(bytes.NewReader(nil)), nil
	}
	switch e.codec {
	case Gzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, corrupt(key, Gzip, err)
		}
		return zr, nil
	case Zstd:
		// Two decoders in flight let decompression of the next block overlap parsing of this
		// one; the memory cap keeps a hostile frame header from allocating gigabytes.
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(2), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, corrupt(key, Zstd, err)
		}
		return zr.IOReadCloser(), nil
	case Snappy:
		if hasPrefix(br, snappyMagic) {
			return io.NopCloser(s2.NewReader(br)), nil
		}
		return &hadoopReader{r: br, decode: decodeSnappy}, nil
	case LZ4:
		if hasPrefix(br, lz4Magic) || hasPrefix(br, lz4LegacyMagic) {
			return io.NopCloser(lz4.NewReader(br)), nil
		}
		return &hadoopReader{r: br, decode: decodeLZ4}, nil
	case Bzip2:
		return io.NopCloser(bzip2.NewReader(br)), nil
	case Deflate:
		if isZlib(br) {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, corrupt(key, Deflate, err)
			}
			return zr, nil
		}
		return flate.NewReader(br), nil
	}
	return io.NopCloser(br), nil
}

// IsCorrupt reports whether err came from a decompressor finding bad data (rather than from
// the reader under it).
func IsCorrupt(err error) bool {
	var ce flate.CorruptInputError
	switch {
	case errors.As(err, &ce),
		errors.Is(err, gzip.ErrChecksum), errors.Is(err, gzip.ErrHeader),
		errors.Is(err, zlib.ErrChecksum), errors.Is(err, zlib.ErrHeader), errors.Is(err, zlib.ErrDictionary),
		errors.Is(err, s2.ErrCorrupt), errors.Is(err, s2.ErrUnsupported), errors.Is(err, s2.ErrTooLarge),
		errors.Is(err, errHadoopCorrupt), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	}
	var se bzip2.StructuralError
	if errors.As(err, &se) {
		return true
	}
	// zstd and lz4 have many distinct error values; they all carry their package's prefix.
	msg := err.Error()
	return strings.HasPrefix(msg, "zstd") || strings.HasPrefix(msg, "lz4")
}

func corrupt(key, codec string, err error) error {
	return sqlerr.Wrap(err, sqlerr.DataCorrupted, "%s: corrupt %s data: %v", key, codec, err)
}

func ext(key string) string {
	return strings.ToLower(path.Ext(key))
}

var (
	snappyMagic    = []byte("\xff\x06\x00\x00sNaPpY")
	lz4Magic       = []byte{0x04, 0x22, 0x4d, 0x18}
	lz4LegacyMagic = []byte{0x02, 0x21, 0x4c, 0x18}
)

func hasPrefix(br *bufio.Reader, magic []byte) bool {
	b, _ := br.Peek(len(magic))
	return bytes.Equal(b, magic)
}

// isZlib reports whether the stream starts with a zlib header (RFC 1950): DEFLATE method,
// a window of at most 32 KiB, and a check value that makes the first two bytes a multiple of
// 31. A raw DEFLATE stream matches this by chance about once in 500; Hadoop writes zlib.
func isZlib(br *bufio.Reader) bool {
	b, err := br.Peek(2)
	if err != nil {
		return false
	}
	return b[0]&0x0f == 8 && b[0]>>4 <= 7 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}
