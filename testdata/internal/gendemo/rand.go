package main

// rng is SplitMix64. The generator carries its own generator rather than math/rand so the
// demo files are byte-for-byte the same on every Go version: math/rand/v2 does not promise
// that its derived methods (IntN, Shuffle) keep their streams across releases.
type rng struct{ s uint64 }

func newRNG(seed uint64) *rng { return &rng{s: seed} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a value in [0, n). The modulo bias is far below anything a demo can show.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance reports true with probability pct percent.
func (r *rng) chance(pct int) bool { return r.intn(100) < pct }

// weighted picks an index of weights with probability proportional to its weight.
func (r *rng) weighted(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.intn(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }
