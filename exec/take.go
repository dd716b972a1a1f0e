package exec

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// takeRows gathers rows idx of a (any type) into a new array.
func takeRows(alloc memory.Allocator, a arrow.Array, idx []int) (arrow.Array, error) {
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	if iv, ok := a.(*array.MonthDayNanoInterval); ok {
		// Arrow's take kernel has no 16-byte interval case.
		return takeIntervals(alloc, iv, idx), nil
	}
	ib := array.NewInt64Builder(alloc)
	ib.Reserve(len(idx))
	for _, i := range idx {
		ib.UnsafeAppend(int64(i))
	}
	indices := ib.NewArray()
	ib.Release()
	defer indices.Release()
	ctx := compute.WithAllocator(context.Background(), alloc)
	return compute.TakeArray(ctx, a, indices)
}

func takeIntervals(alloc memory.Allocator, a *array.MonthDayNanoInterval, idx []int) arrow.Array {
	b := array.NewMonthDayNanoIntervalBuilder(alloc)
	defer b.Release()
	b.Reserve(len(idx))
	for _, i := range idx {
		if a.IsNull(i) {
			b.AppendNull()
		} else {
			b.Append(a.Value(i))
		}
	}
	return b.NewArray()
}

// takeRecord gathers rows idx of every column of rec.
func takeRecord(alloc memory.Allocator, rec arrow.Record, idx []int) (arrow.Record, error) {
	cols := make([]arrow.Array, rec.NumCols())
	for i := range cols {
		c, err := takeRows(alloc, rec.Column(i), idx)
		if err != nil {
			for _, c := range cols[:i] {
				c.Release()
			}
			return nil, err
		}
		cols[i] = c
	}
	out := array.NewRecord(rec.Schema(), cols, int64(len(idx)))
	for _, c := range cols {
		c.Release()
	}
	return out, nil
}

// filterRecord keeps the rows where mask is true (NULL counts as false).
func filterRecord(alloc memory.Allocator, rec arrow.Record, mask *array.Boolean) (arrow.Record, error) {
	n := mask.Len()
	trues := 0
	for i := 0; i < n; i++ {
		if mask.IsValid(i) && mask.Value(i) {
			trues++
		}
	}
	if trues == n {
		rec.Retain()
		return rec, nil
	}
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	// Gather the kept rows with the typed loops (take_typed.go): Arrow's filter kernel costs
	// a kernel dispatch and several allocations per column per batch, which showed in scans
	// that filter most rows away (TPC-H Q6). Types without a typed loop use the kernel.
	idx := make([]int32, 0, trues)
	for i := 0; i < n; i++ {
		if mask.IsValid(i) && mask.Value(i) {
			idx = append(idx, int32(i))
		}
	}
	var wide []int // idx for takeRows, made when a column needs the kernel
	cols := make([]arrow.Array, rec.NumCols())
	release := func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}
	for i := range cols {
		col := rec.Column(i)
		if c, ok := fastTake(alloc, col, idx); ok {
			cols[i] = c
			continue
		}
		if wide == nil {
			wide = make([]int, len(idx))
			for k, j := range idx {
				wide[k] = int(j)
			}
		}
		c, err := takeRows(alloc, col, wide)
		if err != nil {
			release()
			return nil, err
		}
		cols[i] = c
	}
	out := array.NewRecord(rec.Schema(), cols, int64(trues))
	release()
	return out, nil
}
