package function

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

// Aggregates that collect values: string_agg (PostgreSQL) and array_agg (both dialects),
// in the order the rows arrive (partial accumulators merge in the order Merge is called).
// ORDER BY inside the call is the executor's: it feeds the rows in order (exec's
// orderedAcc).
//
// GroupAccumulator has no Release, so accumulators never retain their argument arrays
// (those belong to the caller's allocator): values are copied, into Go slices for text or
// into arrays on the Go allocator (valueStore) for the other types.

// valueStore keeps copies of argument values of one type, addressed by a position that
// counts rows across every chunk added so far.
type valueStore struct {
	chunks []arrow.Array
	size   int64
}

// add copies a (or only rows idx of it, when idx is not nil) and returns the position of
// its first row.
func (s *valueStore) add(a arrow.Array, idx []int64) (int64, error) {
	var c arrow.Array
	var err error
	if idx == nil {
		c, err = array.Concatenate([]arrow.Array{a}, memory.DefaultAllocator)
	} else {
		c, err = takeInt64(memory.DefaultAllocator, a, idx, nil)
	}
	if err != nil {
		return 0, err
	}
	base := s.size
	s.chunks = append(s.chunks, c)
	s.size += int64(c.Len())
	return base, nil
}

// absorb appends other's chunks and returns the offset to add to other's positions.
func (s *valueStore) absorb(o *valueStore) int64 {
	base := s.size
	s.chunks = append(s.chunks, o.chunks...)
	s.size += o.size
	return base
}

// gather returns the values at positions pos (NULL where valid is false) as an array of
// type dt allocated from mem.
func (s *valueStore) gather(mem memory.Allocator, dt arrow.DataType, pos []int64, valid []bool) (arrow.Array, error) {
	var all arrow.Array
	switch len(s.chunks) {
	case 0:
		all = array.MakeArrayOfNull(memory.DefaultAllocator, dt, 1)
		for i := range pos {
			pos[i] = 0
		}
	case 1:
		all = s.chunks[0]
		all.Retain()
	default:
		var err error
		if all, err = array.Concatenate(s.chunks, memory.DefaultAllocator); err != nil {
			return nil, err
		}
	}
	defer all.Release()
	return takeInt64(mem, all, pos, valid)
}

// takeInt64 gathers rows pos of a (NULL where valid[i] is false, when valid is not nil).
func takeInt64(mem memory.Allocator, a arrow.Array, pos []int64, valid []bool) (arrow.Array, error) {
	ib := array.NewInt64Builder(memory.DefaultAllocator)
	defer ib.Release()
	ib.Reserve(len(pos))
	for i, p := range pos {
		if valid != nil && !valid[i] {
			ib.AppendNull()
			continue
		}
		ib.UnsafeAppend(p)
	}
	indices := ib.NewArray()
	defer indices.Release()
	return compute.TakeArray(compute.WithAllocator(context.Background(), mem), a, indices)
}

// arrayAggAcc implements array_agg: every row's value, NULLs included, per group.
type arrayAggAcc struct {
	elem    arrow.DataType
	ret     arrow.DataType
	store   valueStore
	groups  []uint32 // the group of each stored row, in arrival order
	ngroups int
}

func (a *arrayAggAcc) Resize(n int) { a.ngroups = max(a.ngroups, n) }

func (a *arrayAggAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	if n == 0 {
		return nil
	}
	arg := args[0]
	if arg.Len() != n {
		arg = array.NewSlice(arg, 0, int64(n))
		defer arg.Release()
	}
	if _, err := a.store.add(arg, nil); err != nil {
		return err
	}
	a.groups = append(a.groups, groups[:n]...)
	return nil
}

func (a *arrayAggAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*arrayAggAcc)
	a.Resize(maxMapped(mapping))
	a.store.absorb(&o.store)
	for _, g := range o.groups {
		a.groups = append(a.groups, mapping[g])
	}
	return nil
}

func (a *arrayAggAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	// A stable counting sort by group keeps each group's rows in arrival order.
	counts := make([]int64, a.ngroups+1)
	for _, g := range a.groups {
		counts[g+1]++
	}
	for g := 1; g <= a.ngroups; g++ {
		counts[g] += counts[g-1]
	}
	offsBuf, offs := newFixed[int32](mem, a.ngroups+1)
	seen := make([]bool, a.ngroups)
	for g := 0; g <= a.ngroups; g++ {
		offs[g] = int32(counts[g])
		if g < a.ngroups {
			seen[g] = counts[g+1] > counts[g]
		}
	}
	pos := make([]int64, len(a.groups))
	next := counts[:a.ngroups]
	for r, g := range a.groups {
		pos[next[g]] = int64(r)
		next[g]++
	}
	child, err := a.store.gather(mem, a.elem, pos, nil)
	if err != nil {
		offsBuf.Release()
		return nil, err
	}
	defer child.Release()
	validity, nulls := validityFromSeen(mem, seen, a.ngroups)
	d := array.NewData(a.ret, a.ngroups, []*memory.Buffer{validity, offsBuf}, []arrow.ArrayData{child.Data()}, nulls, 0)
	defer d.Release()
	releaseBuf(validity)
	offsBuf.Release()
	return array.MakeFromData(d), nil
}

func bindArrayAgg(args []types.T) (Sig, bool) {
	if len(args) != 1 {
		return Sig{}, false
	}
	t := args[0]
	if t.Kind == types.Unknown {
		t = types.VarcharT
	}
	if t.Kind == types.Decimal {
		t = asDecimal(t)
	}
	ret := types.ArrayT(t)
	elem, dt := t.Arrow(), ret.Arrow()
	return Sig{Args: []types.T{t}, Ret: ret, Agg: func() GroupAccumulator { return &arrayAggAcc{elem: elem, ret: dt} }}, true
}

// stringAggAcc implements string_agg(value, delimiter): the non-NULL values joined, each
// after the first preceded by its own row's delimiter (a NULL delimiter adds nothing), as
// PostgreSQL does. The delimiter of a group's first value is kept aside so that Merge can
// put it between two partial results.
type stringAggAcc struct {
	dt    arrow.DataType
	buf   [][]byte
	first [][]byte // the delimiter of each group's first value
	seen  []bool
}

func (s *stringAggAcc) Resize(n int) {
	s.buf, s.first, s.seen = grow(s.buf, n), grow(s.first, n), grow(s.seen, n)
}

func (s *stringAggAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	vals, delims := viewBytes(args[0]), viewBytes(args[1])
	dbm, doff, dAllNull := argBitmap(args[1])
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		var d []byte
		if !dAllNull && (dbm == nil || bitutil.BitIsSet(dbm, doff+i)) {
			d = delims.at(i)
		}
		if !s.seen[g] {
			s.seen[g] = true
			s.first[g] = append([]byte(nil), d...)
		} else {
			s.buf[g] = append(s.buf[g], d...)
		}
		s.buf[g] = append(s.buf[g], vals.at(i)...)
	}
	return nil
}

func (s *stringAggAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*stringAggAcc)
	s.Resize(maxMapped(mapping))
	for g := range mapping {
		if !o.seen[g] {
			continue
		}
		t := mapping[g]
		if !s.seen[t] {
			s.seen[t], s.first[t] = true, o.first[g]
			s.buf[t] = append(s.buf[t], o.buf[g]...)
			continue
		}
		s.buf[t] = append(s.buf[t], o.first[g]...)
		s.buf[t] = append(s.buf[t], o.buf[g]...)
	}
	return nil
}

func (s *stringAggAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	size := 0
	for _, b := range s.buf {
		size += len(b)
	}
	out := newBytesOut(mem, len(s.buf), size)
	for _, b := range s.buf {
		out.append(b)
	}
	validity, nulls := validityFromSeen(mem, s.seen, len(s.buf))
	return out.finish(s.dt, validity, nulls), nil
}

func bindStringAgg(args []types.T) (Sig, bool) {
	if len(args) != 2 {
		return Sig{}, false
	}
	if args[0].Kind == types.Bytea && (args[1].Kind == types.Bytea || args[1].Kind == types.Unknown) {
		return Sig{Args: []types.T{types.ByteaT, types.ByteaT}, Ret: types.ByteaT,
			Agg: func() GroupAccumulator { return &stringAggAcc{dt: arrow.BinaryTypes.Binary} }}, true
	}
	if !isStringy(args[0]) || !isStringy(args[1]) {
		return Sig{}, false
	}
	return Sig{Args: []types.T{types.VarcharT, types.VarcharT}, Ret: types.VarcharT,
		Agg: func() GroupAccumulator { return &stringAggAcc{dt: arrow.BinaryTypes.String} }}, true
}
