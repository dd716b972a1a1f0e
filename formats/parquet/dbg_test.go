package parquet

import (
	"context"
	"errors"
	"io"
	"math/rand"
	"os"
	"testing"
	"time"

	"github.com/quarrydb/quarry/formats"
	"github.com/quarrydb/quarry/objstore"
)

func runOne(t *testing.T, data []byte) {
	tc := cols(t, fuzzDecls...)
	store := objstore.NewMemStore()
	ctx := context.Background()
	const key = "mem://fuzz/f.parquet"
	store.Put(ctx, key, bytesReader(data))
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
		for range 64 {
			rec, err := rr.Next(ctx)
			if errors.Is(err, io.EOF) || err != nil {
				break
			}
			rec.Release()
		}
		rr.Close()
	}
}

func TestDbgHang(t *testing.T) {
	seeds := fuzzSeeds(t)
	for _, name := range []string{"alltypes_plain.parquet", "alltypes_dictionary.parquet", "datapage_v2.snappy.parquet", "int96_from_spark.parquet"} {
		b, _ := os.ReadFile("../../../shared/testdata/parquet/data/" + name)
		seeds = append(seeds, b)
	}
	rng := rand.New(rand.NewSource(1))
	for it := 0; it < 20000; it++ {
		s := seeds[rng.Intn(len(seeds))]
		d := append([]byte(nil), s...)
		for k := 0; k < 1+rng.Intn(4); k++ {
			switch rng.Intn(4) {
			case 0:
				d[rng.Intn(len(d))] = byte(rng.Intn(256))
			case 1:
				d[rng.Intn(len(d))] = 0xff
			case 2:
				i := rng.Intn(len(d))
				d = append(d[:i], d[i+1:]...)
			case 3:
				i := rng.Intn(len(d))
				d = append(d[:i], append([]byte{byte(rng.Intn(256))}, d[i:]...)...)
			}
		}
		done := make(chan struct{})
		start := time.Now()
		go func() { defer close(done); runOne(t, d) }()
		select {
		case <-done:
			if time.Since(start) > time.Second {
				t.Logf("slow input %d: %v", it, time.Since(start))
			}
		case <-time.After(5 * time.Second):
			os.WriteFile("/tmp/hang.parquet", d, 0o644)
			panic("hang")
		}
	}
}
