package parquet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
	"github.com/quarrydb/quarry/types"
)

// writeParquet writes rows with parquet-go's generic writer (schema from T's struct tags).
func writeParquet[T any](t testing.TB, rows []T, opts ...parquet.WriterOption) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf, opts...)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// memFile puts data in a fresh memory store.
func memFile(t testing.TB, data []byte) (objstore.Store, objstore.ObjectInfo) {
	t.Helper()
	s := objstore.NewMemStore()
	key := "mem://test/t.parquet"
	if err := s.Put(context.Background(), key, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	obj, err := s.Stat(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return s, obj
}

// cols declares table columns from "name type" pairs, e.g. cols("a bigint", "b varchar").
func cols(t testing.TB, decls ...string) []formats.Column {
	t.Helper()
	out := make([]formats.Column, len(decls))
	for i, d := range decls {
		name, typ, _ := strings.Cut(d, " ")
		ty, err := types.Parse(typ)
		if err != nil {
			t.Fatalf("type %q: %v", typ, err)
		}
		out[i] = formats.Column{Name: name, Type: ty}
	}
	return out
}

func all(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return p
}

// scanResult is everything a scan of a file returned.
type scanResult struct {
	rows    [][]string // values as Arrow's ValueStr prints them; "(null)" for NULL
	batches []int      // rows per batch
	schema  *arrow.Schema
}

// scan reads every split of a file and renders the values. It checks that every buffer the
// reader allocated was released.
func scan(t testing.TB, data []byte, req formats.Request) (*scanResult, error) {
	t.Helper()
	store, obj := memFile(t, data)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	req.Alloc = mem
	ctx := context.Background()
	f := New()
	splits, err := f.Splits(ctx, store, obj, nil)
	if err != nil {
		return nil, err
	}
	res := &scanResult{}
	for _, sp := range splits {
		rr, err := f.Open(ctx, store, sp, nil, req)
		if err != nil {
			return nil, err
		}
		for {
			rec, err := rr.Next(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rr.Close()
				return nil, err
			}
			res.schema = rec.Schema()
			res.batches = append(res.batches, int(rec.NumRows()))
			res.rows = append(res.rows, render(rec)...)
			rec.Release()
		}
		if err := rr.Close(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func mustScan(t testing.TB, data []byte, req formats.Request) *scanResult {
	t.Helper()
	res, err := scan(t, data, req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// render prints a record's rows.
func render(rec arrow.Record) [][]string {
	rows := make([][]string, rec.NumRows())
	for i := range rows {
		rows[i] = make([]string, rec.NumCols())
		for j, c := range rec.Columns() {
			rows[i][j] = valueStr(c, i)
		}
	}
	return rows
}

func valueStr(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "(null)"
	}
	switch a := a.(type) {
	case *array.Binary:
		return string(a.Value(i))
	case *array.FixedSizeBinary:
		return string(a.Value(i))
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Timestamp:
		return a.Value(i).ToTime(arrow.Microsecond).UTC().Format("2006-01-02 15:04:05.999999999")
	}
	return a.ValueStr(i)
}

// column returns column j of the rows.
func (r *scanResult) column(j int) []string {
	out := make([]string, len(r.rows))
	for i, row := range r.rows {
		out[i] = row[j]
	}
	return out
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
