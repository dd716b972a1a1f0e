package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/planner"
)

// tryEval is TRY(arg): arg's value, NULL on the rows where arg raises a data error.
//
// Kernels are vectorized and fail a whole batch on the first bad row, so the error does not
// say which rows are bad. The common case, no error, costs one evaluation. On a data error
// the batch is split in halves and each half evaluated again, recursively, down to single
// rows: k failing rows cost O(k log n) evaluations of small slices instead of n of one row.
// Evaluating a row twice is harmless because TRY's argument is a pure expression (volatile
// functions such as random() would be re-drawn for the re-evaluated rows only).
type tryEval struct {
	arg   evaluator
	dt    arrow.DataType
	alloc memory.Allocator
}

func (e *tryEval) eval(rec arrow.Record) (arrow.Array, error) {
	out, err := e.arg.eval(rec)
	if err == nil || !planner.IsDataError(err) {
		return out, err
	}
	var parts []arrow.Array
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	if err := e.split(rec, 0, rec.NumRows(), &parts); err != nil {
		return nil, err
	}
	alloc := e.alloc
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	return array.Concatenate(parts, alloc)
}

// split evaluates rows [lo, hi) of rec, appending the results in row order to parts; a
// single row that raises a data error contributes a NULL.
func (e *tryEval) split(rec arrow.Record, lo, hi int64, parts *[]arrow.Array) error {
	if hi-lo > 1 {
		mid := lo + (hi-lo)/2
		for _, r := range [][2]int64{{lo, mid}, {mid, hi}} {
			sl := rec.NewSlice(r[0], r[1])
			out, err := e.arg.eval(sl)
			sl.Release()
			switch {
			case err == nil:
				*parts = append(*parts, out)
			case !planner.IsDataError(err):
				return err
			default:
				if err := e.split(rec, r[0], r[1], parts); err != nil {
					return err
				}
			}
		}
		return nil
	}
	alloc := e.alloc
	if alloc == nil {
		alloc = memory.DefaultAllocator
	}
	*parts = append(*parts, array.MakeArrayOfNull(alloc, e.dt, int(hi-lo)))
	return nil
}
