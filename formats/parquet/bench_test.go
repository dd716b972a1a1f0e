package parquet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
)

// benchRow is the benchmark table: 1 Mi rows in row groups of 128 Ki, Snappy-compressed as
// Spark and Athena write by default.
type benchRow struct {
	I64     int64  `parquet:"i64"`
	I64Null *int64 `parquet:"i64_null"`
	StrDict string `parquet:"str_dict,dict"`
	Dec     int64  `parquet:"dec,decimal(2:12)"`
}

const benchRows = 1 << 20

var benchFile = sync.OnceValue(func() []byte {
	rows := make([]benchRow, benchRows)
	x := uint64(0x9e3779b97f4a7c15)
	for i := range rows {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		r := &rows[i]
		r.I64 = int64(x >> 1)
		if x%10 != 0 {
			r.I64Null = ptr(int64(x >> 3))
		}
		// 10k distinct strings of about 35 bytes, as in the research benchmark.
		r.StrDict = fmt.Sprintf("customer-%08d-%024d", x%10_000, x%10_000)
		r.Dec = int64(x % 1_000_000_000_00)
	}
	return writeParquet(&testing.T{}, rows, parquet.Compression(&parquet.Snappy), parquet.MaxRowsPerRowGroup(128<<10))
})

func BenchmarkParquetRead(b *testing.B) {
	data := benchFile()
	store, obj := memFile(b, data)
	for _, bc := range []struct {
		name, decl  string
		bytesPerRow int64 // Arrow bytes produced per row
	}{
		{"int64", "i64 bigint", 8},
		{"int64_nullable", "i64_null bigint", 8},
		{"string_dict", "str_dict varchar", 35 + 4},
		{"decimal", "dec decimal(12,2)", 16},
	} {
		b.Run("col="+bc.name, func(b *testing.B) {
			tc := cols(b, bc.decl)
			b.ReportAllocs()
			b.SetBytes(benchRows * bc.bytesPerRow)
			cpu0 := cpuTime()
			for b.Loop() {
				if n := readAllSplits(b, store, obj, formats.Request{Columns: tc, Projection: []int{0}}); n != benchRows {
					b.Fatalf("%d rows", n)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/benchRows, "cpu-ns/row")
		})
	}
}

// readAllSplits reads every split of a file in turn and returns the rows read.
func readAllSplits(b *testing.B, store objstore.Store, obj objstore.ObjectInfo, req formats.Request) int {
	ctx := context.Background()
	f := New()
	splits, err := f.Splits(ctx, store, obj, nil)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, sp := range splits {
		rr, err := f.Open(ctx, store, sp, nil, req)
		if err != nil {
			b.Fatal(err)
		}
		for {
			rec, err := rr.Next(ctx)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n += int(rec.NumRows())
			rec.Release()
		}
		rr.Close()
	}
	return n
}
