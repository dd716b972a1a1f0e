package function

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// The set-returning functions generate_series and generate_subscripts, as arrays: the
// planner's Unnest node turns an array into rows, so a set-returning function is an array
// function whose result Unnest expands (unnest itself is the identity).

// maxSeriesRows bounds one call's series: the array is built in memory before it becomes
// rows, where PostgreSQL streams them.
const maxSeriesRows = 10_000_000

// SeriesArray returns the signature of generate_series(start, stop[, step]) over integers,
// as an array per row: start, start+step, ... up to stop (down to it for a negative step).
// A NULL argument gives an empty series; a zero step is an error, as in PostgreSQL.
func SeriesArray(args []types.T) (Sig, bool) {
	if len(args) < 2 || len(args) > 3 {
		return Sig{}, false
	}
	t := types.Int32T
	for _, a := range args {
		switch a.Kind {
		case types.Int16, types.Int32, types.Unknown:
		case types.Int64:
			t = types.Int64T
		default:
			return Sig{}, false
		}
	}
	ts := make([]types.T, len(args))
	for i := range ts {
		ts[i] = t
	}
	return Sig{Args: ts, Ret: types.ArrayT(t), Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		lb := array.NewListBuilder(ctx.mem(), t.Arrow())
		defer lb.Release()
		for i := 0; i < n; i++ {
			lb.Append(true)
			start, ok1 := argInt(in[0], i)
			stop, ok2 := argInt(in[1], i)
			step, ok3 := int64(1), true
			if len(in) == 3 {
				step, ok3 = argInt(in[2], i)
			}
			if !ok1 || !ok2 || !ok3 {
				continue
			}
			if step == 0 {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "step size cannot equal zero")
			}
			count := int64(0)
			if (step > 0 && start <= stop) || (step < 0 && start >= stop) {
				count = (stop-start)/step + 1
			}
			if count > maxSeriesRows {
				return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "generate_series: more than %d rows", maxSeriesRows)
			}
			appendInts(lb.ValueBuilder(), start, step, count)
		}
		return lb.NewArray(), nil
	}}, true
}

// SubscriptsArray returns the signature of generate_subscripts(array, dim[, reverse]): the
// valid subscripts of dimension dim, 1..length for Quarry's one-dimensional arrays (none for
// another dimension or a NULL array), in descending order when reverse is true.
func SubscriptsArray(args []types.T) (Sig, bool) {
	if len(args) < 2 || len(args) > 3 || args[0].Kind != types.Array {
		return Sig{}, false
	}
	ts := []types.T{args[0], types.Int32T}
	if len(args) == 3 {
		ts = append(ts, types.BoolT)
	}
	return Sig{Args: ts, Ret: types.ArrayT(types.Int32T), Kernel: func(ctx *Context, in []arrow.Array, n int) (arrow.Array, error) {
		l, ok := listOf(in[0])
		if !ok {
			return nil, sqlerr.New(sqlerr.InternalError, "generate_subscripts: not a list array")
		}
		lb := array.NewListBuilder(ctx.mem(), types.Int32T.Arrow())
		defer lb.Release()
		for i := 0; i < n; i++ {
			lb.Append(true)
			dim, ok := argInt(in[1], i)
			if !ok || dim != 1 || l.IsNull(i) {
				continue
			}
			start, end := l.ValueOffsets(i)
			count := end - start
			reverse := false
			if len(in) == 3 && in[2].IsValid(i) {
				reverse = in[2].(*array.Boolean).Value(i)
			}
			if reverse {
				appendInts(lb.ValueBuilder(), count, -1, count)
			} else {
				appendInts(lb.ValueBuilder(), 1, 1, count)
			}
		}
		return lb.NewArray(), nil
	}}, true
}

// appendInts appends count values start, start+step, ... to an int32 or int64 builder.
func appendInts(b array.Builder, start, step, count int64) {
	switch vb := b.(type) {
	case *array.Int32Builder:
		for k := int64(0); k < count; k++ {
			vb.Append(int32(start + k*step))
		}
	case *array.Int64Builder:
		for k := int64(0); k < count; k++ {
			vb.Append(start + k*step)
		}
	}
}
