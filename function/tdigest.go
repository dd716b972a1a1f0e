package function

import (
	"math"
	"slices"
)

// tdigest is Dunning's merging t-digest: a sorted list of centroids (mean, weight) whose
// sizes are bounded by the k1 scale function, so that quantiles near 0 and 1 are kept
// more precisely than those in the middle. New points wait in an unsorted buffer and are
// merged in when it fills. Quarry writes its own (about 150 lines) rather than take
// github.com/influxdata/tdigest, which has had no release since 2019 and would bring an old
// gonum into go.sum.
//
// While every centroid holds points of one value (always, up to about compression/3
// distinct points), the digest is the input's exact distribution and quantile answers with
// the nearest rank, an input value; otherwise it interpolates between centroids.
type tdigest struct {
	c        []centroid // sorted by mean
	buf      []centroid // unmerged points
	total    float64
	min, max float64
}

// centroid is a cluster of points; pure means they all have the same value.
type centroid struct {
	mean, w float64
	pure    bool
}

const (
	tdCompression = 100.0
	tdBufferSize  = 500
)

func (t *tdigest) add(x, w float64) {
	if x != x || w <= 0 {
		return // NaN has no rank; Trino rejects it, Quarry skips it
	}
	if t.total == 0 && len(t.buf) == 0 {
		t.min, t.max = x, x
	}
	t.min, t.max = min(t.min, x), max(t.max, x)
	t.buf = append(t.buf, centroid{x, w, true})
	if len(t.buf) >= tdBufferSize {
		t.compress()
	}
}

// tdK is the k1 scale function and tdKInv its inverse.
func tdK(q float64) float64    { return tdCompression / (2 * math.Pi) * math.Asin(2*q-1) }
func tdKInv(k float64) float64 { return (math.Sin(k*2*math.Pi/tdCompression) + 1) / 2 }

// compress merges the buffer into the centroids.
func (t *tdigest) compress() {
	if len(t.buf) == 0 {
		return
	}
	all := append(t.c, t.buf...)
	t.buf = t.buf[:0]
	slices.SortStableFunc(all, func(a, b centroid) int {
		switch {
		case a.mean < b.mean:
			return -1
		case a.mean > b.mean:
			return 1
		}
		return 0
	})
	var total float64
	for _, c := range all {
		total += c.w
	}
	out := make([]centroid, 0, min(len(all), int(2*tdCompression)))
	cur := all[0]
	before := 0.0
	limit := total * tdKInv(tdK(0)+1)
	for _, next := range all[1:] {
		if before+cur.w+next.w <= limit {
			w := cur.w + next.w
			cur.pure = cur.pure && next.pure && cur.mean == next.mean
			cur.mean += (next.mean - cur.mean) * next.w / w
			cur.w = w
			continue
		}
		out = append(out, cur)
		before += cur.w
		limit = total * tdKInv(tdK(before/total)+1)
		cur = next
	}
	t.c = append(out, cur)
	t.total = total
}

// merge folds o's centroids into t.
func (t *tdigest) merge(o *tdigest) {
	if o.total == 0 && len(o.buf) == 0 {
		return
	}
	if t.total == 0 && len(t.buf) == 0 {
		t.min, t.max = o.min, o.max
	}
	t.min, t.max = min(t.min, o.min), max(t.max, o.max)
	t.buf = append(t.buf, o.c...)
	t.buf = append(t.buf, o.buf...)
	t.compress()
}

func (t *tdigest) empty() bool { return t.total == 0 && len(t.buf) == 0 }

// quantile returns the value at fraction q of the weight (0 ≤ q ≤ 1).
func (t *tdigest) quantile(q float64) float64 {
	t.compress()
	c := t.c
	if len(c) == 0 {
		return math.NaN()
	}
	// Nearest rank: the first centroid whose cumulative weight reaches ⌈q·total⌉. When it
	// is pure, that is the exact answer.
	rank := max(1, math.Ceil(q*t.total))
	cum := 0.0
	for _, x := range c {
		cum += x.w
		if cum >= rank {
			if x.pure {
				return x.mean
			}
			break
		}
	}
	target := q * t.total
	if target < c[0].w/2 {
		if c[0].w == 1 {
			return c[0].mean
		}
		return t.min + (c[0].mean-t.min)*target/(c[0].w/2)
	}
	cum = c[0].w / 2 // the weight before the current centroid's middle
	for i := 0; i+1 < len(c); i++ {
		step := (c[i].w + c[i+1].w) / 2
		if target < cum+step {
			f := (target - cum) / step
			return c[i].mean + (c[i+1].mean-c[i].mean)*f
		}
		cum += step
	}
	last := c[len(c)-1]
	if last.w == 1 {
		return last.mean
	}
	f := (target - cum) / (last.w / 2)
	return last.mean + (t.max-last.mean)*min(f, 1)
}
