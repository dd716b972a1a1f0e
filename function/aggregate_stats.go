package function

import (
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/types"
)

// Statistical aggregates: variance and standard deviation (sample and population, under
// PostgreSQL's and Trino's names), geometric_mean (Trino), and the two-argument covariance
// and correlation family (covar_samp, covar_pop, corr, regr_slope, regr_intercept).
//
// Every argument is computed in double precision and the result is double precision, as
// Trino does. PostgreSQL returns numeric for integer and numeric input and computes it
// exactly; doing that here would need 128-bit sums of squares (which overflow for ordinary
// DECIMAL(38) data) and a numeric square root, so Quarry computes in double for all input
// types. The values agree with PostgreSQL's to the 15-16 significant digits a double holds;
// the last printed digit of a non-terminating result may differ.
//
// State per group is Welford's (count, mean, M2), which is stable where the textbook
// sum/sum-of-squares formula cancels catastrophically; partial states combine with Chan et
// al.'s pairwise formula, so Merge is exact in the same sense.

type statKind uint8

const (
	statVarSamp statKind = iota
	statVarPop
	statStddevSamp
	statStddevPop
)

// varianceAcc keeps Welford's running moments per group.
type varianceAcc struct {
	kind statKind
	n    []int64
	mean []float64
	m2   []float64
}

func (v *varianceAcc) Resize(n int) {
	v.n, v.mean, v.m2 = grow(v.n, n), grow(v.mean, n), grow(v.m2, n)
}

func (v *varianceAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	xs := fixedValues[float64](args[0])
	cnt, mean, m2 := v.n, v.mean, v.m2
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		x := xs[i]
		cnt[g]++
		d := x - mean[g]
		mean[g] += d / float64(cnt[g])
		m2[g] += d * (x - mean[g])
	}
	return nil
}

func (v *varianceAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*varianceAcc)
	v.Resize(maxMapped(mapping))
	for g := range mapping {
		if o.n[g] == 0 {
			continue
		}
		t := mapping[g]
		na, nb := float64(v.n[t]), float64(o.n[g])
		nt := na + nb
		d := o.mean[g] - v.mean[t]
		v.mean[t] += d * nb / nt
		v.m2[t] += o.m2[g] + d*d*na*nb/nt
		v.n[t] += o.n[g]
	}
	return nil
}

func (v *varianceAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	out := make([]float64, len(v.n))
	seen := make([]bool, len(v.n))
	for g, c := range v.n {
		samp := v.kind == statVarSamp || v.kind == statStddevSamp
		switch {
		case c == 0, samp && c == 1:
			continue // NULL, as PostgreSQL and Trino
		case samp:
			out[g] = v.m2[g] / float64(c-1)
		default:
			out[g] = v.m2[g] / float64(c)
		}
		if out[g] < 0 {
			out[g] = 0 // rounding can leave M2 a hair below zero for constant input
		}
		if v.kind == statStddevSamp || v.kind == statStddevPop {
			out[g] = math.Sqrt(out[g])
		}
		seen[g] = true
	}
	return finishFixed(mem, arrow.PrimitiveTypes.Float64, out, seen)
}

// geoMeanAcc is Trino's geometric_mean: exp of the mean of the natural logarithms (NaN for
// negative input, 0 when a value is 0).
type geoMeanAcc struct {
	sum []float64
	n   []int64
}

func (a *geoMeanAcc) Resize(n int) { a.sum, a.n = grow(a.sum, n), grow(a.n, n) }

func (a *geoMeanAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	bm, off, allNull := argBitmap(args[0])
	if allNull {
		return nil
	}
	xs := fixedValues[float64](args[0])
	for i, g := range groups[:n] {
		if bm != nil && !bitutil.BitIsSet(bm, off+i) {
			continue
		}
		a.sum[g] += math.Log(xs[i])
		a.n[g]++
	}
	return nil
}

func (a *geoMeanAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*geoMeanAcc)
	a.Resize(maxMapped(mapping))
	for g := range mapping {
		a.sum[mapping[g]] += o.sum[g]
		a.n[mapping[g]] += o.n[g]
	}
	return nil
}

func (a *geoMeanAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	out := make([]float64, len(a.n))
	for g, c := range a.n {
		if c > 0 {
			out[g] = math.Exp(a.sum[g] / float64(c))
		}
	}
	return finishFixed(mem, arrow.PrimitiveTypes.Float64, out, seenFromCounts(a.n))
}

// covarKind selects the result of a two-argument statistical aggregate f(y, x).
type covarKind uint8

const (
	covSamp covarKind = iota
	covPop
	covCorr
	covRegrSlope
	covRegrIntercept
)

// covarAcc keeps the co-moments of (y, x) pairs where both are non-NULL: count, means,
// Σ(x-x̄)², Σ(y-ȳ)² and Σ(x-x̄)(y-ȳ), updated and merged as varianceAcc.
type covarAcc struct {
	kind             covarKind
	n                []int64
	mx, my, sxx, syy []float64
	sxy              []float64
}

func (c *covarAcc) Resize(n int) {
	c.n, c.mx, c.my = grow(c.n, n), grow(c.mx, n), grow(c.my, n)
	c.sxx, c.syy, c.sxy = grow(c.sxx, n), grow(c.syy, n), grow(c.sxy, n)
}

func (c *covarAcc) Update(groups []uint32, args []arrow.Array, n int) error {
	ys, xs := fixedValues[float64](args[0]), fixedValues[float64](args[1])
	if args[0].NullN() == args[0].Len() && args[0].Len() > 0 || args[1].NullN() == args[1].Len() && args[1].Len() > 0 {
		return nil
	}
	for i, g := range groups[:n] {
		if args[0].IsNull(i) || args[1].IsNull(i) {
			continue
		}
		x, y := xs[i], ys[i]
		c.n[g]++
		k := float64(c.n[g])
		dx := x - c.mx[g]
		dy := y - c.my[g]
		c.mx[g] += dx / k
		c.my[g] += dy / k
		c.sxx[g] += dx * (x - c.mx[g])
		c.syy[g] += dy * (y - c.my[g])
		c.sxy[g] += dx * (y - c.my[g])
	}
	return nil
}

func (c *covarAcc) Merge(other GroupAccumulator, mapping []uint32) error {
	o := other.(*covarAcc)
	c.Resize(maxMapped(mapping))
	for g := range mapping {
		if o.n[g] == 0 {
			continue
		}
		t := mapping[g]
		na, nb := float64(c.n[t]), float64(o.n[g])
		nt := na + nb
		dx, dy := o.mx[g]-c.mx[t], o.my[g]-c.my[t]
		f := na * nb / nt
		c.sxx[t] += o.sxx[g] + dx*dx*f
		c.syy[t] += o.syy[g] + dy*dy*f
		c.sxy[t] += o.sxy[g] + dx*dy*f
		c.mx[t] += dx * nb / nt
		c.my[t] += dy * nb / nt
		c.n[t] += o.n[g]
	}
	return nil
}

func (c *covarAcc) Finish(mem memory.Allocator) (arrow.Array, error) {
	out := make([]float64, len(c.n))
	seen := make([]bool, len(c.n))
	for g, k := range c.n {
		nf := float64(k)
		switch c.kind {
		case covSamp:
			if k < 2 {
				continue
			}
			out[g] = c.sxy[g] / (nf - 1)
		case covPop:
			if k < 1 {
				continue
			}
			out[g] = c.sxy[g] / nf
		case covCorr:
			if k < 1 || c.sxx[g] == 0 || c.syy[g] == 0 {
				continue
			}
			out[g] = c.sxy[g] / math.Sqrt(c.sxx[g]*c.syy[g])
		case covRegrSlope, covRegrIntercept:
			if k < 1 || c.sxx[g] == 0 {
				continue
			}
			slope := c.sxy[g] / c.sxx[g]
			out[g] = slope
			if c.kind == covRegrIntercept {
				out[g] = c.my[g] - slope*c.mx[g]
			}
		}
		seen[g] = true
	}
	return finishFixed(mem, arrow.PrimitiveTypes.Float64, out, seen)
}

// bindFloatAgg binds an aggregate of arity numeric arguments computed in double precision.
func bindFloatAgg(arity int, mk func() GroupAccumulator) Binder {
	return func(args []types.T) (Sig, bool) {
		if len(args) != arity {
			return Sig{}, false
		}
		ts := make([]types.T, arity)
		for i, a := range args {
			if !a.IsNumeric() && a.Kind != types.Unknown {
				return Sig{}, false
			}
			ts[i] = types.Float64T
		}
		return Sig{Args: ts, Ret: types.Float64T, Agg: mk}, true
	}
}

func bindVariance(kind statKind) Binder {
	return bindFloatAgg(1, func() GroupAccumulator { return &varianceAcc{kind: kind} })
}

func bindCovar(kind covarKind) Binder {
	return bindFloatAgg(2, func() GroupAccumulator { return &covarAcc{kind: kind} })
}

func bindGeoMean(args []types.T) (Sig, bool) {
	return bindFloatAgg(1, func() GroupAccumulator { return &geoMeanAcc{} })(args)
}
