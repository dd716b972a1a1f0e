package exec

import (
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/function"
	"github.com/quarrydb/quarry/planner"
)

// newAccumulator makes the accumulator of one aggregate call: its function's own, or, for
// an aggregate with ORDER BY (array_agg(x ORDER BY y)), an orderedAcc around it.
func newAccumulator(a planner.AggCall) function.GroupAccumulator {
	if len(a.Order) == 0 {
		return a.Sig.Agg()
	}
	return &orderedAcc{nargs: len(a.Args) - len(a.Order), order: a.Order, distinct: a.Distinct, inner: a.Sig.Agg}
}

// orderedAcc runs an aggregate over each group's rows in the order of the call's ORDER BY
// keys. It keeps copies of every row's arguments and keys (the last len(order) columns)
// with the row's group, and only at Finish sorts them by group and keys and feeds them, in
// that order, to a fresh inner accumulator, whose own Update keeps arrival order within a
// group. Deferring the inner aggregate is what makes Merge correct: partial accumulators
// see rows in no useful order, so only the union of their rows can be sorted.
//
// With DISTINCT (whose keys PostgreSQL requires to be arguments) the sort goes on to the
// arguments, so equal argument tuples are adjacent, and only the first of each is fed. A
// NULL is a value here, as in PostgreSQL (array_agg(DISTINCT x ORDER BY x) keeps one NULL);
// strict aggregates skip it themselves.
type orderedAcc struct {
	nargs    int
	order    []planner.AggOrder
	distinct bool
	inner    func() function.GroupAccumulator
	chunks   [][]arrow.Array // per Update, copies of its columns, on the Go allocator
	groups   []uint32        // the group of every kept row, across chunks
	ngroups  int
}

func (o *orderedAcc) Resize(n int) { o.ngroups = max(o.ngroups, n) }

func (o *orderedAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	if n == 0 {
		return nil
	}
	cols := make([]arrow.Array, len(args))
	for i, a := range args {
		s := array.NewSlice(a, 0, int64(n))
		// Accumulators never keep their arguments' arrays, which belong to the caller's
		// allocator: copy them.
		c, err := array.Concatenate([]arrow.Array{s}, memory.DefaultAllocator)
		s.Release()
		if err != nil {
			releaseAll(cols[:i])
			return err
		}
		cols[i] = c
	}
	o.chunks = append(o.chunks, cols)
	o.groups = append(o.groups, groups[:n]...)
	return nil
}

func (o *orderedAcc) Merge(other function.GroupAccumulator, mapping []uint32) error {
	p := other.(*orderedAcc)
	for _, g := range mapping {
		o.Resize(int(g) + 1)
	}
	o.chunks = append(o.chunks, p.chunks...)
	for _, g := range p.groups {
		o.groups = append(o.groups, mapping[g])
	}
	p.chunks, p.groups = nil, nil
	return nil
}

func (o *orderedAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	inner := o.inner()
	inner.Resize(o.ngroups)
	if len(o.groups) == 0 {
		return inner.Finish(mem)
	}
	ncols := len(o.chunks[0])
	cols := make([]arrow.Array, ncols)
	defer releaseAll(cols)
	for c := range cols {
		parts := make([]arrow.Array, len(o.chunks))
		for i, ch := range o.chunks {
			parts[i] = ch[c]
		}
		cat, err := array.Concatenate(parts, memory.DefaultAllocator)
		if err != nil {
			return nil, err
		}
		cols[c] = cat
	}
	var cmps []func(i, j int) int
	for k, ord := range o.order {
		c, err := comparator(cols[o.nargs+k], ord.Desc, ord.NullsFirst)
		if err != nil {
			return nil, err
		}
		cmps = append(cmps, c)
	}
	var argCmps []func(i, j int) int
	if o.distinct {
		for _, a := range cols[:o.nargs] {
			c, err := comparator(a, false, false)
			if err != nil {
				return nil, err
			}
			argCmps = append(argCmps, c)
		}
		cmps = append(cmps, argCmps...)
	}
	idx := make([]int, len(o.groups))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		if o.groups[i] != o.groups[j] {
			return o.groups[i] < o.groups[j]
		}
		for _, c := range cmps {
			if r := c(i, j); r != 0 {
				return r < 0
			}
		}
		return false
	})
	if o.distinct {
		kept := idx[:0]
		for k, i := range idx {
			if k > 0 {
				prev := kept[len(kept)-1]
				if o.groups[prev] == o.groups[i] && rowsEqual(argCmps, prev, i) {
					continue
				}
			}
			kept = append(kept, i)
		}
		idx = kept
	}
	groups := make([]uint32, len(idx))
	for k, i := range idx {
		groups[k] = o.groups[i]
	}
	args := make([]arrow.Array, o.nargs)
	defer releaseAll(args)
	for c := range args {
		taken, err := takeRows(memory.DefaultAllocator, cols[c], idx)
		if err != nil {
			return nil, err
		}
		args[c] = taken
	}
	if err := inner.Update(groups, args, len(groups)); err != nil {
		return nil, err
	}
	return inner.Finish(mem)
}

// rowsEqual reports whether rows i and j compare equal on every comparator (two NULLs are
// equal, as DISTINCT has it).
func rowsEqual(cmps []func(i, j int) int, i, j int) bool {
	for _, c := range cmps {
		if c(i, j) != 0 {
			return false
		}
	}
	return true
}
