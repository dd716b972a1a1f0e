package function

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/axiomhq/hyperloglog"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

// Approximate aggregates (Trino): approx_distinct(x [, e]) with HyperLogLog, and
// approx_percentile(x [, w], p) with a t-digest (tdigest.go).
//
// approx_distinct uses github.com/axiomhq/hyperloglog: its sketches start sparse (a few
// bytes per group for small groups, nearly exact counts) and turn dense past a threshold,
// which matters for GROUP BY with many groups; they merge register-wise, so partial
// aggregation is exact with respect to a single pass. The standard error e (default
// 0.023, Trino's) picks the precision p = ⌈log2((1.04/e)²)⌉, 2^p registers. Values are
// hashed by type: fixed-width values through a 64-bit mixer of their bits (floats with -0
// and NaN normalized), text and bytea through the library's metro hash.
//
// The constant arguments (e, p) are read from the first row that has them: they are
// constants in every query Trino accepts.

const defaultHLLError = 0.023

// hllPrecision maps a maximum standard error to HyperLogLog precision.
func hllPrecision(e float64) (uint8, error) {
	if !(e >= 0.0040625 && e <= 0.26) {
		return 0, sqlerr.New(sqlerr.InvalidParameterValue, "Max standard error must be in [0.0040625, 0.26000]: %g", e)
	}
	p := math.Ceil(math.Log2((1.04 / e) * (1.04 / e)))
	return uint8(min(16, max(4, p))), nil
}

// mix64 is the splitmix64 finalizer: a cheap bijection that spreads every input bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// hashColumn returns a function giving row i's hash, or nil for text/bytea (hashed by the
// sketch itself).
func hashColumn(a arrow.Array, t types.T) func(i int) uint64 {
	switch t.Kind {
	case types.Bool:
		bm, off := boolBits(a)
		return func(i int) uint64 { return mix64(uint64(b2u(bitIsSet(bm, off+i))) + 0x9e37) }
	case types.Int16:
		v := fixedValues[int16](a)
		return func(i int) uint64 { return mix64(uint64(v[i])) }
	case types.Int32, types.Date:
		v := fixedValues[int32](a)
		return func(i int) uint64 { return mix64(uint64(v[i])) }
	case types.Int64, types.Time, types.Timestamp, types.TimestampTZ:
		v := fixedValues[int64](a)
		return func(i int) uint64 { return mix64(uint64(v[i])) }
	case types.Float32:
		v := fixedValues[float32](a)
		return func(i int) uint64 { return mix64(math.Float64bits(canonFloat(float64(v[i])))) }
	case types.Float64:
		v := fixedValues[float64](a)
		return func(i int) uint64 { return mix64(math.Float64bits(canonFloat(v[i]))) }
	case types.Decimal:
		v := fixedValues[decimal128.Num](a)
		return func(i int) uint64 { return mix64(v[i].LowBits() ^ mix64(uint64(v[i].HighBits()))) }
	case types.Interval:
		v := fixedValues[arrow.MonthDayNanoInterval](a)
		return func(i int) uint64 {
			return mix64(uint64(v[i].Nanoseconds) ^ mix64(uint64(uint32(v[i].Months))<<32|uint64(uint32(v[i].Days))))
		}
	}
	return nil
}

type hllAcc struct {
	t      types.T
	withE  bool
	p      uint8
	sk     []*hyperloglog.Sketch
	hasher func(i int) uint64
}

func (h *hllAcc) Resize(n int) { h.sk = grow(h.sk, n) }

func (h *hllAcc) sketch(g uint32) (*hyperloglog.Sketch, error) {
	if s := h.sk[g]; s != nil {
		return s, nil
	}
	s, err := hyperloglog.NewSketch(h.p, true)
	if err != nil {
		return nil, sqlerr.New(sqlerr.InternalError, "approx_distinct: %v", err)
	}
	h.sk[g] = s
	return s, nil
}

func (h *hllAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull || n == 0 {
		return nil
	}
	if h.p == 0 {
		e := defaultHLLError
		if h.withE {
			if i := firstValid(args[1], n); i >= 0 {
				e = fixedValues[float64](args[1])[i]
			}
		}
		p, err := hllPrecision(e)
		if err != nil {
			return err
		}
		h.p = p
	}
	hash := hashColumn(args[0], h.t)
	var text byteView
	if hash == nil {
		text = viewBytes(args[0])
	}
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		s, err := h.sketch(g)
		if err != nil {
			return err
		}
		if hash != nil {
			s.InsertHash(hash(i))
		} else {
			s.Insert(text.at(i))
		}
	}
	return nil
}

// firstValid returns the first non-NULL row of a among n, or -1.
func firstValid(a arrow.Array, n int) int {
	for i := 0; i < n && i < a.Len(); i++ {
		if a.IsValid(i) {
			return i
		}
	}
	return -1
}

func (h *hllAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*hllAcc)
	h.Resize(maxMapped(mapping))
	if h.p == 0 {
		h.p = o.p
	}
	for g := range mapping {
		src := o.sk[g]
		if src == nil {
			continue
		}
		t := mapping[g]
		if h.sk[t] == nil {
			h.sk[t] = src.Clone()
			continue
		}
		if err := h.sk[t].Merge(src); err != nil {
			return sqlerr.New(sqlerr.InvalidParameterValue, "approx_distinct: cannot merge sketches: %v", err)
		}
	}
	return nil
}

func (h *hllAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	out := make([]int64, len(h.sk))
	for g, s := range h.sk {
		if s != nil {
			out[g] = int64(s.Estimate())
		}
	}
	return finishFixed(mem, arrow.PrimitiveTypes.Int64, out, nil)
}

func bindApproxDistinct(args []types.T) (Sig, bool) {
	if len(args) < 1 || len(args) > 2 {
		return Sig{}, false
	}
	t := args[0]
	switch t.Kind {
	case types.Unknown:
		t = types.VarcharT
	case types.Decimal:
		t = asDecimal(t)
	case types.Bool, types.Int16, types.Int32, types.Int64, types.Float32, types.Float64, types.Date, types.Time,
		types.Timestamp, types.TimestampTZ, types.Interval, types.Varchar, types.Bytea, types.JSON:
	default:
		return Sig{}, false
	}
	ts := []types.T{t}
	if len(args) == 2 {
		if !args[1].IsNumeric() && args[1].Kind != types.Unknown {
			return Sig{}, false
		}
		ts = append(ts, types.Float64T)
	}
	withE := len(args) == 2
	return Sig{Args: ts, Ret: types.Int64T, Agg: func() GroupAccumulator { return &hllAcc{t: t, withE: withE} }}, true
}

// percentileAcc implements approx_percentile(x, p) and approx_percentile(x, w, p).
type percentileAcc struct {
	ret      types.T
	weighted bool
	p        float64
	hasP     bool
	d        []*tdigest
}

func (a *percentileAcc) Resize(n int) { a.d = grow(a.d, n) }

func (a *percentileAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	pa := args[len(args)-1]
	if !a.hasP {
		i := firstValid(pa, n)
		if i < 0 {
			return nil
		}
		p := fixedValues[float64](pa)[i]
		if !(p >= 0 && p <= 1) {
			return sqlerr.New(sqlerr.InvalidParameterValue, "Percentile must be between 0 and 1")
		}
		a.p, a.hasP = p, true
	}
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	xs := fixedValues[float64](args[0])
	var ws []int64
	if a.weighted {
		ws = fixedValues[int64](args[1])
	}
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		w := 1.0
		if ws != nil {
			if args[1].IsNull(i) {
				continue
			}
			if ws[i] <= 0 {
				return sqlerr.New(sqlerr.InvalidParameterValue, "percentile weight must be > 0")
			}
			w = float64(ws[i])
		}
		if a.d[g] == nil {
			a.d[g] = &tdigest{}
		}
		a.d[g].add(xs[i], w)
	}
	return nil
}

func (a *percentileAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*percentileAcc)
	a.Resize(maxMapped(mapping))
	if !a.hasP {
		a.p, a.hasP = o.p, o.hasP
	}
	for g := range mapping {
		if o.d[g] == nil {
			continue
		}
		t := mapping[g]
		if a.d[t] == nil {
			a.d[t] = &tdigest{}
		}
		a.d[t].merge(o.d[g])
	}
	return nil
}

func (a *percentileAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	n := len(a.d)
	seen := make([]bool, n)
	vals := make([]float64, n)
	for g, d := range a.d {
		if d != nil && !d.empty() {
			vals[g], seen[g] = d.quantile(a.p), true
		}
	}
	switch a.ret.Kind {
	case types.Int64:
		out := make([]int64, n)
		for g, v := range vals {
			out[g] = int64(math.Round(v))
		}
		return finishFixed(mem, arrow.PrimitiveTypes.Int64, out, seen)
	case types.Float32:
		out := make([]float32, n)
		for g, v := range vals {
			out[g] = float32(v)
		}
		return finishFixed(mem, arrow.PrimitiveTypes.Float32, out, seen)
	}
	return finishFixed(mem, arrow.PrimitiveTypes.Float64, vals, seen)
}

// bindApproxPercentile resolves approx_percentile(x, p) and (x, w, p): integers give
// bigint, real gives real, double and numeric give double precision (Trino's types).
func bindApproxPercentile(args []types.T) (Sig, bool) {
	if len(args) != 2 && len(args) != 3 {
		return Sig{}, false
	}
	for _, a := range args {
		if !a.IsNumeric() && a.Kind != types.Unknown {
			return Sig{}, false
		}
	}
	ret := types.Float64T
	switch {
	case args[0].IsInteger():
		ret = types.Int64T
	case args[0].Kind == types.Float32:
		ret = types.Float32T
	}
	ts := []types.T{types.Float64T, types.Float64T}
	weighted := len(args) == 3
	if weighted {
		if !args[1].IsInteger() && args[1].Kind != types.Unknown {
			return Sig{}, false
		}
		ts = []types.T{types.Float64T, types.Int64T, types.Float64T}
	}
	return Sig{Args: ts, Ret: ret, Agg: func() GroupAccumulator { return &percentileAcc{ret: ret, weighted: weighted} }}, true
}
