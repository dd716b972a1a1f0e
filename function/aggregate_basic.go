package function

import (
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

// count, sum and avg. Accumulators keep their state in slices indexed by group id, grown
// by Resize; Update walks the batch once, with a separate loop for arguments without NULLs
// so the common case checks no bitmap.
//
// Result types, as PostgreSQL's:
//
//	count(*), count(x)        bigint
//	sum(smallint|integer)     bigint
//	sum(bigint)               numeric(38,0)
//	sum(numeric(p,s))         numeric(38,s)
//	sum(real|double)          double precision
//	avg(integer types)        numeric(p,16), p = integer digits + 16
//	avg(numeric(p,s))         numeric(p',s'), s' = max(s, 16) unless that leaves fewer
//	                          than p-s integer digits in 38 (then s' = max(s, 38-(p-s)))
//	avg(real|double)          double precision
//
// avg of exact types is the exact sum divided by the count, rounded half away from zero to
// s' digits; 16 is PostgreSQL's minimum number of significant digits for a quotient, so
// avg(numeric) prints the digits PostgreSQL prints for averages between 1 and 9999.

// grow extends s with zero values to length n.
func grow[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		return s[:n]
	}
	c := max(n, 2*cap(s))
	t := make([]T, n, c)
	copy(t, s)
	return t
}

// maxMapped returns 1 + the largest group id in mapping, for Merge to size itself.
func maxMapped(mapping []uint32) int {
	m := 0
	for _, g := range mapping {
		if int(g)+1 > m {
			m = int(g) + 1
		}
	}
	return m
}

// argBitmap returns the validity bitmap of an aggregate argument, nil when it has no NULLs.
func argBitmap(a arrow.Array) ([]byte, int, bool) {
	bm, off, allNull := validityOf(a)
	return bm, off, allNull
}

// countAcc implements count(*) (star) and count(x).
type countAcc struct {
	counts []int64
	star   bool
}

func (c *countAcc) Resize(n int) { c.counts = grow(c.counts, n) }

func (c *countAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	counts := c.counts
	if c.star || len(args) == 0 {
		for _, g := range groups[:n] {
			counts[g]++
		}
		return nil
	}
	bm, off, allNull := argBitmap(args[0])
	switch {
	case allNull:
	case bm == nil:
		for _, g := range groups[:n] {
			counts[g]++
		}
	default:
		for i, g := range groups[:n] {
			if bitutil.BitIsSet(bm, off+i) {
				counts[g]++
			}
		}
	}
	return nil
}

func (c *countAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*countAcc)
	c.Resize(maxMapped(mapping))
	for g, v := range o.counts[:len(mapping)] {
		c.counts[mapping[g]] += v
	}
	return nil
}

func (c *countAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	return finishFixed(mem, arrow.PrimitiveTypes.Int64, c.counts, nil)
}

// finishFixed builds the result of an accumulator from per-group values and, when not nil,
// a per-group "has a value" flag (false → NULL).
func finishFixed[T arrow.FixedWidthType](mem memory.Allocator, dt arrow.DataType, vals []T, seen []bool) (arrow.Array, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	n := len(vals)
	data, out := newFixed[T](mem, n)
	copy(out, vals)
	validity, nulls := validityFromSeen(mem, seen, n)
	return makeArray(dt, n, validity, data, nulls), nil
}

func validityFromSeen(mem memory.Allocator, seen []bool, n int) (*memory.Buffer, int) {
	if seen == nil {
		return nil, 0
	}
	nulls := 0
	for _, s := range seen[:n] {
		if !s {
			nulls++
		}
	}
	if nulls == 0 {
		return nil, 0
	}
	buf := newBitmap(mem, n)
	bits := buf.Bytes()
	for g, s := range seen[:n] {
		if s {
			bitutil.SetBit(bits, g)
		}
	}
	return buf, nulls
}

// sumIntAcc sums smallint or integer into bigint.
type sumIntAcc[T int16 | int32] struct {
	sums []int64
	cnt  []int64
}

func (s *sumIntAcc[T]) Resize(n int) { s.sums, s.cnt = grow(s.sums, n), grow(s.cnt, n) }

func (s *sumIntAcc[T]) Update(groups []uint32, args []arrow.Array, n int) error {
	vals := fixedValues[T](args[0])
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	sums, cnt := s.sums, s.cnt
	var ovf int64
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		v := int64(vals[i])
		r := sums[g] + v
		ovf |= (sums[g] ^ r) & (v ^ r)
		sums[g] = r
		cnt[g]++
	}
	if ovf < 0 {
		return errOutOfRange(types.Int64)
	}
	return nil
}

func (s *sumIntAcc[T]) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*sumIntAcc[T])
	s.Resize(maxMapped(mapping))
	for g := range mapping {
		t := mapping[g]
		r := s.sums[t] + o.sums[g]
		if (s.sums[t]^r)&(o.sums[g]^r) < 0 {
			return errOutOfRange(types.Int64)
		}
		s.sums[t] = r
		s.cnt[t] += o.cnt[g]
	}
	return nil
}

func (s *sumIntAcc[T]) Finish(mem memory.Allocator) (arrow.Array, error) {
	return finishFixed(mem, arrow.PrimitiveTypes.Int64, s.sums, seenFromCounts(s.cnt))
}

func seenFromCounts(cnt []int64) []bool {
	seen := make([]bool, len(cnt))
	for i, c := range cnt {
		seen[i] = c > 0
	}
	return seen
}

// sum128Acc sums bigint or DECIMAL values exactly in 128 bits. It also serves avg of the
// exact types (avgScale >= 0: divide by the count at Finish).
type sum128Acc struct {
	sums []decimal128.Num
	cnt  []int64
	// ext counts 128-bit wrap-arounds per group (+1 past the top, -1 past the bottom), so
	// the true sum is sums + ext·2^128: avg of values near 10^38 stays exact, and sum
	// reports 22003 only if the final value does not fit.
	ext     []int64
	isInt64 bool    // the argument is bigint (else DECIMAL)
	ret     types.T // result type
	inScale int32   // scale of the argument values
	avg     bool
}

func (s *sum128Acc) Resize(n int) {
	s.sums, s.cnt = grow(s.sums, n), grow(s.cnt, n)
	if s.ext != nil {
		s.ext = grow(s.ext, n)
	}
}

// wrapped records that adding x to group g wrapped around 128 bits.
func (s *sum128Acc) wrapped(g uint32, x decimal128.Num) {
	if s.ext == nil {
		s.ext = make([]int64, len(s.sums))
	}
	if x.Sign() > 0 {
		s.ext[g]++
	} else {
		s.ext[g]--
	}
}

func (s *sum128Acc) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	sums, cnt := s.sums, s.cnt
	if s.isInt64 {
		vals := fixedValues[int64](args[0])
		for i, g := range groups[:n] {
			if bm != nil && !bitutil.BitIsSet(bm, off+i) {
				continue
			}
			r, o := add128(sums[g], fromI64(vals[i]))
			if o {
				s.wrapped(g, fromI64(vals[i]))
			}
			sums[g] = r
			cnt[g]++
		}
	} else {
		vals := fixedValues[decimal128.Num](args[0])
		if bm == nil {
			vals = vals[:n]
			for i, g := range groups[:n] {
				r, o := add128(sums[g], vals[i])
				if o {
					s.wrapped(g, vals[i])
				}
				sums[g] = r
				cnt[g]++
			}
		} else {
			for i, g := range groups[:n] {
				if !bitutil.BitIsSet(bm, off+i) {
					continue
				}
				r, o := add128(sums[g], vals[i])
				if o {
					s.wrapped(g, vals[i])
				}
				sums[g] = r
				cnt[g]++
			}
		}
	}
	return nil
}

func (s *sum128Acc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*sum128Acc)
	s.Resize(maxMapped(mapping))
	for g := range mapping {
		t := mapping[g]
		r, ovf := add128(s.sums[t], o.sums[g])
		if ovf {
			s.wrapped(t, o.sums[g])
		}
		if o.ext != nil && o.ext[g] != 0 {
			if s.ext == nil {
				s.ext = make([]int64, len(s.sums))
			}
			s.ext[t] += o.ext[g]
		}
		s.sums[t] = r
		s.cnt[t] += o.cnt[g]
	}
	return nil
}

func (s *sum128Acc) Finish(mem memory.Allocator) (arrow.Array, error) {
	out := make([]decimal128.Num, len(s.sums))
	for g, v := range s.sums {
		if s.cnt[g] == 0 {
			continue
		}
		if s.ext != nil && s.ext[g] != 0 {
			var err error
			if v, err = s.finishWide(g); err != nil {
				return nil, err
			}
			out[g] = v
			continue
		}
		if s.avg {
			x, ovf := scaleUp(v, s.ret.Scale-s.inScale)
			var ok bool
			if ovf {
				x, ok = divRoundBig(mulPow10Big(v, s.ret.Scale-s.inScale), big.NewInt(s.cnt[g]))
			} else {
				x, ok = divRound(x, fromI64(s.cnt[g]))
			}
			if !ok {
				return nil, errNumericOverflow(types.T{})
			}
			v = x
		}
		if !fitsPrecision(v, s.ret.Precision) {
			return nil, errNumericOverflow(types.T{})
		}
		out[g] = v
	}
	return finishFixed(mem, s.ret.Arrow(), out, seenFromCounts(s.cnt))
}

// finishWide finishes a group whose sum went beyond 128 bits, with math/big.
func (s *sum128Acc) finishWide(g int) (decimal128.Num, error) {
	v := s.sums[g].BigInt()
	v.Add(v, new(big.Int).Lsh(big.NewInt(s.ext[g]), 128))
	if s.avg {
		v.Mul(v, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s.ret.Scale-s.inScale)), nil))
		r, ok := divRoundBig(v, big.NewInt(s.cnt[g]))
		if !ok || !fitsPrecision(r, s.ret.Precision) {
			return num{}, errNumericOverflow(types.T{})
		}
		return r, nil
	}
	return num{}, errNumericOverflow(types.T{})
}

// sumFloatAcc sums real or double precision into double precision; with avg it divides.
type sumFloatAcc[T float32 | float64] struct {
	sums []float64
	cnt  []int64
	avg  bool
}

func (s *sumFloatAcc[T]) Resize(n int) { s.sums, s.cnt = grow(s.sums, n), grow(s.cnt, n) }

func (s *sumFloatAcc[T]) Update(groups []uint32, args []arrow.Array, n int) error {
	vals := fixedValues[T](args[0])
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	sums, cnt := s.sums, s.cnt
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		sums[g] += float64(vals[i])
		cnt[g]++
	}
	return nil
}

func (s *sumFloatAcc[T]) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*sumFloatAcc[T])
	s.Resize(maxMapped(mapping))
	for g := range mapping {
		s.sums[mapping[g]] += o.sums[g]
		s.cnt[mapping[g]] += o.cnt[g]
	}
	return nil
}

func (s *sumFloatAcc[T]) Finish(mem memory.Allocator) (arrow.Array, error) {
	out := s.sums
	if s.avg {
		out = make([]float64, len(s.sums))
		for g := range out {
			if s.cnt[g] > 0 {
				out[g] = s.sums[g] / float64(s.cnt[g])
			}
		}
	}
	return finishFixed(mem, arrow.PrimitiveTypes.Float64, out, seenFromCounts(s.cnt))
}

// sumType returns sum's result type for an argument type.
func sumType(t types.T) (types.T, bool) {
	switch t.Kind {
	case types.Int16, types.Int32:
		return types.Int64T, true
	case types.Int64:
		return types.DecimalT(38, 0), true
	case types.Decimal:
		return types.DecimalT(38, t.Scale), true
	case types.Float32, types.Float64:
		return types.Float64T, true
	case types.Interval:
		return types.IntervalT, true
	}
	return types.T{}, false
}

// avgType returns avg's result type for an argument type.
func avgType(t types.T) (types.T, bool) {
	switch t.Kind {
	case types.Int16, types.Int32, types.Int64:
		d := asDecimal(t)
		return types.DecimalT(d.Precision+16, 16), true
	case types.Decimal:
		d := asDecimal(t)
		intd := d.Precision - d.Scale
		s := max(d.Scale, 16)
		if intd+s > 38 {
			s = max(d.Scale, 38-intd)
		}
		return types.DecimalT(min(38, intd+s), s), true
	case types.Float32, types.Float64:
		return types.Float64T, true
	}
	return types.T{}, false
}

func bindSum(args []types.T) (Sig, bool) {
	if len(args) != 1 {
		return Sig{}, false
	}
	t := args[0]
	if t.Kind == types.Unknown {
		t = types.Float64T
	}
	ret, ok := sumType(t)
	if !ok {
		return Sig{}, false
	}
	var mk func() GroupAccumulator
	switch t.Kind {
	case types.Int16:
		mk = func() GroupAccumulator { return &sumIntAcc[int16]{} }
	case types.Int32:
		mk = func() GroupAccumulator { return &sumIntAcc[int32]{} }
	case types.Int64:
		mk = func() GroupAccumulator { return &sum128Acc{isInt64: true, ret: ret} }
	case types.Decimal:
		t = asDecimal(t)
		mk = func() GroupAccumulator { return &sum128Acc{ret: ret, inScale: t.Scale} }
	case types.Float32:
		mk = func() GroupAccumulator { return &sumFloatAcc[float32]{} }
	case types.Float64:
		mk = func() GroupAccumulator { return &sumFloatAcc[float64]{} }
	case types.Interval:
		mk = func() GroupAccumulator { return &intervalSumAcc{} }
	}
	return Sig{Args: []types.T{t}, Ret: ret, Agg: mk}, true
}

func bindAvg(args []types.T) (Sig, bool) {
	if len(args) != 1 {
		return Sig{}, false
	}
	t := args[0]
	if t.Kind == types.Unknown {
		t = types.Float64T
	}
	if t.Kind == types.Interval {
		return Sig{Args: []types.T{t}, Ret: t, Agg: func() GroupAccumulator { return &intervalSumAcc{avg: true} }}, true
	}
	ret, ok := avgType(t)
	if !ok {
		return Sig{}, false
	}
	var mk func() GroupAccumulator
	switch t.Kind {
	case types.Int16, types.Int32, types.Int64:
		// Integers are summed as bigint in 128 bits, then divided.
		t = types.Int64T
		mk = func() GroupAccumulator { return &sum128Acc{isInt64: true, ret: ret, avg: true} }
	case types.Decimal:
		t = asDecimal(t)
		mk = func() GroupAccumulator { return &sum128Acc{ret: ret, inScale: t.Scale, avg: true} }
	case types.Float32:
		mk = func() GroupAccumulator { return &sumFloatAcc[float32]{avg: true} }
	case types.Float64:
		mk = func() GroupAccumulator { return &sumFloatAcc[float64]{avg: true} }
	}
	return Sig{Args: []types.T{t}, Ret: ret, Agg: mk}, true
}

func bindCount(args []types.T) (Sig, bool) {
	switch len(args) {
	case 0:
		return Sig{Ret: types.Int64T, Agg: func() GroupAccumulator { return &countAcc{star: true} }}, true
	case 1:
		return Sig{Args: []types.T{args[0]}, Ret: types.Int64T, Agg: func() GroupAccumulator { return &countAcc{} }}, true
	}
	return Sig{}, false
}
