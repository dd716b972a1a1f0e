package parquet

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
)

// tailSize is how much of a file's end Quarry reads in its first request: the footer of most
// files fits, so opening a file costs one ranged read.
const tailSize = 64 << 10

// maxFooterSize bounds the footer parquet-go is asked to decode. Footers of very wide tables
// with many row groups reach tens of megabytes; beyond this the length field is corrupt.
const maxFooterSize = 256 << 20

// Format reads Parquet files. Its only state is a cache of the splits of files already
// listed (split_cache.go); Open reads the footer of the file it opens.
type Format struct {
	cache *splitCache // nil in a zero Format: nothing is cached
}

// New returns the Parquet format.
func New() formats.Format { return Format{cache: newSplitCache(maxCachedFiles)} }

// Name returns "parquet", as STORED AS and the classification parameter spell it.
func (Format) Name() string { return "parquet" }

// Splits returns one split per row group of the object; a file without row groups has none.
func (f Format) Splits(ctx context.Context, store objstore.Store, obj objstore.ObjectInfo, opts formats.Options) (splits []formats.Split, err error) {
	ck := splitKey{key: obj.Key, size: obj.Size, mtime: obj.ModTime}
	if s, ok := f.cache.get(ck); ok {
		return s, nil
	}
	if splits, err = readSplits(ctx, store, obj); err == nil {
		f.cache.put(ck, splits)
	}
	return splits, err
}

// readSplits reads a file's footer for its splits.
func readSplits(ctx context.Context, store objstore.Store, obj objstore.ObjectInfo) (splits []formats.Split, err error) {
	defer recoverCorrupt(obj.Key, &err)
	r, err := store.Open(ctx, obj.Key)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	pf, err := openFile(obj.Key, r)
	if err != nil {
		return nil, err
	}
	size := obj.Size
	if size <= 0 {
		size = r.Size()
	}
	for i, rg := range pf.Metadata().RowGroups {
		splits = append(splits, formats.Split{Key: obj.Key, Size: size, RowGroups: []int{i}, Rows: rg.NumRows})
	}
	return splits, nil
}

// Open starts reading the projected columns of a split's row groups.
func (Format) Open(ctx context.Context, store objstore.Store, split formats.Split, opts formats.Options, req formats.Request) (formats.RecordReader, error) {
	r, err := store.Open(ctx, split.Key)
	if err != nil {
		return nil, err
	}
	if split.Size > 0 && r.Size() != split.Size {
		// The file was replaced since its splits were planned (an INSERT compacting small
		// files rewrites one): its row groups are not where the plan read them.
		r.Close()
		return nil, sqlerr.New(sqlerr.SerializationFailure, "%s changed while the query ran (%d bytes, planned as %d)", split.Key, r.Size(), split.Size).
			WithHint("Run the query again.")
	}
	rd, err := openReader(split, r, req)
	if err != nil {
		r.Close()
		return nil, err
	}
	return rd, nil
}

func openReader(split formats.Split, r objstore.Reader, req formats.Request) (rd *recordReader, err error) {
	defer recoverCorrupt(split.Key, &err)
	f, err := openFile(split.Key, r)
	if err != nil {
		return nil, err
	}
	return newRecordReader(split, r, f, req)
}

// corrupt returns the error for a file that is not valid Parquet.
func corrupt(key, format string, args ...any) *formats.DataError {
	return &formats.DataError{Key: key, Msg: fmt.Sprintf(format, args...), Code: sqlerr.DataCorrupted}
}

// recoverCorrupt turns a panic inside parquet-go (which trusts much of what it reads) into a
// corrupt-file error. Every exported entry point defers it, directly or in the helper that
// does its work.
func recoverCorrupt(key string, err *error) {
	if p := recover(); p != nil {
		*err = corrupt(key, "corrupt Parquet file: %v", p)
	}
}

// openFile reads and checks the footer and opens the file with parquet-go. The footer bytes
// are checked by thriftStructLen first, because parquet-go allocates whatever lengths the
// footer claims.
func openFile(key string, r objstore.Reader) (*parquet.File, error) {
	size := r.Size()
	if size < 12 {
		return nil, corrupt(key, "not a Parquet file: %d bytes is too small", size)
	}
	n := min(size, tailSize)
	tail := make([]byte, n)
	if err := readFull(r, tail, size-n); err != nil {
		return nil, fmt.Errorf("%s: reading Parquet footer: %w", key, err)
	}
	switch string(tail[n-4:]) {
	case "PAR1":
	case "PARE":
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "%s: encrypted Parquet files are not supported", key)
	default:
		return nil, corrupt(key, "not a Parquet file: no PAR1 magic at its end")
	}
	if n == size && string(tail[:4]) != "PAR1" {
		return nil, corrupt(key, "not a Parquet file: no PAR1 magic at its start")
	}
	footerLen := int64(binary.LittleEndian.Uint32(tail[n-8:]))
	if footerLen > size-12 || footerLen > maxFooterSize {
		return nil, corrupt(key, "corrupt Parquet footer: length %d in a %d-byte file", footerLen, size)
	}
	if footerLen+8 > n { // the footer is longer than the first read: read the rest
		more := make([]byte, footerLen+8-n)
		if err := readFull(r, more, size-footerLen-8); err != nil {
			return nil, fmt.Errorf("%s: reading Parquet footer: %w", key, err)
		}
		tail = append(more, tail...)
		n = int64(len(tail))
	}
	footer := tail[n-8-footerLen : n-8]
	if l, err := thriftStructLen(footer); err != nil || l != len(footer) {
		return nil, corrupt(key, "corrupt Parquet footer")
	}
	f, err := parquet.OpenFile(&tailReaderAt{r: r, tail: tail, off: size - n}, size,
		parquet.SkipMagicBytes(true), // checked above, without a request to the file's start
		parquet.SkipPageIndex(true),
		parquet.SkipBloomFilters(true),
		parquet.ReadBufferSize(tailSize),
	)
	if err != nil {
		return nil, corrupt(key, "corrupt Parquet footer: %v", err)
	}
	md := f.Metadata()
	if md.NumRows < 0 {
		return nil, corrupt(key, "corrupt Parquet footer: %d rows", md.NumRows)
	}
	for i := range md.RowGroups {
		if md.RowGroups[i].NumRows < 0 {
			return nil, corrupt(key, "corrupt Parquet footer: row group %d has %d rows", i, md.RowGroups[i].NumRows)
		}
	}
	return f, nil
}

// tailReaderAt serves reads inside the already-read end of the file from memory, so that
// parquet-go's footer reads cost no further requests.
type tailReaderAt struct {
	r    io.ReaderAt
	tail []byte
	off  int64
}

func (t *tailReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= t.off && off+int64(len(p)) <= t.off+int64(len(t.tail)) {
		return copy(p, t.tail[off-t.off:]), nil
	}
	return t.r.ReadAt(p, off)
}

// readFull reads len(p) bytes at off; a short read is io.ErrUnexpectedEOF.
func readFull(r io.ReaderAt, p []byte, off int64) error {
	n, err := r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// decodePageHeader decodes a page header whose bytes thriftStructLen has checked.
func decodePageHeader(b []byte) (*format.PageHeader, error) {
	var proto thrift.CompactProtocol
	h := new(format.PageHeader)
	if err := thrift.NewDecoder(proto.NewReaderFromBytes(b)).Decode(h); err != nil {
		return nil, err
	}
	return h, nil
}
