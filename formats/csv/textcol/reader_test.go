package textcol

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// lineTokenizer makes each line one record of one cell, for testing the driver alone.
type lineTokenizer struct{ line int64 }

func (t *lineTokenizer) Line() int64                   { return t.line }
func (t *lineTokenizer) Decode(dst, raw []byte) []byte { return append(dst, raw...) }

func (t *lineTokenizer) Tokenize(src *Source, max int, cells []Cell, lines []int64) (int, error) {
	rows := 0
	for rows < max && src.Pos < src.End {
		rest := src.Buf[src.Pos:src.End]
		n := bytes.IndexByte(rest, '\n')
		next := n + 1
		if n < 0 {
			if !src.EOF() {
				break
			}
			n, next = len(rest), len(rest)
		}
		t.line++
		cells[rows] = Cell{Start: int32(src.Pos), End: int32(src.Pos + n)}
		lines[rows] = t.line
		src.Pos += next
		rows++
	}
	return rows, nil
}

func readLines(t *testing.T, input string, typ types.T, batch int) ([]string, error) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	src := NewSource("mem://t/f", strings.NewReader(input), 16)
	r, err := NewReader(src, &lineTokenizer{}, Config{
		Columns: []formats.Column{{Name: "c", Type: typ}}, Projection: []int{0}, Slots: []int{0},
		Stride: 1, BatchSize: batch, Alloc: alloc, NullMarker: []byte(`\N`), HasNullMarker: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for {
		rec, err := r.Next(context.Background())
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		a := rec.Column(0).(*array.String)
		for i := 0; i < a.Len(); i++ {
			if a.IsNull(i) {
				out = append(out, "NULL")
			} else {
				out = append(out, a.Value(i))
			}
		}
		rec.Release()
	}
}

func TestReaderLongRecords(t *testing.T) {
	long := strings.Repeat("x", 1000)
	got, err := readLines(t, "a\n"+long+"\n\\N\nb", types.VarcharT, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a", long, "NULL", "b"}; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got %q, want %q", got, want)
	}

	// A record longer than the limit is refused with its line, not read into memory whole.
	defer func(old int) { recordLimit = old }(recordLimit)
	recordLimit = 256
	_, err = readLines(t, "a\n"+long+"\n", types.VarcharT, 2)
	var de *formats.DataError
	if !errors.As(err, &de) || de.Line != 2 || sqlerr.Code(err) != sqlerr.ProgramLimitExceeded {
		t.Fatalf("got %v, want a too-long record error at line 2", err)
	}
}

func TestReaderErrorsStick(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	src := NewSource("mem://t/f", strings.NewReader("1\nx\n"), 16)
	r, err := NewReader(src, &lineTokenizer{}, Config{
		Columns: []formats.Column{{Name: "c", Type: types.Int32T}}, Projection: []int{0}, Slots: []int{0},
		Stride: 1, Alloc: alloc,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err1 := r.Next(context.Background())
	_, err2 := r.Next(context.Background())
	if err1 == nil || err1 != err2 {
		t.Fatalf("errors %v then %v; want the same error twice", err1, err2)
	}
}

func TestReaderCanceled(t *testing.T) {
	src := NewSource("mem://t/f", strings.NewReader("1\n"), 16)
	r, err := NewReader(src, &lineTokenizer{}, Config{
		Columns: []formats.Column{{Name: "c", Type: types.Int32T}}, Projection: []int{0}, Slots: []int{0}, Stride: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Next(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}
