package function

import (
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

// min, max and arbitrary/any_value over every orderable type, plus the boolean aggregates
// (bool_and/every, bool_or, count_if) and sum/avg of intervals. A group's state is its
// current value and whether it has one; NULL arguments are skipped.

type extremeMode uint8

const (
	modeMin extremeMode = iota
	modeMax
	modeAny // the first non-NULL value (arbitrary, any_value)
)

// extremeAcc keeps the min, max or first value of fixed-width values. less orders the
// values (floats order NaN last, as PostgreSQL does).
type extremeAcc[T arrow.FixedWidthType] struct {
	mode extremeMode
	less func(a, b T) bool
	dt   arrow.DataType
	vals []T
	seen []bool
}

func (e *extremeAcc[T]) Resize(n int) { e.vals, e.seen = grow(e.vals, n), grow(e.seen, n) }

// offer folds v into group g.
func (e *extremeAcc[T]) offer(g uint32, v T) {
	switch {
	case !e.seen[g]:
		e.vals[g], e.seen[g] = v, true
	case e.mode == modeMin:
		if e.less(v, e.vals[g]) {
			e.vals[g] = v
		}
	case e.mode == modeMax:
		if e.less(e.vals[g], v) {
			e.vals[g] = v
		}
	}
}

func (e *extremeAcc[T]) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	vals := fixedValues[T](args[0])
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		e.offer(g, vals[i])
	}
	return nil
}

func (e *extremeAcc[T]) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*extremeAcc[T])
	e.Resize(maxMapped(mapping))
	for g := range mapping {
		if o.seen[g] {
			e.offer(mapping[g], o.vals[g])
		}
	}
	return nil
}

func (e *extremeAcc[T]) Finish(mem memory.Allocator) (arrow.Array, error) {
	return finishFixed(mem, e.dt, e.vals, e.seen)
}

func lessOrdered[T int16 | int32 | int64](a, b T) bool { return a < b }

func lessFloat[T float32 | float64](a, b T) bool { return a < b || (b != b && a == a) }

func lessDecimal(a, b decimal128.Num) bool { return cmp128(a, b) < 0 }

func lessInterval(a, b arrow.MonthDayNanoInterval) bool { return cmpInterval(a, b) < 0 }

// bytesExtremeAcc keeps the min, max or first value of text or bytea, compared bytewise.
// Values are copied into Go strings only when they replace a group's value.
type bytesExtremeAcc struct {
	mode extremeMode
	dt   arrow.DataType
	vals []string
	seen []bool
}

func (e *bytesExtremeAcc) Resize(n int) { e.vals, e.seen = grow(e.vals, n), grow(e.seen, n) }

func (e *bytesExtremeAcc) offer(g uint32, v string, copyIt bool) {
	replace := !e.seen[g]
	if !replace {
		switch e.mode {
		case modeMin:
			replace = v < e.vals[g]
		case modeMax:
			replace = v > e.vals[g]
		}
	}
	if replace {
		if copyIt {
			v = strings.Clone(v)
		}
		e.vals[g], e.seen[g] = v, true
	}
}

func (e *bytesExtremeAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	v := viewBytes(args[0])
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		e.offer(g, bstr(v.at(i)), true)
	}
	return nil
}

func (e *bytesExtremeAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*bytesExtremeAcc)
	e.Resize(maxMapped(mapping))
	for g := range mapping {
		if o.seen[g] {
			e.offer(mapping[g], o.vals[g], false)
		}
	}
	return nil
}

func (e *bytesExtremeAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	n := len(e.vals)
	size := 0
	for _, s := range e.vals {
		size += len(s)
	}
	out := newBytesOut(mem, n, size)
	for _, s := range e.vals {
		out.appendString(s)
	}
	validity, nulls := validityFromSeen(mem, e.seen, n)
	return out.finish(e.dt, validity, nulls), nil
}

// boolAcc implements bool_and/every (and), bool_or (or), min/max of booleans (the same),
// arbitrary of booleans, and count_if (counting true values).
type boolAcc struct {
	op    byte // '&', '|', 'a' (any), 'c' (count_if)
	vals  []bool
	seen  []bool
	count []int64
}

func (b *boolAcc) Resize(n int) {
	b.vals, b.seen = grow(b.vals, n), grow(b.seen, n)
	if b.op == 'c' {
		b.count = grow(b.count, n)
	}
}

func (b *boolAcc) offer(g uint32, v bool) {
	if b.op == 'c' {
		if v {
			b.count[g]++
		}
		return
	}
	switch {
	case !b.seen[g]:
		b.vals[g], b.seen[g] = v, true
	case b.op == '&':
		b.vals[g] = b.vals[g] && v
	case b.op == '|':
		b.vals[g] = b.vals[g] || v
	}
}

func (b *boolAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	vb, voff := boolBits(args[0])
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		b.offer(g, bitutil.BitIsSet(vb, voff+i))
	}
	return nil
}

func (b *boolAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*boolAcc)
	b.Resize(maxMapped(mapping))
	for g := range mapping {
		t := mapping[g]
		if b.op == 'c' {
			b.count[t] += o.count[g]
			continue
		}
		if o.seen[g] {
			b.offer(t, o.vals[g])
		}
	}
	return nil
}

func (b *boolAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if b.op == 'c' {
		return finishFixed(mem, arrow.PrimitiveTypes.Int64, b.count, nil)
	}
	n := len(b.vals)
	bits := newBitmap(mem, n)
	for g, v := range b.vals {
		if v {
			bitutil.SetBit(bits.Bytes(), g)
		}
	}
	validity, nulls := validityFromSeen(mem, b.seen, n)
	return makeArray(arrow.FixedWidthTypes.Boolean, n, validity, bits, nulls), nil
}

// intervalSumAcc sums intervals field by field (months, days, time), as PostgreSQL's
// interval_pl does; avg divides each field by the count with interval_div's spill rules.
type intervalSumAcc struct {
	months, days, ns []int64
	cnt              []int64
	avg              bool
}

func (s *intervalSumAcc) Resize(n int) {
	s.months, s.days, s.ns, s.cnt = grow(s.months, n), grow(s.days, n), grow(s.ns, n), grow(s.cnt, n)
}

func (s *intervalSumAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	vals := fixedValues[arrow.MonthDayNanoInterval](args[0])
	over := false
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		v := vals[i]
		s.months[g] += int64(v.Months)
		s.days[g] += int64(v.Days)
		s.ns[g] = addSat(s.ns[g], v.Nanoseconds, &over)
		s.cnt[g]++
	}
	if over {
		return errOutOfRange(types.Interval)
	}
	return nil
}

func (s *intervalSumAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*intervalSumAcc)
	s.Resize(maxMapped(mapping))
	over := false
	for g := range mapping {
		t := mapping[g]
		s.months[t] += o.months[g]
		s.days[t] += o.days[g]
		s.ns[t] = addSat(s.ns[t], o.ns[g], &over)
		s.cnt[t] += o.cnt[g]
	}
	if over {
		return errOutOfRange(types.Interval)
	}
	return nil
}

func (s *intervalSumAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	out := make([]arrow.MonthDayNanoInterval, len(s.cnt))
	for g := range out {
		if s.cnt[g] == 0 {
			continue
		}
		m, d := s.months[g], s.days[g]
		if m != int64(int32(m)) || d != int64(int32(d)) {
			return nil, errOutOfRange(types.Interval)
		}
		v := arrow.MonthDayNanoInterval{Months: int32(m), Days: int32(d), Nanoseconds: s.ns[g]}
		if s.avg {
			var err error
			if v, err = mulInterval(v, 1/float64(s.cnt[g])); err != nil {
				return nil, err
			}
		}
		out[g] = v
	}
	return finishFixed(mem, types.IntervalT.Arrow(), out, seenFromCounts(s.cnt))
}

// bindExtreme resolves min, max and arbitrary for an argument type.
func bindExtreme(mode extremeMode) Binder {
	return func(args []types.T) (Sig, bool) {
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
		dt := t.Arrow()
		var mk func() GroupAccumulator
		switch t.Kind {
		case types.Int16:
			mk = func() GroupAccumulator { return &extremeAcc[int16]{mode: mode, less: lessOrdered[int16], dt: dt} }
		case types.Int32, types.Date:
			mk = func() GroupAccumulator { return &extremeAcc[int32]{mode: mode, less: lessOrdered[int32], dt: dt} }
		case types.Int64, types.Time, types.Timestamp, types.TimestampTZ:
			mk = func() GroupAccumulator { return &extremeAcc[int64]{mode: mode, less: lessOrdered[int64], dt: dt} }
		case types.Float32:
			mk = func() GroupAccumulator { return &extremeAcc[float32]{mode: mode, less: lessFloat[float32], dt: dt} }
		case types.Float64:
			mk = func() GroupAccumulator { return &extremeAcc[float64]{mode: mode, less: lessFloat[float64], dt: dt} }
		case types.Decimal:
			mk = func() GroupAccumulator { return &extremeAcc[decimal128.Num]{mode: mode, less: lessDecimal, dt: dt} }
		case types.Interval:
			mk = func() GroupAccumulator {
				return &extremeAcc[arrow.MonthDayNanoInterval]{mode: mode, less: lessInterval, dt: dt}
			}
		case types.Varchar, types.Bytea, types.JSON:
			if t.Kind == types.JSON && mode != modeAny {
				return Sig{}, false
			}
			mk = func() GroupAccumulator { return &bytesExtremeAcc{mode: mode, dt: dt} }
		case types.Bool:
			op := byte('a')
			switch mode {
			case modeMin:
				op = '&'
			case modeMax:
				op = '|'
			}
			mk = func() GroupAccumulator { return &boolAcc{op: op} }
		default:
			return Sig{}, false
		}
		return Sig{Args: []types.T{t}, Ret: t, Agg: mk}, true
	}
}

// bindBoolAgg resolves bool_and/every ('&'), bool_or ('|') and count_if ('c').
func bindBoolAgg(op byte) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != 1 || (args[0].Kind != types.Bool && args[0].Kind != types.Unknown) {
			return Sig{}, false
		}
		ret := types.BoolT
		if op == 'c' {
			ret = types.Int64T
		}
		return Sig{Args: []types.T{types.BoolT}, Ret: ret, Agg: func() GroupAccumulator { return &boolAcc{op: op} }}, true
	}
}
