package exec

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
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
		"decimal": build(&arrow.Decimal128Type{Precision: 38, Scale: 2}, func(b array.Builder, i int) {
			b.(*array.Decimal128Builder).Append(decimal128.New(int64(i)-3, uint64(i)*1e18))
		}),
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

// TestFilterRecordMatchesKernel filters a record of typed-loop and kernel columns, with NULLs
// in the mask and in the data, at an offset, and compares with Arrow's filter kernel.
func TestFilterRecordMatchesKernel(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	const n = 300
	ib := array.NewInt64Builder(mem)
	db := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 15, Scale: 2})
	sb := array.NewStringBuilder(mem)
	bb := array.NewBooleanBuilder(mem)
	mb := array.NewBooleanBuilder(mem)
	for i := 0; i < n; i++ {
		if i%7 == 0 {
			ib.AppendNull()
			db.AppendNull()
			sb.AppendNull()
			bb.AppendNull()
		} else {
			ib.Append(int64(i))
			db.Append(decimal128.FromI64(int64(i * 101)))
			sb.Append(string(rune('a' + i%26)))
			bb.Append(i%2 == 0)
		}
		switch {
		case i%5 == 0:
			mb.AppendNull()
		default:
			mb.Append(i%3 != 0)
		}
	}
	cols := []arrow.Array{ib.NewArray(), db.NewArray(), sb.NewArray(), bb.NewArray()}
	mask := mb.NewBooleanArray()
	for _, b := range []array.Builder{ib, db, sb, bb, mb} {
		b.Release()
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: cols[0].DataType(), Nullable: true}, {Name: "d", Type: cols[1].DataType(), Nullable: true},
		{Name: "s", Type: cols[2].DataType(), Nullable: true}, {Name: "b", Type: cols[3].DataType(), Nullable: true},
	}, nil)
	whole := array.NewRecord(schema, cols, n)
	for _, c := range cols {
		c.Release()
	}
	defer whole.Release()
	defer mask.Release()
	for _, off := range []int64{0, 13} {
		rec := whole.NewSlice(off, n)
		m := array.NewSlice(mask, off, n).(*array.Boolean)
		got, err := filterRecord(mem, rec, m)
		if err != nil {
			t.Fatal(err)
		}
		want, err := compute.FilterRecordBatch(compute.WithAllocator(context.Background(), mem), rec, m, compute.DefaultFilterOptions())
		if err != nil {
			t.Fatal(err)
		}
		for c := 0; c < int(got.NumCols()); c++ {
			if !array.Equal(got.Column(c), want.Column(c)) {
				t.Errorf("offset %d column %d: got %v\nwant %v", off, c, got.Column(c), want.Column(c))
			}
		}
		if got.NumRows() != want.NumRows() || got.NumRows() == 0 || got.NumRows() == rec.NumRows() {
			t.Errorf("offset %d: got %d rows %v, want %d rows %v", off, got.NumRows(), got, want.NumRows(), want)
		}
		got.Release()
		want.Release()
		m.Release()
		rec.Release()
	}
}
