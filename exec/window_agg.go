package exec

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/function"
)

// Aggregates over window frames use the aggregate's GroupAccumulator and pick, from the
// frames themselves, the cheapest of four ways:
//
//   - whole partition (no ORDER BY, or UNBOUNDED on both sides): one group per partition,
//     O(n);
//   - frames that start at the partition's start (the default frame, running totals): the
//     rows are added in order to one group per partition and the value read with Finish
//     after each distinct frame end, O(n) updates and one Finish per peer group;
//   - frames that end at the partition's end, for aggregates whose result does not depend
//     on the order rows arrive in: the same, backwards;
//   - any other frame (sliding frames), and any frames of 16 rows or fewer on average:
//     every row's frame rows are fed to a group of its own, O(sum of frame sizes), in
//     chunks.
//
// Reading a running value with Finish relies on Finish not changing the accumulator's
// state (function's TestWindowFinishRepeatable checks every aggregate for it).

// orderInsensitive lists the aggregates whose result is the same whatever order their rows
// arrive in, which may run backwards over frames that end at the partition's end.
var orderInsensitive = map[string]bool{
	"count": true, "sum": true, "avg": true, "min": true, "max": true,
	"bool_and": true, "every": true, "bool_or": true, "count_if": true,
}

// smallFrameRows is the mean frame size up to which feeding every row its frame beats
// reading running values.
const smallFrameRows = 16

// naiveChunkRows bounds the rows fed to accumulators at once by the sliding-frame method.
const naiveChunkRows = 1 << 20

// frameAggregate computes an aggregate over every row's frame [start[i], end[i]) of the
// sorted input. Rows whose FILTER mask is not true are left out of every frame.
func frameAggregate(fctx *function.Context, sig function.Sig, name string, args []arrow.Array, mask *array.Boolean,
	lay *winLayout, start, end []int64) (arrow.Array, error) {
	n := lay.n
	fa := &frameAgg{fctx: fctx, sig: sig, args: args, valIdx: make([]int64, n)}
	defer fa.release()
	if mask != nil {
		// Work on the kept rows only: position p of the input maps to kept[p], the number of
		// kept rows before it, so a frame [s, e) becomes [kept[s], kept[e]).
		fa.kept = make([]int64, n+1)
		var rows []int
		for i := 0; i < n; i++ {
			fa.kept[i] = int64(len(rows))
			if mask.IsValid(i) && mask.Value(i) {
				rows = append(rows, i)
			}
		}
		fa.kept[n] = int64(len(rows))
		fa.args = make([]arrow.Array, len(args))
		fa.ownArgs = true
		for i, a := range args {
			t, err := takeRows(fctx.Alloc, a, rows)
			if err != nil {
				return nil, err
			}
			fa.args[i] = t
		}
	}
	// Small frames (small partitions, short sliding frames) are cheapest fed row by row:
	// one Update and one Finish per chunk, where running frames Finish once per row.
	var frameRows int64
	for i := range start {
		frameRows += fa.pos(end[i]) - fa.pos(start[i])
	}
	var err error
	switch {
	case sameFrames(start, lay.partStart) && sameFrames(end, lay.partEnd):
		err = fa.whole(lay)
	case frameRows <= smallFrameRows*int64(n):
		err = fa.sliding(start, end)
	case sameFrames(start, lay.partStart) && monotone(end, lay):
		err = fa.running(lay, start, end, false)
	case sameFrames(end, lay.partEnd) && monotone(start, lay) && orderInsensitive[name]:
		err = fa.running(lay, start, end, true)
	default:
		err = fa.sliding(start, end)
	}
	if err != nil {
		return nil, err
	}
	return fa.result()
}

func sameFrames(a, b []int64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// monotone reports whether v never decreases within a partition.
func monotone(v []int64, lay *winLayout) bool {
	for i := 1; i < len(v); i++ {
		if lay.partStart[i] == lay.partStart[i-1] && v[i] < v[i-1] {
			return false
		}
	}
	return true
}

// frameAgg collects the values of an aggregate over frames: vals are Finish results, and
// row i's value is row valIdx[i] of their concatenation.
type frameAgg struct {
	fctx     *function.Context
	sig      function.Sig
	args     []arrow.Array
	ownArgs  bool
	kept     []int64 // nil without FILTER
	vals     []arrow.Array
	nvals    int64
	valIdx   []int64
	zeros    []uint32
	empty    int64 // index of the empty-frame value, once hasEmpty
	hasEmpty bool
}

func (fa *frameAgg) release() {
	releaseAll(fa.vals)
	fa.vals = nil
	if fa.ownArgs {
		releaseAll(fa.args)
	}
}

// pos maps an input position to the kept rows' coordinates.
func (fa *frameAgg) pos(p int64) int64 {
	if fa.kept == nil {
		return p
	}
	return fa.kept[p]
}

func (fa *frameAgg) addVal(a arrow.Array) int64 {
	first := fa.nvals
	fa.vals = append(fa.vals, a)
	fa.nvals += int64(a.Len())
	return first
}

// emptyValue returns the index of the aggregate's value over no rows.
func (fa *frameAgg) emptyValue() (int64, error) {
	if fa.hasEmpty {
		return fa.empty, nil
	}
	acc := fa.sig.Agg()
	acc.Resize(1)
	v, err := acc.Finish(fa.fctx.Alloc)
	if err != nil {
		return 0, err
	}
	fa.empty, fa.hasEmpty = fa.addVal(v), true
	return fa.empty, nil
}

// update feeds kept rows [a, e) to group 0 of acc.
func (fa *frameAgg) update(acc function.GroupAccumulator, a, e int64) error {
	if e <= a {
		return nil
	}
	k := int(e - a)
	if len(fa.zeros) < k {
		fa.zeros = make([]uint32, k)
	}
	sl := make([]arrow.Array, len(fa.args))
	for i, x := range fa.args {
		sl[i] = array.NewSlice(x, a, e)
	}
	err := acc.Update(fa.zeros[:k], sl, k)
	releaseAll(sl)
	return err
}

// whole computes one value per partition.
func (fa *frameAgg) whole(lay *winLayout) error {
	part := make([]int64, lay.n)
	var parts int64 = -1
	for i := range part {
		if int64(i) == lay.partStart[i] {
			parts++
		}
		part[i] = parts
	}
	acc := fa.sig.Agg()
	acc.Resize(int(parts + 1))
	// Group of every kept row.
	var groups []uint32
	for i := 0; i < lay.n; i++ {
		if fa.kept == nil || fa.kept[i+1] > fa.kept[i] {
			groups = append(groups, uint32(part[i]))
		}
	}
	if len(groups) > 0 {
		if err := acc.Update(groups, fa.args, len(groups)); err != nil {
			return err
		}
	}
	v, err := acc.Finish(fa.fctx.Alloc)
	if err != nil {
		return err
	}
	base := fa.addVal(v)
	for i, p := range part {
		fa.valIdx[i] = base + p
	}
	return nil
}

// running computes frames that share one fixed end — the partition's start (forward) or
// its end (backward) — by adding rows to one accumulator per partition as the frames grow
// and reading the value with Finish whenever the frame changed.
func (fa *frameAgg) running(lay *winLayout, start, end []int64, backward bool) error {
	for ps := 0; ps < lay.n; {
		pe := int(lay.partEnd[ps])
		acc := fa.sig.Agg()
		acc.Resize(1)
		fixed := fa.pos(int64(ps))
		if backward {
			fixed = fa.pos(int64(pe))
		}
		grown := fixed // kept rows [fixed, grown) (forward) or [grown, fixed) are in acc
		last, lastIdx := int64(-1), int64(-1)
		for k := 0; k < pe-ps; k++ {
			i := ps + k
			edge := fa.pos(end[i])
			if backward {
				i = pe - 1 - k
				edge = fa.pos(start[i])
			}
			if edge == fixed {
				e, err := fa.emptyValue()
				if err != nil {
					return err
				}
				fa.valIdx[i] = e
				continue
			}
			var err error
			if !backward && edge > grown {
				err = fa.update(acc, grown, edge)
				grown = edge
			} else if backward && edge < grown {
				err = fa.update(acc, edge, grown)
				grown = edge
			}
			if err != nil {
				return err
			}
			if edge != last {
				v, err := acc.Finish(fa.fctx.Alloc)
				if err != nil {
					return err
				}
				last, lastIdx = edge, fa.addVal(v)
			}
			fa.valIdx[i] = lastIdx
		}
		ps = pe
	}
	return nil
}

// sliding computes arbitrary frames by giving every row a group of its own and feeding it
// its frame's rows.
func (fa *frameAgg) sliding(start, end []int64) error {
	n := len(start)
	for c0 := 0; c0 < n; {
		var rows []int
		var groups []uint32
		c1 := c0
		for ; c1 < n && (c1 == c0 || len(rows) < naiveChunkRows); c1++ {
			for r := fa.pos(start[c1]); r < fa.pos(end[c1]); r++ {
				rows = append(rows, int(r))
				groups = append(groups, uint32(c1-c0))
			}
		}
		acc := fa.sig.Agg()
		acc.Resize(c1 - c0)
		if len(rows) > 0 {
			args := make([]arrow.Array, len(fa.args))
			for i, a := range fa.args {
				t, err := takeRows(fa.fctx.Alloc, a, rows)
				if err != nil {
					releaseAll(args[:i])
					return err
				}
				args[i] = t
			}
			err := acc.Update(groups, args, len(rows))
			releaseAll(args)
			if err != nil {
				return err
			}
		}
		v, err := acc.Finish(fa.fctx.Alloc)
		if err != nil {
			return err
		}
		base := fa.addVal(v)
		for i := c0; i < c1; i++ {
			fa.valIdx[i] = base + int64(i-c0)
		}
		c0 = c1
	}
	return nil
}

// result gathers every row's value.
func (fa *frameAgg) result() (arrow.Array, error) {
	var all arrow.Array
	if len(fa.vals) == 1 {
		all = fa.vals[0]
		all.Retain()
	} else {
		var err error
		if all, err = array.Concatenate(fa.vals, fa.fctx.Alloc); err != nil {
			return nil, err
		}
	}
	defer all.Release()
	idx := make([]int, len(fa.valIdx))
	identity := int64(len(idx)) == fa.nvals
	for i, v := range fa.valIdx {
		idx[i] = int(v)
		if v != int64(i) {
			identity = false
		}
	}
	if identity {
		all.Retain()
		return all, nil
	}
	return takeRows(fa.fctx.Alloc, all, idx)
}
