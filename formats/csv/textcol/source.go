package textcol

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/compress"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
)

const (
	// windowSize is the usual window: large enough that object-store reads are few and big
	// (one ranged read per megabyte), small enough to stay in L2/L3 while it is parsed.
	windowSize = 1 << 20
	// MaxRecordBytes bounds one record (a CSV row with its quoted newlines, a JSON line). The
	// window grows to hold a longer record up to this; beyond it the file is refused, so an
	// unterminated quote cannot make Quarry read a whole file into memory.
	MaxRecordBytes = 64 << 20
)

// recordLimit is MaxRecordBytes, lowered by tests.
var recordLimit = MaxRecordBytes

// errRecordTooLong is returned by Fill when one record does not fit in MaxRecordBytes.
var errRecordTooLong = errors.New("record too long")

// Source is a window over a file's decompressed bytes. A tokenizer reads Buf[Pos:End] and
// advances Pos past whole records; Fill slides the unread bytes to the front and reads more,
// so positions into Buf are valid only until the next Fill.
type Source struct {
	Key      string
	Buf      []byte
	Pos, End int

	r         io.Reader
	closers   []io.Closer
	codec     string
	eof       bool
	started   bool
	validUTF8 bool
	gen       int
}

// OpenSource opens an object for reading through a window, decompressing it by extension.
// The object is read with large sequential ranged reads; nothing else of it is buffered.
func OpenSource(ctx context.Context, store objstore.Store, key string) (*Source, error) {
	obj, err := store.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	size := obj.Size()
	rc, err := compress.Open(key, io.NewSectionReader(obj, 0, size))
	if err != nil {
		obj.Close()
		return nil, err
	}
	s := NewSource(key, rc, windowFor(compress.Codec(key), size))
	s.closers = append(s.closers, obj)
	return s, nil
}

// windowFor sizes the first window: a small uncompressed file needs no megabyte.
func windowFor(codec string, size int64) int {
	if codec == compress.None && size+1 < windowSize {
		return max(int(size)+1, 4096)
	}
	return windowSize
}

// NewSource reads r (already decompressed) through a window of the given initial size.
// Closing the Source closes r if it is an io.Closer.
func NewSource(key string, r io.Reader, size int) *Source {
	s := &Source{Key: key, r: r, codec: compress.Codec(key), Buf: make([]byte, max(size, 16))}
	if c, ok := r.(io.Closer); ok {
		s.closers = append(s.closers, c)
	}
	return s
}

// EOF reports that the whole rest of the file is in Buf[Pos:End].
func (s *Source) EOF() bool { return s.eof }

// Generation changes whenever Fill moves or adds bytes, so a tokenizer can tell whether
// what it cached about Buf is still true.
func (s *Source) Generation() int { return s.gen }

// ValidUTF8 reports whether Buf[Pos:End] is valid UTF-8, so string values need no check.
func (s *Source) ValidUTF8() bool { return s.validUTF8 }

// Fill makes room by sliding the unread bytes to the front (growing the window when they
// fill it) and reads until the window is full or the file ends. A UTF-8 byte order mark at the
// start of the file is skipped.
func (s *Source) Fill() error {
	if s.eof {
		return nil
	}
	s.gen++
	if s.Pos > 0 {
		s.End = copy(s.Buf, s.Buf[s.Pos:s.End])
		s.Pos = 0
	}
	if s.End == len(s.Buf) {
		if len(s.Buf) >= recordLimit {
			return errRecordTooLong
		}
		nb := make([]byte, min(2*len(s.Buf), recordLimit))
		copy(nb, s.Buf[:s.End])
		s.Buf = nb
	}
	for s.End < len(s.Buf) {
		n, err := s.r.Read(s.Buf[s.End:])
		s.End += n
		if err == io.EOF {
			s.eof = true
			break
		}
		if err != nil {
			return s.readError(err)
		}
	}
	if !s.started {
		s.started = true
		if bytes.HasPrefix(s.Buf[:s.End], []byte("\xef\xbb\xbf")) {
			s.Pos = 3
		}
	}
	s.validUTF8 = utf8.Valid(s.Buf[s.Pos:s.End])
	return nil
}

func (s *Source) readError(err error) error {
	if s.codec != compress.None && compress.IsCorrupt(err) {
		return &formats.DataError{Key: s.Key, Msg: fmt.Sprintf("corrupt %s data: %v", s.codec, err), Code: sqlerr.DataCorrupted}
	}
	return sqlerr.Wrap(err, sqlerr.IOError, "reading %s: %v", s.Key, err)
}

// Close releases the decompressor and the object.
func (s *Source) Close() error {
	var first error
	for _, c := range s.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	s.closers = nil
	return first
}
