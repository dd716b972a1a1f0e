package parquet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/parquet-go/parquet-go"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
)

// fuzzRow is the schema of the fuzz seeds: each layout the reader has a path for.
type fuzzRow struct {
	ID   int64   `parquet:"id"`
	I32  *int32  `parquet:"i32"`
	S    *string `parquet:"s,dict"`
	B    []byte  `parquet:"b"`
	F    float64 `parquet:"f"`
	OK   *bool   `parquet:"ok"`
	Dec  int64   `parquet:"dec,decimal(2:12)"`
	Fix  [3]byte `parquet:"fix"`
	Ts   int64   `parquet:"ts,timestamp(microsecond)"`
	Date *int32  `parquet:"date,date"`
}

var fuzzDecls = []string{"id bigint", "i32 int", "s varchar", "b varbinary", "f double", "ok boolean",
	"dec decimal(12,2)", "fix varbinary", "ts timestamp", "date date", "missing int"}

func fuzzSeeds(t testing.TB) [][]byte {
	rows := make([]fuzzRow, 40)
	for i := range rows {
		r := &rows[i]
		r.ID, r.F, r.Dec, r.Ts = int64(i), float64(i)/3, int64(i*7), int64(i)<<20
		r.B, r.Fix = []byte{byte(i)}, [3]byte{1, 2, byte(i)}
		if i%3 != 0 {
			r.I32, r.OK, r.Date = ptr(int32(-i)), ptr(i%2 == 0), ptr(int32(i))
		}
		if i%4 != 1 {
			r.S = ptr([]string{"a", "bb", "ccc"}[i%3])
		}
	}
	return [][]byte{
		writeParquet(t, rows),
		writeParquet(t, rows, parquet.DataPageVersion(1), parquet.Compression(&parquet.Snappy)),
		writeParquet(t, rows, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(15)),
		writeParquet(t, rows, parquet.Compression(&parquet.Gzip), parquet.PageBufferSize(64)),
	}
}

// FuzzParquetReader reads mutated Parquet files: every input ends in data or an error, never
// a panic, a hang or an unbounded allocation.
func FuzzParquetReader(f *testing.F) {
	for _, seed := range fuzzSeeds(f) {
		f.Add(seed)
	}
	for _, name := range []string{"alltypes_plain.parquet", "alltypes_dictionary.parquet", "datapage_v2.snappy.parquet", "int96_from_spark.parquet"} {
		if b, err := os.ReadFile(filepath.Join(parquetTesting, "data", name)); err == nil {
			f.Add(b)
		}
	}
	tc := cols(f, fuzzDecls...)
	f.Fuzz(func(t *testing.T, data []byte) {
		store := objstore.NewMemStore()
		ctx := context.Background()
		const key = "mem://fuzz/f.parquet"
		if err := store.Put(ctx, key, bytesReader(data)); err != nil {
			t.Fatal(err)
		}
		obj, _ := store.Stat(ctx, key)
		fm := New()
		splits, err := fm.Splits(ctx, store, obj, nil)
		if err != nil {
			return
		}
		for _, sp := range splits {
			rr, err := fm.Open(ctx, store, sp, nil, formats.Request{Columns: tc, Projection: all(len(tc)), BatchSize: 1000})
			if err != nil {
				continue
			}
			// A footer may claim any number of rows; a column the file lacks reads as NULLs
			// without touching the file, so bound the batches read.
			for range 64 {
				rec, err := rr.Next(ctx)
				if errors.Is(err, io.EOF) || err != nil {
					break
				}
				if err := validateRecord(rec); err != nil {
					t.Fatalf("invalid batch: %v", err)
				}
				rec.Release()
			}
			rr.Close()
		}
	})
}

// validateRecord checks what a consumer relies on: lengths, null counts and offsets.
func validateRecord(rec arrow.Record) error {
	for i, c := range rec.Columns() {
		if int64(c.Len()) != rec.NumRows() {
			return fmt.Errorf("column %d has %d rows, the batch %d", i, c.Len(), rec.NumRows())
		}
		if v, ok := c.(interface{ ValidateFull() error }); ok {
			if err := v.ValidateFull(); err != nil {
				return fmt.Errorf("column %d: %w", i, err)
			}
		}
		nulls := 0
		for j := range c.Len() {
			if c.IsNull(j) {
				nulls++
			}
		}
		if nulls != c.NullN() {
			return fmt.Errorf("column %d: %d null bits, NullN %d", i, nulls, c.NullN())
		}
	}
	return nil
}
