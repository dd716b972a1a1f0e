// Package texttest runs data-driven tests of the text formats: each case file under a
// package's testdata holds a table's options, columns, projection and file contents, and the
// golden rendering of what the reader returns (rewritten with -rewrite).
//
// A case file is a sequence of sections, each starting with a line `-- name --`:
//
//	options        key=value lines (the value may be empty)
//	columns        `name type` lines, types as Hive/Glue write them
//	projection     column indexes to read, in order; `none` for an empty projection
//	batch          the batch size
//	key            the object's name; a .gz or .zst name makes the input compressed
//	flags          `noeol` drops the input's final newline; `raw` stores the input as it is
//	               even under a .gz or .zst key (for corrupt files)
//	input          the file's bytes as they are
//	input.escaped  the file's bytes with \r \n \t \\ \xHH and \uHHHH decoded
//	output         the golden result
//
// Lines before the first section are comments.
package texttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/formats/compress"
	"github.com/quarrydb/quarry/formats/csv/textcol"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Case is one parsed case file.
type Case struct {
	Path       string
	Options    formats.Options
	Columns    []formats.Column
	Projection []int
	BatchSize  int
	Key        string
	Input      []byte
	Output     string
	Raw        bool // store Input uncompressed whatever the key

	sections []section
}

type section struct{ name, body string }

// Load parses a case file.
func Load(path string) (*Case, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c := &Case{Path: path, Options: formats.Options{}, Key: "data"}
	var cur *section
	for _, line := range strings.SplitAfter(string(raw), "\n") {
		if name, ok := sectionName(line); ok {
			c.sections = append(c.sections, section{name: name})
			cur = &c.sections[len(c.sections)-1]
			continue
		}
		if cur != nil {
			cur.body += line
		}
	}
	projected := false
	noEOL := false
	for _, s := range c.sections {
		switch s.name {
		case "options":
			for _, l := range lines(s.body) {
				k, v, _ := strings.Cut(l, "=")
				c.Options[k] = v
			}
		case "columns":
			for _, l := range lines(s.body) {
				name, typ, _ := strings.Cut(l, " ")
				t, err := types.Parse(strings.TrimSpace(typ))
				if err != nil {
					return nil, fmt.Errorf("%s: column %s: %w", path, name, err)
				}
				c.Columns = append(c.Columns, formats.Column{Name: name, Type: t})
			}
		case "projection":
			projected = true
			for _, f := range strings.Fields(s.body) {
				if f == "none" {
					continue
				}
				i, err := strconv.Atoi(f)
				if err != nil {
					return nil, fmt.Errorf("%s: projection: %w", path, err)
				}
				c.Projection = append(c.Projection, i)
			}
			if c.Projection == nil {
				c.Projection = []int{}
			}
		case "batch":
			c.BatchSize, err = strconv.Atoi(strings.TrimSpace(s.body))
			if err != nil {
				return nil, fmt.Errorf("%s: batch: %w", path, err)
			}
		case "key":
			c.Key = strings.TrimSpace(s.body)
		case "flags":
			noEOL = strings.Contains(s.body, "noeol")
			c.Raw = strings.Contains(s.body, "raw")
		case "input":
			c.Input = []byte(s.body)
		case "input.escaped":
			c.Input = []byte(unescape(s.body))
		case "output":
			c.Output = s.body
		default:
			return nil, fmt.Errorf("%s: unknown section %q", path, s.name)
		}
	}
	if noEOL {
		c.Input = bytes.TrimSuffix(c.Input, []byte("\n"))
	}
	if !projected {
		for i := range c.Columns {
			c.Projection = append(c.Projection, i)
		}
	}
	return c, nil
}

func sectionName(line string) (string, bool) {
	l := strings.TrimRight(line, "\r\n")
	if strings.HasPrefix(l, "-- ") && strings.HasSuffix(l, " --") && len(l) > 6 {
		return l[3 : len(l)-3], true
	}
	return "", false
}

func lines(body string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// unescape decodes \r \n \t \\ \xHH and \uHHHH.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case 'r':
			b.WriteByte('\r')
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case '\\':
			b.WriteByte('\\')
		case 'x':
			n, _ := strconv.ParseUint(s[i+2:i+4], 16, 8)
			b.WriteByte(byte(n))
			i += 2
		case 'u':
			n, _ := strconv.ParseUint(s[i+2:i+6], 16, 32)
			b.WriteRune(rune(n))
			i += 4
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i+1])
		}
		i++
	}
	return b.String()
}

// Run reads the case's file with format f and renders every batch, or the error that ended
// the read. It fails the test if a batch's buffers leak.
func Run(t testing.TB, f formats.Format, c *Case) string {
	t.Helper()
	ctx := context.Background()
	store := objstore.NewMemStore()
	key := "mem://bucket/table/" + c.Key
	if err := store.Put(ctx, key, bytes.NewReader(c.stored(t))); err != nil {
		t.Fatal(err)
	}
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	out, err := Read(ctx, f, store, key, c.Options, formats.Request{
		Columns: c.Columns, Projection: c.Projection, BatchSize: c.BatchSize, Alloc: alloc,
	})
	if err != nil {
		out += RenderError(err)
	}
	return out
}

// NewReaderFunc builds a format's reader over a Source; the formats export none, so their
// tests pass their unexported constructor.
type NewReaderFunc func(src *textcol.Source, opts formats.Options, req formats.Request) (*textcol.Reader, error)

// RunWindowed reads the case's file through a window of the given initial size, fed one byte
// per read, so that records and fields straddle refills. Its output must equal Run's.
func RunWindowed(t testing.TB, newReader NewReaderFunc, c *Case, window int) string {
	t.Helper()
	key := "mem://bucket/table/" + c.Key
	rc, err := compress.Open(key, bytes.NewReader(c.stored(t)))
	if err != nil {
		return RenderError(err)
	}
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	src := textcol.NewSource(key, iotest.OneByteReader(rc), window)
	r, err := newReader(src, c.Options, formats.Request{
		Columns: c.Columns, Projection: c.Projection, BatchSize: c.BatchSize, Alloc: alloc,
	})
	if err != nil {
		src.Close()
		return RenderError(err)
	}
	out, err := Drain(context.Background(), r)
	if err != nil {
		out += RenderError(err)
	}
	return out
}

// Drain reads a reader to its end, rendering each batch, and closes it.
func Drain(ctx context.Context, r formats.RecordReader) (string, error) {
	var out strings.Builder
	defer r.Close()
	for n := 1; ; n++ {
		rec, err := r.Next(ctx)
		if err == io.EOF {
			return out.String(), r.Close()
		}
		if err != nil {
			return out.String(), err
		}
		out.WriteString(Render(rec, n))
		rec.Release()
	}
}

// Read reads every split of one object and renders the batches.
func Read(ctx context.Context, f formats.Format, store objstore.Store, key string, opts formats.Options, req formats.Request) (string, error) {
	info, err := store.Stat(ctx, key)
	if err != nil {
		return "", err
	}
	splits, err := f.Splits(ctx, store, info, opts)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	for _, sp := range splits {
		r, err := f.Open(ctx, store, sp, opts, req)
		if err != nil {
			return out.String(), err
		}
		s, err := Drain(ctx, r)
		out.WriteString(s)
		if err != nil {
			return out.String(), err
		}
	}
	return out.String(), nil
}

// RenderError renders an error with its SQLSTATE and, for a data error, where it is.
func RenderError(err error) string {
	var de *formats.DataError
	if errors.As(err, &de) {
		return fmt.Sprintf("error %s at line %d column %d: %s\n", sqlerr.Code(err), de.Line, de.Column, de.Error())
	}
	return fmt.Sprintf("error %s: %s\n", sqlerr.Code(err), err)
}

// stored is the object's bytes: the input, compressed as the key's extension says.
func (c *Case) stored(t testing.TB) []byte {
	if c.Raw {
		return c.Input
	}
	return compressFor(t, c.Key, c.Input)
}

func compressFor(t testing.TB, key string, b []byte) []byte {
	var buf bytes.Buffer
	switch filepath.Ext(key) {
	case ".gz":
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	case ".zst":
		w, err := zstd.NewWriter(&buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	return b
}

// RunDir runs every *.txt case of dir, comparing with (or, with rewrite, replacing) the
// golden output. With newReader it also reads each case through small windows (see
// RunWindowed), which must give the same output.
func RunDir(t *testing.T, f formats.Format, newReader NewReaderFunc, dir string, rewrite bool) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no case files in %s (%v)", dir, err)
	}
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".txt"), func(t *testing.T) {
			c, err := Load(p)
			if err != nil {
				t.Fatal(err)
			}
			got := Run(t, f, c)
			if rewrite {
				if err := c.rewrite(got); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != c.Output {
				t.Errorf("%s: output differs\n--- got ---\n%s--- want ---\n%s", p, got, c.Output)
			}
			if newReader == nil {
				return
			}
			for _, w := range []int{16, 37} {
				if got := RunWindowed(t, newReader, c, w); got != c.Output {
					t.Errorf("%s: output through a %d-byte window differs\n--- got ---\n%s--- want ---\n%s", p, w, got, c.Output)
				}
			}
		})
	}
}

// rewrite writes the case file back with a new output section, keeping everything else.
func (c *Case) rewrite(out string) error {
	raw, err := os.ReadFile(c.Path)
	if err != nil {
		return err
	}
	s := string(raw)
	if i := strings.Index(s, "\n-- output --\n"); i >= 0 {
		s = s[:i+1]
	} else if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return os.WriteFile(c.Path, []byte(s+"-- output --\n"+out), 0o644)
}

// ReportCPUThroughput reports MB of input per CPU-second since start (from CPUTime), the
// number to compare on a machine whose wall clock is shared.
func ReportCPUThroughput(b *testing.B, start time.Duration, bytesPerOp int) {
	if cpu := CPUTime() - start; cpu > 0 && start > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(b.N)/cpu.Seconds()/1e6, "cpuMB/s")
	}
}
