package function

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

// Trino's min_by(x, y) and max_by(x, y): the value of x on the row where y is smallest
// (largest). Rows with a NULL y are skipped; x may be NULL and is then the result. On ties
// the first row seen wins.
//
// The key y is compared in its own type (byAcc is generic over it); x can be any type and
// is copied into a valueStore only for the rows that become a group's best within a batch,
// so a batch costs one small copy however many rows it has.

// keyReader reads column values of the key type K.
type keyReader[K any] struct {
	load func(a arrow.Array) func(i int) K
	less func(a, b K) bool
	keep func(K) K // copies a value that views the batch's buffers (text)
}

type byAcc[K any] struct {
	max  bool
	kr   keyReader[K]
	dt   arrow.DataType // x's Arrow type
	best []K
	has  []bool
	pos  []int64 // position of the group's x in store
	// pend is the batch row that is group g's best so far in this batch, -1 if none.
	pend  []int32
	store valueStore
}

func (b *byAcc[K]) Resize(n int) {
	old := len(b.pend)
	b.best, b.has, b.pos, b.pend = grow(b.best, n), grow(b.has, n), grow(b.pos, n), grow(b.pend, n)
	for i := old; i < len(b.pend); i++ {
		b.pend[i] = -1
	}
}

func (b *byAcc[K]) better(v, than K) bool {
	if b.max {
		return b.kr.less(than, v)
	}
	return b.kr.less(v, than)
}

func (b *byAcc[K]) Update(groups []uint32, args []arrow.Array, n int) error {
	ybm, yoff, allNull := argBitmap(args[1])
	if allNull {
		return nil
	}
	y := b.kr.load(args[1])
	var touched []uint32
	for i, g := range groups[:n] {
		if ybm != nil && !bitIsSet(ybm, yoff+i) {
			continue
		}
		v := y(i)
		if b.has[g] && !b.better(v, b.best[g]) {
			continue
		}
		if b.pend[g] < 0 {
			touched = append(touched, g)
		}
		b.best[g], b.has[g], b.pend[g] = v, true, int32(i)
	}
	if len(touched) == 0 {
		return nil
	}
	idx := make([]int64, len(touched))
	for k, g := range touched {
		idx[k] = int64(b.pend[g])
		b.best[g] = b.kr.keep(b.best[g])
		b.pend[g] = -1
	}
	base, err := b.store.add(args[0], idx)
	if err != nil {
		return err
	}
	for k, g := range touched {
		b.pos[g] = base + int64(k)
	}
	return nil
}

func (b *byAcc[K]) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*byAcc[K])
	b.Resize(maxMapped(mapping))
	base := b.store.absorb(&o.store)
	for g := range mapping {
		t := mapping[g]
		if o.has[g] && (!b.has[t] || b.better(o.best[g], b.best[t])) {
			b.best[t], b.has[t], b.pos[t] = o.best[g], true, base+o.pos[g]
		}
	}
	return nil
}

func (b *byAcc[K]) Finish(mem memory.Allocator) (arrow.Array, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	return b.store.gather(mem, b.dt, append([]int64(nil), b.pos...), b.has)
}

func same[K any](v K) K { return v }

func fixedReader[K arrow.FixedWidthType](less func(a, b K) bool) keyReader[K] {
	return keyReader[K]{
		load: func(a arrow.Array) func(i int) K { v := fixedValues[K](a); return func(i int) K { return v[i] } },
		less: less,
		keep: same[K],
	}
}

var (
	textReader = keyReader[string]{
		load: func(a arrow.Array) func(i int) string {
			v := viewBytes(a)
			return func(i int) string { return bstr(v.at(i)) }
		},
		less: func(a, b string) bool { return a < b },
		keep: strings.Clone,
	}
	boolReader = keyReader[bool]{
		load: func(a arrow.Array) func(i int) bool {
			bm, off := boolBits(a)
			return func(i int) bool { return bitIsSet(bm, off+i) }
		},
		less: func(a, b bool) bool { return !a && b },
		keep: same[bool],
	}
)

func newByAcc[K any](max bool, kr keyReader[K], dt arrow.DataType) GroupAccumulator {
	return &byAcc[K]{max: max, kr: kr, dt: dt}
}

// bindMinMaxBy resolves min_by / max_by for a value type and an orderable key type.
func bindMinMaxBy(max bool) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 2 {
			return Sig{}, false
		}
		x, y := args[0], args[1]
		if x.Kind == types.Unknown {
			x = types.VarcharT
		}
		if y.Kind == types.Unknown {
			y = types.VarcharT
		}
		if x.Kind == types.Decimal {
			x = asDecimal(x)
		}
		if y.Kind == types.Decimal {
			y = asDecimal(y)
		}
		dt := x.Arrow()
		var mk func() GroupAccumulator
		switch y.Kind {
		case types.Int16:
			mk = func() GroupAccumulator { return newByAcc(max, fixedReader(lessOrdered[int16]), dt) }
		case types.Int32, types.Date:
			mk = func() GroupAccumulator { return newByAcc(max, fixedReader(lessOrdered[int32]), dt) }
		case types.Int64, types.Time, types.Timestamp, types.TimestampTZ:
			mk = func() GroupAccumulator { return newByAcc(max, fixedReader(lessOrdered[int64]), dt) }
		case types.Float32:
			mk = func() GroupAccumulator { return newByAcc(max, fixedReader(lessFloat[float32]), dt) }
		case types.Float64:
			mk = func() GroupAccumulator { return newByAcc(max, fixedReader(lessFloat[float64]), dt) }
		case types.Decimal:
			mk = func() GroupAccumulator { return newByAcc(max, fixedReader[decimal128.Num](lessDecimal), dt) }
		case types.Interval:
			mk = func() GroupAccumulator { return newByAcc(max, fixedReader(lessInterval), dt) }
		case types.Varchar, types.Bytea:
			mk = func() GroupAccumulator { return newByAcc(max, textReader, dt) }
		case types.Bool:
			mk = func() GroupAccumulator { return newByAcc(max, boolReader, dt) }
		default:
			return Sig{}, false
		}
		switch x.Kind {
		case types.Map, types.Struct:
			return Sig{}, false
		}
		return Sig{Args: []types.T{x, y}, Ret: x, Agg: mk}, true
	}
}
