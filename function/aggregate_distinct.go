package function

import (
	"encoding/binary"
	"math"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Distinct wraps an aggregate for agg(DISTINCT x, ...). It keeps, per group, the set of
// distinct argument tuples seen (rows with a NULL argument are skipped, as every aggregate
// skips them) and feeds the union of the sets to a fresh inner accumulator only at Finish.
// Deferring the inner aggregate is what makes Merge correct: two partial accumulators may
// both have seen a value, so merging their inner states would count it twice, while the
// union of their sets counts it once.
//
// A set entry is the group id followed by the tuple's canonical bytes (fixed-width values
// as stored, with -0 and NaN payloads normalized for floats; text and bytea length-prefixed),
// held in one Go map.
func Distinct(argTypes []types.T, inner func() GroupAccumulator) func() GroupAccumulator {
	ts := slices.Clone(argTypes)
	return func() GroupAccumulator {
		return &distinctAcc{types: ts, inner: inner, set: make(map[string]struct{})}
	}
}

type distinctAcc struct {
	types   []types.T
	inner   func() GroupAccumulator
	set     map[string]struct{}
	ngroups int
	key     []byte
}

func (d *distinctAcc) Resize(n int) {
	if n > d.ngroups {
		d.ngroups = n
	}
}

func (d *distinctAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	enc := make([]func(buf []byte, i int) []byte, len(args))
	for j, a := range args {
		e, err := keyEncoder(a, d.types[j])
		if err != nil {
			return err
		}
		enc[j] = e
	}
rows:
	for i, g := range groups[:n] {
		for _, a := range args {
			if a.IsNull(i) {
				continue rows
			}
		}
		k := binary.LittleEndian.AppendUint32(d.key[:0], g)
		for _, e := range enc {
			k = e(k, i)
		}
		d.key = k
		if _, ok := d.set[string(k)]; !ok {
			d.set[string(k)] = struct{}{}
		}
	}
	return nil
}

func (d *distinctAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*distinctAcc)
	d.Resize(maxMapped(mapping))
	for k := range o.set {
		g := binary.LittleEndian.Uint32([]byte(k[:4]))
		nk := binary.LittleEndian.AppendUint32(d.key[:0], mapping[g])
		nk = append(nk, k[4:]...)
		d.key = nk
		d.set[string(nk)] = struct{}{}
	}
	return nil
}

func (d *distinctAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	keys := make([]string, 0, len(d.set))
	for k := range d.set {
		keys = append(keys, k)
	}
	// A fixed order makes results that depend on input order (float sums, arbitrary)
	// reproducible.
	slices.Sort(keys)
	groups := make([]uint32, len(keys))
	builders := make([]array.Builder, len(d.types))
	for j, t := range d.types {
		builders[j] = array.NewBuilder(mem, t.Arrow())
		defer builders[j].Release()
	}
	for r, k := range keys {
		groups[r] = binary.LittleEndian.Uint32([]byte(k[:4]))
		rest := []byte(k[4:])
		for j, t := range d.types {
			var err error
			if rest, err = decodeKey(builders[j], rest, t); err != nil {
				return nil, err
			}
		}
	}
	args := make([]arrow.Array, len(builders))
	for j, b := range builders {
		args[j] = b.NewArray()
		defer args[j].Release()
	}
	acc := d.inner()
	acc.Resize(d.ngroups)
	if err := acc.Update(groups, args, len(groups)); err != nil {
		return nil, err
	}
	return acc.Finish(mem)
}

// keyEncoder returns a function appending row i's canonical bytes.
func keyEncoder(a arrow.Array, t types.T) (func(buf []byte, i int) []byte, error) {
	switch t.Kind {
	case types.Bool:
		bm, off := boolBits(a)
		return func(buf []byte, i int) []byte { return append(buf, b2u(bitIsSet(bm, off+i))) }, nil
	case types.Int16:
		v := fixedValues[int16](a)
		return func(buf []byte, i int) []byte { return binary.LittleEndian.AppendUint16(buf, uint16(v[i])) }, nil
	case types.Int32, types.Date:
		v := fixedValues[int32](a)
		return func(buf []byte, i int) []byte { return binary.LittleEndian.AppendUint32(buf, uint32(v[i])) }, nil
	case types.Int64, types.Time, types.Timestamp, types.TimestampTZ:
		v := fixedValues[int64](a)
		return func(buf []byte, i int) []byte { return binary.LittleEndian.AppendUint64(buf, uint64(v[i])) }, nil
	case types.Float32:
		v := fixedValues[float32](a)
		return func(buf []byte, i int) []byte {
			return binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(canonFloat(float64(v[i])))))
		}, nil
	case types.Float64:
		v := fixedValues[float64](a)
		return func(buf []byte, i int) []byte {
			return binary.LittleEndian.AppendUint64(buf, math.Float64bits(canonFloat(v[i])))
		}, nil
	case types.Decimal:
		v := fixedValues[decimal128.Num](a)
		return func(buf []byte, i int) []byte {
			buf = binary.LittleEndian.AppendUint64(buf, v[i].LowBits())
			return binary.LittleEndian.AppendUint64(buf, uint64(v[i].HighBits()))
		}, nil
	case types.Interval:
		v := fixedValues[arrow.MonthDayNanoInterval](a)
		return func(buf []byte, i int) []byte {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(v[i].Months))
			buf = binary.LittleEndian.AppendUint32(buf, uint32(v[i].Days))
			return binary.LittleEndian.AppendUint64(buf, uint64(v[i].Nanoseconds))
		}, nil
	case types.Varchar, types.Unknown, types.Bytea, types.JSON:
		v := viewBytes(a)
		return func(buf []byte, i int) []byte {
			b := v.at(i)
			buf = binary.AppendUvarint(buf, uint64(len(b)))
			return append(buf, b...)
		}, nil
	case types.UUID:
		v := a.(*array.FixedSizeBinary)
		return func(buf []byte, i int) []byte { return append(buf, v.Value(i)...) }, nil
	}
	return nil, sqlerr.New(sqlerr.FeatureNotSupported, "DISTINCT is not supported for type %s", t.PGName())
}

func bitIsSet(bm []byte, i int) bool { return bm[i>>3]&(1<<(i&7)) != 0 }

// canonFloat maps -0 to 0 and every NaN to one NaN, so equal values have equal bytes.
func canonFloat(f float64) float64 {
	if f == 0 {
		return 0
	}
	if f != f {
		return math.NaN()
	}
	return f
}

// decodeKey reads one value of type t from the front of k into b.
func decodeKey(b array.Builder, k []byte, t types.T) ([]byte, error) {
	bad := sqlerr.New(sqlerr.InternalError, "corrupt DISTINCT key")
	need := func(n int) bool { return len(k) >= n }
	switch t.Kind {
	case types.Bool:
		if !need(1) {
			return nil, bad
		}
		b.(*array.BooleanBuilder).Append(k[0] == 1)
		return k[1:], nil
	case types.Int16:
		if !need(2) {
			return nil, bad
		}
		b.(*array.Int16Builder).Append(int16(binary.LittleEndian.Uint16(k)))
		return k[2:], nil
	case types.Int32:
		if !need(4) {
			return nil, bad
		}
		b.(*array.Int32Builder).Append(int32(binary.LittleEndian.Uint32(k)))
		return k[4:], nil
	case types.Date:
		if !need(4) {
			return nil, bad
		}
		b.(*array.Date32Builder).Append(arrow.Date32(binary.LittleEndian.Uint32(k)))
		return k[4:], nil
	case types.Int64:
		if !need(8) {
			return nil, bad
		}
		b.(*array.Int64Builder).Append(int64(binary.LittleEndian.Uint64(k)))
		return k[8:], nil
	case types.Time:
		if !need(8) {
			return nil, bad
		}
		b.(*array.Time64Builder).Append(arrow.Time64(binary.LittleEndian.Uint64(k)))
		return k[8:], nil
	case types.Timestamp, types.TimestampTZ:
		if !need(8) {
			return nil, bad
		}
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(binary.LittleEndian.Uint64(k)))
		return k[8:], nil
	case types.Float32:
		if !need(4) {
			return nil, bad
		}
		b.(*array.Float32Builder).Append(math.Float32frombits(binary.LittleEndian.Uint32(k)))
		return k[4:], nil
	case types.Float64:
		if !need(8) {
			return nil, bad
		}
		b.(*array.Float64Builder).Append(math.Float64frombits(binary.LittleEndian.Uint64(k)))
		return k[8:], nil
	case types.Decimal:
		if !need(16) {
			return nil, bad
		}
		lo, hi := binary.LittleEndian.Uint64(k), binary.LittleEndian.Uint64(k[8:])
		b.(*array.Decimal128Builder).Append(decimal128.New(int64(hi), lo))
		return k[16:], nil
	case types.Interval:
		if !need(16) {
			return nil, bad
		}
		b.(*array.MonthDayNanoIntervalBuilder).Append(arrow.MonthDayNanoInterval{
			Months: int32(binary.LittleEndian.Uint32(k)), Days: int32(binary.LittleEndian.Uint32(k[4:])),
			Nanoseconds: int64(binary.LittleEndian.Uint64(k[8:]))})
		return k[16:], nil
	case types.Varchar, types.Unknown, types.Bytea, types.JSON:
		l, w := binary.Uvarint(k)
		if w <= 0 || uint64(len(k)-w) < l {
			return nil, bad
		}
		v := k[w : w+int(l)]
		switch bb := b.(type) {
		case *array.StringBuilder:
			bb.BinaryBuilder.Append(v)
		case *array.BinaryBuilder:
			bb.Append(v)
		default:
			return nil, bad
		}
		return k[w+int(l):], nil
	case types.UUID:
		if !need(16) {
			return nil, bad
		}
		b.(*array.FixedSizeBinaryBuilder).Append(k[:16])
		return k[16:], nil
	}
	return nil, bad
}
