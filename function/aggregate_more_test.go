package function

import (
	"fmt"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/quarrydb/quarry/sqlerr"
	"github.com/quarrydb/quarry/types"
)

func TestAggregatesMore(t *testing.T) {
	reg := New()
	arr := func(e types.T) types.T { return types.ArrayT(e) }
	cases := []aggCase{
		// Variance family: 1, 2, 3, 4 in group 0 (split over batches), one value in group 1.
		{name: "var_samp", args: []types.T{i32}, groups: 3, batches: [2]aggBatch{b(g(0, 0, 1), row("1", "2", "5")), b(g(0, 0, 2), row("3", "4", "NULL"))}, ret: f64, want: []string{"1.6666666666666667", "NULL", "NULL"}},
		{name: "variance", args: []types.T{dec(10, 2)}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("1.00", "2.00")), b(g(0, 0), row("3.00", "4.00"))}, want: []string{"1.6666666666666667"}},
		{name: "var_pop", args: []types.T{i64}, groups: 2, batches: [2]aggBatch{b(g(0, 0, 1), row("1", "2", "5")), b(g(0, 0), row("3", "4"))}, want: []string{"1.25", "0"}},
		{name: "stddev_samp", args: []types.T{f64}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("1", "2")), b(g(0, 0), row("3", "4"))}, want: []string{"1.2909944487358056"}},
		{name: "stddev", args: []types.T{f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("7")), b(g(0), row("7"))}, want: []string{"0"}},
		{name: "stddev_pop", args: []types.T{i16}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("1", "2")), b(g(0, 0), row("3", "4"))}, want: []string{"1.118033988749895"}},
		{name: "geometric_mean", args: []types.T{i32}, groups: 2, batches: [2]aggBatch{b(g(0), row("2")), b(g(0, 1), row("8", "NULL"))}, ret: f64, want: []string{"4", "NULL"}},
		{name: "covar_samp", args: []types.T{f64, f64}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("1", "2"), row("2", "4")), b(g(0, 0), row("3", "NULL"), row("6", "1"))}, want: []string{"2"}},
		{name: "covar_pop", args: []types.T{f64, f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("1"), row("2")), b(g(0), row("3"), row("6"))}, want: []string{"2"}},
		{name: "corr", args: []types.T{i32, i32}, groups: 2, batches: [2]aggBatch{b(g(0, 0, 1), row("1", "2", "1"), row("10", "20", "1")), b(g(0), row("3"), row("30"))}, want: []string{"1", "NULL"}},
		{name: "regr_slope", args: []types.T{f64, f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("3"), row("1")), b(g(0), row("5"), row("2"))}, want: []string{"2"}},
		{name: "regr_intercept", args: []types.T{f64, f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("3"), row("1")), b(g(0), row("5"), row("2"))}, want: []string{"1"}},
		// string_agg keeps input order; each value after the first brings its own delimiter.
		{name: "string_agg", args: []types.T{txt, txt}, groups: 3, batches: [2]aggBatch{b(g(0, 0, 1, 0), row("a", "NULL", "x", "b"), row(",", ",", ",", ";")), b(g(0, 1), row("c", "y"), row("NULL", "-"))}, ret: txt, want: []string{"a;bc", "x-y", "NULL"}},
		{name: "string_agg", args: []types.T{types.ByteaT, types.ByteaT}, groups: 1, batches: [2]aggBatch{b(g(0), row(`\x01`), row(`\xff`)), b(g(0), row(`\x02`), row(`\xff`))}, want: []string{`\x01ff02`}},
		// array_agg keeps NULL elements and input order; an empty group is NULL.
		{name: "array_agg", args: []types.T{i32}, groups: 3, batches: [2]aggBatch{b(g(0, 1, 0), row("1", "5", "NULL")), b(g(0, 1), row("3", "6"))}, ret: arr(i32), want: []string{"{1,NULL,3}", "{5,6}", "NULL"}},
		{name: "array_agg", args: []types.T{txt}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("a b", "NULL")), b(g(0), row("c"))}, ret: arr(txt), want: []string{`{"a b",NULL,c}`}},
		{name: "array_agg", args: []types.T{dat}, groups: 1, batches: [2]aggBatch{b(g(0), row("2020-01-02")), b(g(0), row("NULL"))}, want: []string{`{2020-01-02,NULL}`}},
		// min_by / max_by: NULL keys are skipped, NULL values can win, ties keep the first.
		{name: "max_by", args: []types.T{txt, i32}, groups: 3, batches: [2]aggBatch{b(g(0, 0, 1, 2), row("a", "b", "x", "z"), row("1", "3", "5", "NULL")), b(g(0, 1), row("c", "NULL"), row("2", "9"))}, ret: txt, want: []string{"b", "NULL", "NULL"}},
		{name: "min_by", args: []types.T{i64, txt}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("1", "2"), row("b", "a")), b(g(0, 0), row("3", "4"), row("a", "c"))}, ret: i64, want: []string{"2"}},
		{name: "min_by", args: []types.T{dec(10, 2), f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("1.50"), row("2")), b(g(0), row("2.25"), row("-1"))}, want: []string{"2.25"}},
		{name: "max_by", args: []types.T{dat, dat}, groups: 1, batches: [2]aggBatch{b(g(0), row("2020-01-01"), row("2021-01-01")), b(g(0), row("2020-06-01"), row("2020-01-01"))}, want: []string{"2020-01-01"}},
		{name: "max_by", args: []types.T{txt, boo}, groups: 1, batches: [2]aggBatch{b(g(0), row("f"), row("f")), b(g(0), row("t"), row("t"))}, want: []string{"t"}},
		// approx_distinct is exact at these sizes (the sparse sketch).
		{name: "approx_distinct", args: []types.T{i32}, groups: 3, batches: [2]aggBatch{b(g(0, 0, 0, 1), row("1", "2", "2", "NULL")), b(g(0, 0, 1), row("3", "1", "7"))}, ret: i64, want: []string{"3", "1", "0"}},
		{name: "approx_distinct", args: []types.T{txt}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("a", "b")), b(g(0, 0), row("b", "c"))}, want: []string{"3"}},
		{name: "approx_distinct", args: []types.T{f64, f64}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("0", "-0"), row("0.1", "0.1")), b(g(0), row("NaN"), row("0.1"))}, want: []string{"2"}},
		{name: "approx_distinct", args: []types.T{i32, f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("1"), row("0.5")), b(g(0), row("2"), row("0.5"))}, code: sqlerr.InvalidParameterValue},
		// approx_percentile: nearest rank while the digest is exact.
		{name: "approx_percentile", args: []types.T{i32, f64}, groups: 2, batches: [2]aggBatch{b(g(0, 0, 1), row("4", "1", "NULL"), row("0.5", "0.5", "0.5")), b(g(0, 0), row("3", "2"), row("0.5", "0.5"))}, ret: i64, want: []string{"2", "NULL"}},
		{name: "approx_percentile", args: []types.T{f64, f64}, groups: 1, batches: [2]aggBatch{b(g(0, 0), row("1.5", "9"), row("1", "1")), b(g(0), row("3"), row("1"))}, ret: f64, want: []string{"9"}},
		{name: "approx_percentile", args: []types.T{f64, f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("1"), row("0")), b(g(0), row("3"), row("0"))}, want: []string{"1"}},
		{name: "approx_percentile", args: []types.T{f64, f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("1"), row("1.5")), b(g(0), row("3"), row("1.5"))}, code: sqlerr.InvalidParameterValue},
		{name: "approx_percentile", args: []types.T{f32, f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("1.5"), row("0.9")), b(g(0), row("2.5"), row("0.9"))}, ret: f32, want: []string{"2.5"}},
		{name: "approx_percentile", args: []types.T{i32, i64, f64}, groups: 1, batches: [2]aggBatch{b(g(0), row("1"), row("3"), row("0.5")), b(g(0), row("10"), row("1"), row("0.5"))}, ret: i64, want: []string{"1"}},
	}
	for _, c := range cases {
		runAgg(t, reg, c)
	}
}

// TestApproxLarge checks the sketches on inputs past their exact range: HyperLogLog within
// a few standard errors, the t-digest's median and tails within a small rank error, and
// merged partials agreeing with a single pass.
func TestApproxLarge(t *testing.T) {
	const n = 200_000
	mem := memory.NewGoAllocator()
	xb := array.NewFloat64Builder(mem)
	pb := array.NewFloat64Builder(mem)
	for i := 0; i < n; i++ {
		xb.Append(float64((i * 7919) % n)) // a permutation of 0..n-1
		pb.Append(0.9)
	}
	x, p := xb.NewArray(), pb.NewArray()
	defer x.Release()
	defer p.Release()
	groups := make([]uint32, n)
	reg := New()
	for _, tc := range []struct {
		name string
		args []arrow.Array
		want float64
		tol  float64
	}{
		{"approx_distinct", []arrow.Array{x}, n, 0.023 * 4 * n},
		{"approx_percentile", []arrow.Array{x, p}, 0.9 * n, 0.01 * n},
	} {
		argTypes := make([]types.T, len(tc.args))
		for i := range argTypes {
			argTypes[i] = f64
		}
		sig, ok := reg.Lookup(tc.name).Bind(argTypes)
		if !ok {
			t.Fatalf("%s does not bind", tc.name)
		}
		single := sig.Agg()
		single.Resize(1)
		if err := single.Update(groups, tc.args, n); err != nil {
			t.Fatal(err)
		}
		half := n / 2
		p1, p2, final := sig.Agg(), sig.Agg(), sig.Agg()
		p1.Resize(1)
		p2.Resize(1)
		var lo, hi []arrow.Array
		for _, a := range tc.args {
			lo = append(lo, array.NewSlice(a, 0, int64(half)))
			hi = append(hi, array.NewSlice(a, int64(half), n))
		}
		if err := p1.Update(groups, lo, half); err != nil {
			t.Fatal(err)
		}
		if err := p2.Update(groups, hi, n-half); err != nil {
			t.Fatal(err)
		}
		releaseAll(lo...)
		releaseAll(hi...)
		if err := final.Merge(p1, []uint32{0}); err != nil {
			t.Fatal(err)
		}
		if err := final.Merge(p2, []uint32{0}); err != nil {
			t.Fatal(err)
		}
		for how, acc := range map[string]GroupAccumulator{"single": single, "merged": final} {
			res, err := acc.Finish(mem)
			if err != nil {
				t.Fatal(err)
			}
			got := texts(res, sig.Ret)[0]
			res.Release()
			var v float64
			fmt.Sscan(got, &v)
			if v < tc.want-tc.tol || v > tc.want+tc.tol {
				t.Errorf("%s %s = %s, want %g ± %g", tc.name, how, got, tc.want, tc.tol)
			}
		}
	}
}

func TestAggregateBindingMore(t *testing.T) {
	reg := New()
	for _, tt := range []struct {
		name string
		args []types.T
		ret  types.T
		ok   bool
	}{
		{"stddev", []types.T{dec(38, 2)}, f64, true}, {"variance", []types.T{txt}, types.T{}, false},
		{"array_agg", []types.T{unk}, types.ArrayT(txt), true}, {"array_agg", []types.T{i32, i32}, types.T{}, false},
		{"string_agg", []types.T{txt}, types.T{}, false}, {"string_agg", []types.T{i32, txt}, types.T{}, false},
		{"min_by", []types.T{i32, types.JSONT}, types.T{}, false}, {"max_by", []types.T{types.JSONT, i32}, types.JSONT, true},
		{"approx_percentile", []types.T{txt, f64}, types.T{}, false}, {"approx_percentile", []types.T{dec(10, 2), f64}, f64, true},
		{"approx_distinct", []types.T{types.ArrayT(i32)}, types.T{}, false},
	} {
		sig, ok := reg.Lookup(tt.name).Bind(tt.args)
		if ok != tt.ok || (ok && !sig.Ret.Equal(tt.ret)) {
			t.Errorf("%s%v = %s, %v; want %s, %v", tt.name, tt.args, sig.Ret, ok, tt.ret, tt.ok)
		}
	}
}
