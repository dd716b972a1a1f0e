package exec

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestFastTakeMatchesKernel gathers rows of every layout the typed loops serve, NULLs,
// sliced arrays and -1 indices included, and compares with Arrow's take kernel.
func TestFastTakeMatchesKernel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	valid := []bool{true, false, true, true, true, false, true}
	build := func(dt arrow.DataType, fill func(b array.Builder, i int)) arrow.Array {
		b := array.NewBuilder(mem, dt)
		defer b.Release()
		for i, v := range valid {
			if v {
				fill(b, i)
			} else {
				b.AppendNull()
			}
		}
		return b.NewArray()
	}
	arrays := map[string]arrow.Array{
		"int8":    build(arrow.PrimitiveTypes.Int8, func(b array.Builder, i int) { b.(*array.Int8Builder).Append(int8(i - 3)) }),
		"int16":   build(arrow.PrimitiveTypes.Int16, func(b array.Builder, i int) { b.(*array.Int16Builder).Append(int16(i * 1000)) }),
		"int32":   build(arrow.PrimitiveTypes.Int32, func(b array.Builder, i int) { b.(*array.Int32Builder).Append(int32(i * 7)) }),
		"int64":   build(arrow.PrimitiveTypes.Int64, func(b array.Builder, i int) { b.(*array.Int64Builder).Append(int64(i) << 40) }),
		"float64": build(arrow.PrimitiveTypes.Float64, func(b array.Builder, i int) { b.(*array.Float64Builder).Append(float64(i) / 3) }),
		"date32":  build(arrow.FixedWidthTypes.Date32, func(b array.Builder, i int) { b.(*array.Date32Builder).Append(arrow.Date32(19000 + i)) }),
		"ts":      build(arrow.FixedWidthTypes.Timestamp_us, func(b array.Builder, i int) { b.(*array.TimestampBuilder).Append(arrow.Timestamp(i * 1e6)) }),
		"string":  build(arrow.BinaryTypes.String, func(b array.Builder, i int) { b.(*array.StringBuilder).Append(string(rune('a'+i)) + "xyz"[:i%3]) }),
	}
	for name, whole := range arrays {
		for _, a := range []arrow.Array{whole, array.NewSlice(whole, 2, 7)} {
			for _, idx := range [][]int32{{0, 1, 2, 3, 4}, {4, -1, 0, 0, 2}, {}, {-1, -1}} {
				got, ok := fastTake(mem, a, idx)
				if !ok {
					t.Fatalf("%s: no typed loop", name)
				}
				ib := array.NewInt32Builder(mem)
				for _, i := range idx {
					if i < 0 {
						ib.AppendNull()
					} else {
						ib.Append(i)
					}
				}
				ia := ib.NewArray()
				ib.Release()
				want, err := compute.TakeArray(compute.WithAllocator(context.Background(), mem), a, ia)
				ia.Release()
				if err != nil {
					t.Fatal(err)
				}
				if !array.Equal(got, want) || got.NullN() != want.NullN() {
					t.Errorf("%s (offset %d) %v: got %v, want %v", name, a.Data().Offset(), idx, got, want)
				}
				got.Release()
				want.Release()
			}
			if a != whole {
				a.Release()
			}
		}
		whole.Release()
	}
	// Types without a typed loop go to the kernel.
	b := array.NewBooleanBuilder(mem)
	b.Append(true)
	bools := b.NewArray()
	b.Release()
	defer bools.Release()
	if _, ok := fastTake(mem, bools, []int32{0}); ok {
		t.Error("booleans took the fixed-width loop")
	}
}
