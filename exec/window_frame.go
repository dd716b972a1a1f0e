package exec

import (
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/quarrydb/quarry/planner"
)

// frames returns each row's frame [start, end) as absolute positions in the sorted input.
// An empty frame has end == start.
func (w *windowOp) frames(f planner.Frame, sorted arrow.Record, lay *winLayout) (start, end []int64, err error) {
	n := lay.n
	// RANGE offsets: each bound's values are appended to the ORDER BY key's, so that one
	// comparator orders a row's key (at r) against another row's bound (at n+i).
	bounds := map[*planner.FrameBound]arrow.Array{}
	if f.Key != nil {
		key, err := w.evalExpr(f.Key, sorted)
		if err != nil {
			return nil, nil, err
		}
		defer key.Release()
		for _, b := range []*planner.FrameBound{&f.Start, &f.End} {
			if b.Value == nil {
				continue
			}
			v, err := w.evalExpr(b.Value, sorted)
			if err != nil {
				return nil, nil, err
			}
			cat, err := array.Concatenate([]arrow.Array{key, v}, w.fctx.Alloc)
			v.Release()
			if err != nil {
				return nil, nil, err
			}
			defer cat.Release()
			bounds[b] = cat
		}
	}
	rangeCmp := func(b *planner.FrameBound) (func(r, i int) int, arrow.Array, error) {
		cat := bounds[b]
		key := w.node.OrderBy[0]
		c, err := comparator(cat, key.Desc, key.NullsFirst)
		if err != nil {
			return nil, nil, err
		}
		return func(r, i int) int { return c(r, n+i) }, cat, nil
	}
	start = make([]int64, n)
	end = make([]int64, n)
	if err := w.bound(f, &f.Start, true, lay, start, rangeCmp); err != nil {
		return nil, nil, err
	}
	if err := w.bound(f, &f.End, false, lay, end, rangeCmp); err != nil {
		return nil, nil, err
	}
	for i := range end {
		if end[i] < start[i] {
			end[i] = start[i]
		}
	}
	return start, end, nil
}

func (w *windowOp) evalExpr(e planner.Expr, rec arrow.Record) (arrow.Array, error) {
	ev, err := compile(e, w.fctx)
	if err != nil {
		return nil, err
	}
	return ev.eval(rec)
}

// bound fills out with one end of every row's frame: the first row of the frame (isStart)
// or one past its last row.
func (w *windowOp) bound(f planner.Frame, b *planner.FrameBound, isStart bool, lay *winLayout, out []int64,
	rangeCmp func(*planner.FrameBound) (func(r, i int) int, arrow.Array, error)) error {
	n := lay.n
	switch b.Kind {
	case planner.UnboundedPreceding:
		copy(out, lay.partStart)
		return nil
	case planner.UnboundedFollowing:
		copy(out, lay.partEnd)
		return nil
	case planner.CurrentRow:
		switch {
		case f.Mode == planner.FrameRows && isStart:
			for i := range out {
				out[i] = int64(i)
			}
		case f.Mode == planner.FrameRows:
			for i := range out {
				out[i] = int64(i) + 1
			}
		case isStart:
			copy(out, lay.peerStart)
		default:
			copy(out, lay.peerEnd)
		}
		return nil
	}
	preceding := b.Kind == planner.OffsetPreceding
	off := b.Offset
	switch f.Mode {
	case planner.FrameRows:
		for i := 0; i < n; i++ {
			base := int64(i)
			if !isStart {
				base++ // an end is one past the bound row
			}
			if preceding {
				out[i] = sub(base, off, lay.partStart[i])
			} else {
				out[i] = add(base, off, lay.partEnd[i])
			}
		}
	case planner.FrameGroups:
		for i := 0; i < n; i++ {
			ps, pe := lay.partStart[i], lay.partEnd[i]
			first, last := lay.groupID[ps], lay.groupID[pe-1]
			g := lay.groupID[i]
			var tg int64
			if preceding {
				if off > g-first {
					out[i] = ps
					continue
				}
				tg = g - off
			} else {
				if off > last-g {
					out[i] = pe
					continue
				}
				tg = g + off
			}
			switch {
			case isStart:
				out[i] = lay.groupStart[tg]
			case tg == last:
				out[i] = pe
			default:
				out[i] = lay.groupStart[tg+1]
			}
		}
	default: // RANGE: search the partition for the bound value.
		cmp, cat, err := rangeCmp(b)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if cat.IsNull(i) {
				// A NULL key's frame bound is its peer group (the other NULLs).
				if isStart {
					out[i] = lay.peerStart[i]
				} else {
					out[i] = lay.peerEnd[i]
				}
				continue
			}
			ps, pe := int(lay.partStart[i]), int(lay.partEnd[i])
			r := sort.Search(pe-ps, func(k int) bool {
				c := cmp(ps+k, i)
				if isStart {
					return c >= 0
				}
				return c > 0
			})
			out[i] = int64(ps + r)
		}
	}
	return nil
}

// sub returns base-off, or lo when that is below lo (without overflowing).
func sub(base, off, lo int64) int64 {
	if off > base-lo {
		return lo
	}
	return base - off
}

// add returns base+off, or hi when that is above hi (without overflowing).
func add(base, off, hi int64) int64 {
	if off > hi-base {
		return hi
	}
	return base + off
}
