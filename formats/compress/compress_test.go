package compress

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
	"github.com/quarrydb/quarry/sqlerr"
)

// TestFixtures decompresses files written by the gzip, bzip2, zstd and lz4 command-line
// tools (the gzip and bzip2 ones are two concatenated streams, as Hadoop and `cat` make).
func TestFixtures(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"multi.txt.gz", "multi.txt"},
		{"multi.txt.bz2", "multi.txt"},
		{"plain.txt.zst", "plain.txt"},
		{"plain.txt.lz4", "plain.txt"},
		{"plain.txt", "plain.txt"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			in := readFile(t, tc.file)
			want := readFile(t, tc.want)
			if got := decompress(t, "s3://b/dir/"+tc.file, in); !bytes.Equal(got, want) {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}
}

// TestRoundTrip compresses with each codec's writer and reads the result back through Open.
func TestRoundTrip(t *testing.T) {
	data := bytes.Repeat([]byte("1|Clerk#000000951|1996-01-02|nstructions sleep furiously among \n"), 20000)
	for _, tc := range []struct {
		key      string
		compress func(t testing.TB, b []byte) []byte
	}{
		{"f.csv.gz", gzipData},
		{"f.csv.GZIP", gzipData},
		{"f.csv.zst", zstdData},
		{"f.csv.zstd", zstdData},
		{"f.csv.snappy", func(t testing.TB, b []byte) []byte { return hadoopBlocks(b, 64<<10, snappyBlock) }},
		{"f.csv.snappy#framed", snappyFramed},
		{"f.csv.lz4", func(t testing.TB, b []byte) []byte { return hadoopBlocks(b, 64<<10, lz4Block) }},
		{"f.csv.lz4#frame", lz4Frame},
		{"f.csv.deflate", zlibData},
		{"f.csv.zlib", zlibData},
		{"f.csv.deflate#raw", rawDeflate},
	} {
		t.Run(tc.key, func(t *testing.T) {
			key, _, _ := strings.Cut(tc.key, "#")
			if got := decompress(t, key, tc.compress(t, data)); !bytes.Equal(got, data) {
				t.Fatalf("round trip lost data: got %d bytes, want %d", len(got), len(data))
			}
		})
	}
}

// TestNoGoroutineLeak checks that closing a zstd stream (which decodes on goroutines of its
// own) stops them.
func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	in := zstdData(t, bytes.Repeat([]byte("abc\n"), 1<<18))
	for range 5 {
		rc, err := Open("x.zst", bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		io.CopyN(io.Discard, rc, 1000) // stop early, with blocks in flight
		rc.Close()
	}
	for i := 0; runtime.NumGoroutine() > before && i < 100; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after closing, %d before", n, before)
	}
}

func TestEmptyInput(t *testing.T) {
	for _, key := range []string{"a.gz", "a.zst", "a.snappy", "a.lz4", "a.bz2", "a.deflate", "a.csv"} {
		if got := decompress(t, key, nil); len(got) != 0 {
			t.Errorf("%s: got %q from an empty file", key, got)
		}
	}
}

func TestUnsupported(t *testing.T) {
	for _, key := range []string{"a.csv.lzo", "a.json.br", "a.xz"} {
		_, err := Open(key, bytes.NewReader([]byte("x")))
		if sqlerr.Code(err) != sqlerr.FeatureNotSupported {
			t.Errorf("%s: got %v, want a feature-not-supported error", key, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	good := gzipData(t, []byte("hello, world\n"))
	bad := append([]byte(nil), good...)
	bad[len(bad)-6] ^= 0xff // the CRC
	truncated := good[:len(good)-3]
	for name, in := range map[string][]byte{"crc": bad, "truncated": truncated, "garbage.gz": []byte("not gzip at all")} {
		rc, err := Open("x.gz", bytes.NewReader(in))
		if err == nil {
			_, err = io.ReadAll(rc)
		}
		if err == nil || !(IsCorrupt(err) || sqlerr.Code(err) == sqlerr.DataCorrupted) {
			t.Errorf("%s: got %v, want a corruption error", name, err)
		}
	}
	// A Hadoop block stream that promises more than it holds.
	h := hadoopBlocks([]byte("abcdef"), 64, snappyBlock)
	rc, _ := Open("x.snappy", bytes.NewReader(h[:len(h)-2]))
	if _, err := io.ReadAll(rc); !IsCorrupt(err) {
		t.Errorf("truncated hadoop snappy: got %v, want a corruption error", err)
	}
	// An underlying read failure is not corruption.
	if IsCorrupt(errors.New("connection reset")) {
		t.Error("IsCorrupt(connection reset) = true")
	}
}

func TestSplittableAndCodec(t *testing.T) {
	for _, tc := range []struct {
		key       string
		codec     string
		splitable bool
	}{
		{"s3://b/t/part-0.csv", None, true},
		{"s3://b/t/part-0", None, true},
		{"s3://b/t/part-0.csv.gz", Gzip, false},
		{"s3://b/t.d/part-0.BZ2", Bzip2, false},
		{"file:///x/y.json.zst", Zstd, false},
		{"file:///x/y.snappy", Snappy, false},
		{"file:///x/y.deflate", Deflate, false},
	} {
		if got := Codec(tc.key); got != tc.codec {
			t.Errorf("Codec(%q) = %q, want %q", tc.key, got, tc.codec)
		}
		if got := Splittable(tc.key); got != tc.splitable {
			t.Errorf("Splittable(%q) = %v, want %v", tc.key, got, tc.splitable)
		}
	}
}

// FuzzOpen feeds arbitrary bytes to every decompressor: errors are fine, panics and hangs
// are not.
func FuzzOpen(f *testing.F) {
	exts := []string{".gz", ".zst", ".snappy", ".lz4", ".bz2", ".deflate"}
	seed := []byte("a,b\n1,2\n")
	f.Add(uint8(0), gzipData(f, seed))
	f.Add(uint8(1), zstdData(f, seed))
	f.Add(uint8(2), hadoopBlocks(seed, 4, snappyBlock))
	f.Add(uint8(2), snappyFramed(f, seed))
	f.Add(uint8(3), hadoopBlocks(seed, 4, lz4Block))
	f.Add(uint8(3), lz4Frame(f, seed))
	f.Add(uint8(5), zlibData(f, seed))
	f.Add(uint8(5), rawDeflate(f, seed))
	if b, err := os.ReadFile(filepath.Join("testdata", "multi.txt.bz2")); err == nil {
		f.Add(uint8(4), b)
	}
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		rc, err := Open("f"+exts[int(which)%len(exts)], bytes.NewReader(data))
		if err != nil {
			return
		}
		defer rc.Close()
		// Cap the output: a tiny input may legitimately expand a lot.
		_, _ = io.Copy(io.Discard, io.LimitReader(rc, 8<<20))
	})
}

func decompress(t *testing.T, key string, in []byte) []byte {
	t.Helper()
	rc, err := Open(key, bytes.NewReader(in))
	if err != nil {
		t.Fatalf("Open(%s): %v", key, err)
	}
	defer rc.Close()
	out, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %s: %v", key, err)
	}
	return out
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gzipData(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zstdData(t testing.TB, b []byte) []byte {
	w, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	return w.EncodeAll(b, nil)
}

func snappyFramed(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := s2.NewWriter(&buf, s2.WriterSnappyCompat())
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func lz4Frame(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := lz4.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func zlibData(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func rawDeflate(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func snappyBlock(b []byte) []byte { return snappy.Encode(nil, b) }

func lz4Block(b []byte) []byte {
	dst := make([]byte, lz4.CompressBlockBound(len(b)))
	n, err := lz4.CompressBlock(b, dst, nil)
	if err == nil && n > 0 {
		return dst[:n]
	}
	// Incompressible: pierrec declines, but an LZ4 block of one literal-only sequence is
	// valid, and it is what Hadoop's compressor writes then.
	out := []byte{0xf0}
	if len(b) < 15 {
		out[0] = byte(len(b)) << 4
	} else {
		rest := len(b) - 15
		for ; rest >= 255; rest -= 255 {
			out = append(out, 255)
		}
		out = append(out, byte(rest))
	}
	return append(out, b...)
}

// hadoopBlocks writes b as Hadoop's BlockCompressorStream does: blocks of at most size
// bytes, each split into two compressed chunks to exercise multi-chunk blocks.
func hadoopBlocks(b []byte, size int, enc func([]byte) []byte) []byte {
	var out []byte
	for len(b) > 0 {
		n := min(size, len(b))
		block := b[:n]
		b = b[n:]
		out = binary.BigEndian.AppendUint32(out, uint32(n))
		half := (n + 1) / 2
		for _, chunk := range [][]byte{block[:half], block[half:]} {
			if len(chunk) == 0 {
				continue
			}
			c := enc(chunk)
			out = binary.BigEndian.AppendUint32(out, uint32(len(c)))
			out = append(out, c...)
		}
	}
	return out
}
