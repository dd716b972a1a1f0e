package function

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Window functions (row_number, rank, lag, first_value, ...) are ordinary Kernels with one
// extra contract: the executor calls them once over the whole input of a Window operator,
// sorted by (partition keys, order keys), and passes after the function's own arguments
// WindowContextArgs Int64 arrays that describe each row's place, in the order of the Win*
// constants below. Every position is an absolute row index into the arrays the kernel gets:
// row i's partition is rows [PartStart[i], PartEnd[i]), its peer group (the rows equal to it
// in the window's ORDER BY; the whole partition without ORDER BY) [PeerStart[i], PeerEnd[i]),
// and its frame [FrameStart[i], FrameEnd[i]) (empty when FrameStart == FrameEnd).
//
// Aggregates used as window functions are not kernels: the executor evaluates them over
// each row's frame with their GroupAccumulator.
const (
	WinPartStart = iota
	WinPartEnd
	WinPeerStart
	WinPeerEnd
	WinFrameStart
	WinFrameEnd
	// WindowContextArgs is the number of context arrays after a window kernel's arguments.
	WindowContextArgs
)

// Error codes of window functions (PostgreSQL's).
const (
	codeInvalidNtile    = "22014" // invalid_argument_for_ntile_function
	codeInvalidNthValue = "22016" // invalid_argument_for_nth_value_function
)

// FrameDependent reports whether a window function's result depends on its frame: the
// aggregates and first_value, last_value and nth_value. The others (ranking, lag, lead) see
// the partition and peer groups only.
func FrameDependent(f *Func) bool {
	if f.Kind == AggregateKind {
		return true
	}
	switch f.Name {
	case "first_value", "last_value", "nth_value":
		return true
	}
	return false
}

// win declares a window function.
func win(name string, b Binder, doc string, sigs ...string) *Func {
	return &Func{Name: name, Kind: WindowKind, Volatility: Immutable, Bind: b, Doc: doc, Signatures: sigs}
}

// winContext is the context arrays of a window kernel call.
type winContext struct {
	partStart, partEnd, peerStart, peerEnd, frameStart, frameEnd []int64
}

func contextOf(args []arrow.Array, nargs int) winContext {
	v := func(k int) []int64 { return args[nargs+k].(*array.Int64).Int64Values() }
	return winContext{v(WinPartStart), v(WinPartEnd), v(WinPeerStart), v(WinPeerEnd), v(WinFrameStart), v(WinFrameEnd)}
}

func alloc(ctx *Context) memory.Allocator {
	if ctx == nil || ctx.Alloc == nil {
		return memory.DefaultAllocator
	}
	return ctx.Alloc
}

func int64Result(ctx *Context, vals []int64, valid []bool) arrow.Array {
	b := array.NewInt64Builder(alloc(ctx))
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

func float64Result(ctx *Context, vals []float64) arrow.Array {
	b := array.NewFloat64Builder(alloc(ctx))
	defer b.Release()
	b.AppendValues(vals, nil)
	return b.NewArray()
}

func int32Result(ctx *Context, vals []int32, valid []bool) arrow.Array {
	b := array.NewInt32Builder(alloc(ctx))
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// bindNoArgs binds a window function without arguments.
func bindNoArgs(ret types.T, k Kernel) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 0 {
			return Sig{}, false
		}
		return Sig{Ret: ret, Kernel: k}, true
	}
}

func rowNumberKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	w := contextOf(args, 0)
	out := make([]int64, n)
	for i := range out {
		out[i] = int64(i) - w.partStart[i] + 1
	}
	return int64Result(ctx, out, nil), nil
}

func rankKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	w := contextOf(args, 0)
	out := make([]int64, n)
	for i := range out {
		out[i] = w.peerStart[i] - w.partStart[i] + 1
	}
	return int64Result(ctx, out, nil), nil
}

func denseRankKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	w := contextOf(args, 0)
	out := make([]int64, n)
	var d int64
	for i := range out {
		switch {
		case int64(i) == w.partStart[i]:
			d = 1
		case int64(i) == w.peerStart[i]:
			d++
		}
		out[i] = d
	}
	return int64Result(ctx, out, nil), nil
}

func percentRankKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	w := contextOf(args, 0)
	out := make([]float64, n)
	for i := range out {
		if size := w.partEnd[i] - w.partStart[i]; size > 1 {
			out[i] = float64(w.peerStart[i]-w.partStart[i]) / float64(size-1)
		}
	}
	return float64Result(ctx, out), nil
}

func cumeDistKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	w := contextOf(args, 0)
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(w.peerEnd[i]-w.partStart[i]) / float64(w.partEnd[i]-w.partStart[i])
	}
	return float64Result(ctx, out), nil
}

// bindIntArg binds a window function of one integer argument (ntile).
func bindNtile(args []types.T) (Sig, bool) {
	if len(args) != 1 || !ImplicitCast(args[0], types.Int32T) {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.Int32T}, Ret: types.Int32T, Kernel: ntileKernel}, true
}

// ntileKernel splits each partition into n buckets as PostgreSQL's window_ntile does: the
// argument is read at the partition's first row, and the first total%n buckets get one row
// more than the others.
func ntileKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	w := contextOf(args, 1)
	arg := args[0].(*array.Int32)
	out := make([]int32, n)
	valid := make([]bool, n)
	for ps := 0; ps < n; {
		pe := int(w.partEnd[ps])
		if arg.IsNull(ps) {
			ps = pe
			continue
		}
		buckets := int64(arg.Value(ps))
		if buckets <= 0 {
			return nil, sqlerr.New(codeInvalidNtile, "argument of ntile must be greater than zero")
		}
		total := int64(pe - ps)
		boundary := total / buckets
		var remainder int64
		if boundary <= 0 {
			boundary = 1
		} else if remainder = total % buckets; remainder != 0 {
			boundary++
		}
		var tile, inBucket int64 = 1, 0
		for i := ps; i < pe; i++ {
			inBucket++
			if boundary < inBucket {
				if remainder != 0 && tile == remainder {
					remainder = 0
					boundary--
				}
				tile++
				inBucket = 1
			}
			out[i], valid[i] = int32(tile), true
		}
		ps = pe
	}
	return int32Result(ctx, out, valid), nil
}

// bindLagLead binds lag/lead(value [, offset integer [, default]]); the default unifies with
// the value as PostgreSQL 13+'s anycompatible does.
func bindLagLead(lead bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) < 1 || len(args) > 3 {
			return Sig{}, false
		}
		t := args[0]
		if t.Kind == types.Unknown {
			t = types.VarcharT
		}
		sig := Sig{Args: []types.T{t}, Ret: t}
		if len(args) >= 2 {
			if !ImplicitCast(args[1], types.Int32T) {
				return Sig{}, false
			}
			sig.Args = append(sig.Args, types.Int32T)
		}
		if len(args) == 3 {
			ct, ok := CommonType(args[0], args[2])
			if !ok {
				return Sig{}, false
			}
			sig.Args[0], sig.Ret = ct, ct
			sig.Args = append(sig.Args, ct)
		}
		sig.Kernel = lagLeadKernel(lead, len(args))
		return sig, true
	}
}

func lagLeadKernel(lead bool, nargs int) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		w := contextOf(args, nargs)
		var off *array.Int32
		if nargs >= 2 {
			off = args[1].(*array.Int32)
		}
		idx := make([]int64, n)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			d := int64(1)
			if off != nil {
				if off.IsNull(i) {
					continue
				}
				d = int64(off.Value(i))
			}
			if !lead {
				d = -d
			}
			if p := int64(i) + d; p >= w.partStart[i] && p < w.partEnd[i] {
				idx[i], valid[i] = p, true
			} else if nargs == 3 {
				idx[i], valid[i] = int64(n+i), true // the row's default
			}
		}
		src := args[0]
		if nargs == 3 {
			cat, err := array.Concatenate([]arrow.Array{args[0], args[2]}, alloc(ctx))
			if err != nil {
				return nil, err
			}
			defer cat.Release()
			src = cat
		}
		return gather(ctx, src, idx, valid)
	}
}

// bindValue binds first_value/last_value(value).
func bindValue(first bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 1 {
			return Sig{}, false
		}
		t := args[0]
		if t.Kind == types.Unknown {
			t = types.VarcharT
		}
		return Sig{Args: []types.T{t}, Ret: t, Kernel: valueKernel(first)}, true
	}
}

func valueKernel(first bool) Kernel {
	return func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
		w := contextOf(args, 1)
		idx := make([]int64, n)
		valid := make([]bool, n)
		for i := 0; i < n; i++ {
			if w.frameStart[i] >= w.frameEnd[i] {
				continue
			}
			idx[i], valid[i] = w.frameStart[i], true
			if !first {
				idx[i] = w.frameEnd[i] - 1
			}
		}
		return gather(ctx, args[0], idx, valid)
	}
}

func bindNthValue(args []types.T) (Sig, bool) {
	if len(args) != 2 || !ImplicitCast(args[1], types.Int32T) {
		return Sig{}, false
	}
	t := args[0]
	if t.Kind == types.Unknown {
		t = types.VarcharT
	}
	return Sig{Args: []types.T{t, types.Int32T}, Ret: t, Kernel: nthValueKernel}, true
}

func nthValueKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	w := contextOf(args, 2)
	nth := args[1].(*array.Int32)
	idx := make([]int64, n)
	valid := make([]bool, n)
	for i := 0; i < n; i++ {
		if nth.IsNull(i) {
			continue
		}
		k := int64(nth.Value(i))
		if k <= 0 {
			return nil, sqlerr.New(codeInvalidNthValue, "argument of nth_value must be greater than zero")
		}
		if p := w.frameStart[i] + k - 1; p < w.frameEnd[i] {
			idx[i], valid[i] = p, true
		}
	}
	return gather(ctx, args[0], idx, valid)
}

// gather returns the array whose row i is src[idx[i]], or NULL where valid[i] is false.
func gather(ctx *Context, src arrow.Array, idx []int64, valid []bool) (arrow.Array, error) {
	if iv, ok := src.(*array.MonthDayNanoInterval); ok {
		// Arrow's take kernel has no 16-byte interval case.
		b := array.NewMonthDayNanoIntervalBuilder(alloc(ctx))
		defer b.Release()
		for i, p := range idx {
			if valid[i] && iv.IsValid(int(p)) {
				b.Append(iv.Value(int(p)))
			} else {
				b.AppendNull()
			}
		}
		return b.NewArray(), nil
	}
	ib := array.NewInt64Builder(alloc(ctx))
	ib.AppendValues(idx, valid)
	indices := ib.NewArray()
	ib.Release()
	defer indices.Release()
	return compute.TakeArray(compute.WithAllocator(context.Background(), alloc(ctx)), src, indices)
}
