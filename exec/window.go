package exec

import (
	"context"
	"io"
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
)

// windowOp computes a Window node's functions. It reads its whole input, orders it by the
// partition keys and then the ORDER BY keys (stably, with the sort operator's comparators),
// finds the partitions and peer groups, and appends one column per function. Its output is
// the input in that order.
//
// windowOp consumes all input before its first Next returns (a pipeline breaker).
type windowOp struct {
	input  Operator
	node   *planner.Window
	fctx   *function.Context
	schema *arrow.Schema
	out    arrow.Record
	pos    int64
	done   bool
}

func (w *windowOp) Schema() *arrow.Schema { return w.schema }

func (w *windowOp) Open(ctx context.Context) error {
	w.done, w.pos = false, 0
	return w.input.Open(ctx)
}

func (w *windowOp) Close() error {
	if w.out != nil {
		w.out.Release()
		w.out = nil
	}
	return w.input.Close()
}

func (w *windowOp) Next(ctx context.Context) (arrow.Record, error) {
	if !w.done {
		w.done = true
		out, err := w.run(ctx)
		if err != nil {
			return nil, err
		}
		w.out = out
	}
	if w.out == nil || w.pos >= w.out.NumRows() {
		return nil, io.EOF
	}
	end := min(w.pos+sortBatchRows, w.out.NumRows())
	rec := w.out.NewSlice(w.pos, end)
	w.pos = end
	return rec, nil
}

// winLayout is where each row of the sorted input stands: its partition and peer group,
// as absolute row positions (function's window-kernel context).
type winLayout struct {
	n                  int
	partStart, partEnd []int64
	peerStart, peerEnd []int64
	groupID            []int64 // peer group number of each row (over the whole input)
	groupStart         []int64 // first row of each peer group
}

func (w *windowOp) run(ctx context.Context) (arrow.Record, error) {
	recs, err := drain(ctx, w.input)
	if err != nil {
		return nil, err
	}
	all, err := concatRecords(w.fctx, w.input.Schema(), recs)
	releaseRecs(recs)
	if err != nil {
		return nil, err
	}
	defer all.Release()
	n := int(all.NumRows())
	if n == 0 {
		return nil, nil
	}
	sorted, lay, err := w.order(all)
	if err != nil {
		return nil, err
	}
	defer sorted.Release()
	cols := make([]arrow.Array, 0, len(w.node.Cols))
	for _, c := range sorted.Columns() {
		c.Retain()
		cols = append(cols, c)
	}
	for _, f := range w.node.Funcs {
		if err := ctx.Err(); err != nil {
			releaseAll(cols)
			return nil, err
		}
		a, err := w.compute(f, sorted, lay)
		if err != nil {
			releaseAll(cols)
			return nil, err
		}
		cols = append(cols, a)
	}
	out := array.NewRecord(w.schema, cols, int64(n))
	releaseAll(cols)
	return out, nil
}

// order sorts all by (partition keys, ORDER BY keys) and finds the partitions and peer
// groups.
func (w *windowOp) order(all arrow.Record) (arrow.Record, *winLayout, error) {
	n := int(all.NumRows())
	nodeKeys := make([]planner.SortKey, 0, len(w.node.PartitionBy)+len(w.node.OrderBy))
	for _, e := range w.node.PartitionBy {
		nodeKeys = append(nodeKeys, planner.SortKey{Expr: e})
	}
	nodeKeys = append(nodeKeys, w.node.OrderBy...)
	keyCols := make([]arrow.Array, len(nodeKeys))
	for i, k := range nodeKeys {
		ev, err := compile(k.Expr, w.fctx)
		if err != nil {
			releaseAll(keyCols)
			return nil, nil, err
		}
		if keyCols[i], err = ev.eval(all); err != nil {
			releaseAll(keyCols)
			return nil, nil, err
		}
	}
	sorted := all
	sorted.Retain()
	if len(keyCols) > 0 {
		cmps, err := comparators(keyCols, nodeKeys)
		if err != nil {
			releaseAll(keyCols)
			sorted.Release()
			return nil, nil, err
		}
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool {
			for _, c := range cmps {
				if r := c(idx[a], idx[b]); r != 0 {
					return r < 0
				}
			}
			return false
		})
		sorted.Release()
		if sorted, err = takeRecord(w.fctx.Alloc, all, idx); err != nil {
			releaseAll(keyCols)
			return nil, nil, err
		}
		for i, k := range keyCols {
			taken, err := takeRows(w.fctx.Alloc, k, idx)
			k.Release()
			keyCols[i] = taken
			if err != nil {
				releaseAll(keyCols)
				sorted.Release()
				return nil, nil, err
			}
		}
	}
	lay, err := layout(n, keyCols, nodeKeys, len(w.node.PartitionBy))
	if err != nil {
		releaseAll(keyCols)
		sorted.Release()
		return nil, nil, err
	}
	releaseAll(keyCols)
	return sorted, lay, nil
}

func comparators(cols []arrow.Array, keys []planner.SortKey) ([]func(i, j int) int, error) {
	cmps := make([]func(i, j int) int, len(cols))
	for i, c := range cols {
		var err error
		if cmps[i], err = comparator(c, keys[i].Desc, keys[i].NullsFirst); err != nil {
			return nil, err
		}
	}
	return cmps, nil
}

// layout finds partition and peer-group boundaries in sorted key columns (the first nPart
// are the partition keys).
func layout(n int, keyCols []arrow.Array, keys []planner.SortKey, nPart int) (*winLayout, error) {
	cmps, err := comparators(keyCols, keys)
	if err != nil {
		return nil, err
	}
	lay := &winLayout{n: n,
		partStart: make([]int64, n), partEnd: make([]int64, n),
		peerStart: make([]int64, n), peerEnd: make([]int64, n), groupID: make([]int64, n)}
	var ps, gs int64
	for i := 0; i < n; i++ {
		newPart, newPeer := i == 0, i == 0
		if i > 0 {
			for k, c := range cmps {
				if c(i-1, i) != 0 {
					newPeer = true
					if k < nPart {
						newPart = true
					}
					break
				}
			}
		}
		if newPart {
			ps = int64(i)
		}
		if newPeer {
			gs = int64(i)
			lay.groupStart = append(lay.groupStart, gs)
		}
		lay.partStart[i], lay.peerStart[i] = ps, gs
		lay.groupID[i] = int64(len(lay.groupStart) - 1)
	}
	pe, ge := int64(n), int64(n)
	for i := n - 1; i >= 0; i-- {
		lay.partEnd[i], lay.peerEnd[i] = pe, ge
		if int64(i) == lay.partStart[i] {
			pe = int64(i)
		}
		if int64(i) == lay.peerStart[i] {
			ge = int64(i)
		}
	}
	return lay, nil
}

// compute evaluates one window function over the sorted input.
func (w *windowOp) compute(f planner.WindowFunc, sorted arrow.Record, lay *winLayout) (arrow.Array, error) {
	n := lay.n
	args := make([]arrow.Array, 0, len(f.Args)+function.WindowContextArgs)
	defer func() { releaseAll(args) }()
	for _, e := range f.Args {
		ev, err := compile(e, w.fctx)
		if err != nil {
			return nil, err
		}
		a, err := ev.eval(sorted)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
	}
	frameStart, frameEnd := lay.partStart, lay.partEnd
	if f.UsesFrame {
		var err error
		if frameStart, frameEnd, err = w.frames(f.Frame, sorted, lay); err != nil {
			return nil, err
		}
	}
	if f.Aggregate {
		var mask *array.Boolean
		if f.Filter != nil {
			ev, err := compile(f.Filter, w.fctx)
			if err != nil {
				return nil, err
			}
			m, err := ev.eval(sorted)
			if err != nil {
				return nil, err
			}
			defer m.Release()
			mask = m.(*array.Boolean)
		}
		return frameAggregate(w.fctx, f.Sig, f.Name, args, mask, lay, frameStart, frameEnd)
	}
	for _, v := range [][]int64{lay.partStart, lay.partEnd, lay.peerStart, lay.peerEnd, frameStart, frameEnd} {
		args = append(args, int64Array(w.fctx, v))
	}
	return f.Sig.Kernel(w.fctx, args, n)
}

func int64Array(fctx *function.Context, v []int64) arrow.Array {
	b := array.NewInt64Builder(fctx.Alloc)
	defer b.Release()
	b.AppendValues(v, nil)
	return b.NewArray()
}
